"""The metadata mirror (what stewards search and filter on) and the audit of every write.

The payload itself lives in the contract store; ``manage.py sync_contracts`` reconciles the two.
"""

from __future__ import annotations

from django.db import models

from dc43_portal import statuses


class Contract(models.Model):
    contract_id = models.CharField("id", max_length=200, unique=True)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    domain = models.CharField(max_length=200, blank=True, db_index=True)
    owner = models.CharField(max_length=200, blank=True, db_index=True)
    tags = models.JSONField(default=list, blank=True)
    # "|tag|tag|" so every database can filter on one tag with a plain LIKE.
    tags_text = models.TextField(blank=True, default="")
    # Schema object and property names and the team, for search; the database indexes them with the id, name,
    # tags, owner, domain and description (migration 0009: a GIN-indexed tsvector, or FTS5 kept by triggers).
    # On SQLite a migration that remakes this table drops those triggers: recreate them in the same migration.
    search_text = models.TextField(blank=True, default="")
    latest_version = models.CharField(max_length=128, blank=True)
    # Portal-only fields: edited in the admin (audited), never read from or written to a store, untouched by sync.
    steward_note = models.TextField(blank=True, default="")
    labels = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract_id"]

    def __str__(self) -> str:
        return self.contract_id


class ContractVersion(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=128)
    # 64-bit, as versioning.MAX_VERSION_NUMBER allows (timestamp-like majors such as 20240101120000).
    major = models.PositiveBigIntegerField()
    minor = models.PositiveBigIntegerField()
    patch = models.PositiveBigIntegerField()
    is_release = models.BooleanField()
    # Numeric identifiers are padded to 20 digits: a 128-byte version of 61 one-digit identifiers needs 1280.
    prerelease_key = models.CharField(max_length=1280, blank=True)
    status = models.CharField(max_length=20, choices=statuses.CHOICES, default=statuses.DRAFT, db_index=True)
    fingerprint = models.CharField(max_length=64)
    name = models.CharField(max_length=300, blank=True)
    api_version = models.CharField(max_length=20, blank=True)
    schema_count = models.PositiveIntegerField(default=0)
    property_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.CharField(max_length=150, blank=True)
    # False when sync found the mirror row but not the document in the store.
    in_store = models.BooleanField(default=True)
    # Set when a steward deprecates: the newer Validated version that replaces this one, and when it goes away.
    replaced_by = models.CharField(max_length=128, blank=True, default="")
    sunset_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "-major", "-minor", "-patch", "-is_release", "-prerelease_key"]
        constraints = [models.UniqueConstraint(fields=["contract", "version"], name="unique_contract_version")]
        indexes = [models.Index(fields=["contract", "major", "minor", "patch"])]
        permissions = [
            ("author_contract", "Can publish drafts and submit them for review"),
            ("steward_contract", "Can approve, reject, deprecate and reinstate versions"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.contract_id} {self.version}"

    @property
    def status_label(self) -> str:
        return statuses.label(self.status)


class VersionSource(models.Model):
    """The author's YAML text of a version, comments and key order as written; the pages show it while its
    fingerprint still matches the stored document (a sync or a JSON write makes it stale)."""

    version = models.OneToOneField(ContractVersion, on_delete=models.CASCADE, primary_key=True, related_name="source")
    text = models.TextField()
    fingerprint = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"source of {self.version}"


class LifecycleEvent(models.Model):
    """One audited write: who, when, what, from and to which status, and why."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Published"
        REPLACE = "replace", "Draft replaced"
        IMPORT = "import", "Imported"
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved"
        APPROVAL = "approval", "Approval given (more needed)"
        REJECT = "reject", "Rejected"
        WITHDRAW = "withdraw", "Withdrawn by its author"
        DEPRECATE = "deprecate", "Deprecated"
        REINSTATE = "reinstate", "Reinstated"
        DELETE = "delete", "Deleted"
        DISCARD = "discard", "Discarded by its author"
        SYNC = "sync", "Synchronised from the store"
        EDIT = "edit", "Edited"
        COMMENT = "comment", "Commented"
        RESOLVE = "resolve", "Resolved a comment"

    contract_id = models.CharField(max_length=200, db_index=True)
    version = models.CharField(max_length=128, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.CharField(max_length=150)
    # Who, by user id: usernames can be renamed, ids not (four eyes and approvals compare these).
    # No foreign key, so the audit keeps the id of a deleted account.
    actor_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    comment = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=20, blank=True, help_text="ui, api, admin, command or sync")
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contract_id", "version"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.contract_id} {self.version}"


class Comment(models.Model):
    """One comment in a version's discussion; a change request is a comment on a Validated version that an
    author may turn into a Draft. Portal-only: never written to a store."""

    contract_id = models.CharField(max_length=200)
    version = models.CharField(max_length=128)
    author = models.CharField(max_length=150)
    body = models.TextField()
    mentions = models.JSONField(default=list, blank=True)
    change_request = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    # The Draft a change request became.
    draft_version = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["contract_id", "version"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.contract_id} {self.version}"
