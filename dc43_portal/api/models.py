"""API tokens: an id plus the SHA-256 of a random secret, with scopes, revocation and last use."""

from __future__ import annotations

from django.conf import settings
from django.db import models

SCOPES = ("read", "write", "steward")
SCOPE_CHOICES = [
    ("read", "read: fetch contracts and statuses"),
    ("write", "write: publish drafts and submit them for review"),
    ("steward", "steward: approve, reject, deprecate and reinstate"),
]


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The public half of the token; the secret half is only stored as its SHA-256.
    key_id = models.CharField(max_length=24, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    scopes = models.CharField(max_length=64, help_text="comma-separated: read, write, steward")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id}, {self.scopes})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def prefix(self) -> str:
        """What the UI shows to tell tokens apart: the public id, never the secret."""
        return f"dc43p_{self.key_id}_…"
