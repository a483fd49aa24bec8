"""``manage.py create_api_token USERNAME --scopes read,write[,steward]``: prints only the token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dc43_portal.api.tokens import parse_scopes, token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (only the token, so scripts can capture it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--scopes", default="read", help="comma-separated: read, write, steward")
        parser.add_argument("--name", default="", help="what uses the token (default: 'cli')")

    def handle(self, *args: Any, username: str, scopes: str, name: str, **options: Any) -> None:
        try:
            scope_list = parse_scopes(scopes)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        _, plain = token_create(user=user, name=name or "cli", scopes=scope_list)
        self.stdout.write(plain)
