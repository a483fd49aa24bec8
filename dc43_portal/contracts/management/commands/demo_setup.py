"""``manage.py demo_setup``: local demo users and the shipped demo contracts, once; reruns keep user changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dc43_portal.contracts.models import Contract

# Public, printed passwords for a local demo; long enough for the portal's password validators.
DEMO_USERS = [
    ("author", "author-demo-Tulip-42", "authors"),
    ("author2", "author2-demo-Maple-17", "authors"),
    ("steward", "steward-demo-Cedar-58", "stewards"),
    ("steward2", "steward2-demo-Birch-36", "stewards"),
    ("viewer", "viewer-demo-Aspen-21", "viewers"),
]
ADMIN_PASSWORD = "admin-demo-Harbor-93"


class Command(BaseCommand):
    help = "Create local demo users and load the demo contracts into an empty portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contracts", default=str(Path(settings.PACKAGE_DIR) / "demo" / "contracts"))

    def handle(self, *args: Any, contracts: str, **options: Any) -> None:
        User = get_user_model()
        for username, password, group in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=group))
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.com", ADMIN_PASSWORD)
        if Contract.objects.exists():
            self.stdout.write("demo contracts: the portal already holds contracts; leaving them as they are")
        else:
            call_command(
                "import_contracts", contracts, keep_status=True, actor="system", stdout=self.stdout, stderr=self.stderr
            )
        self.stdout.write("\nDemo logins (local only):")
        for username, password, group in [*DEMO_USERS, ("admin", ADMIN_PASSWORD, "superuser")]:
            self.stdout.write(f"  {username:<9} / {password:<22} ({group})")
