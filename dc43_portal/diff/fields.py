"""What each field of an ODCS document means to the diff: the rule a change to it falls under.

The walker (``walk.py``) reads these tables; the rule table itself is in ``rules.py``. Fields that ODCS
v3.2.0 added are marked; any field not listed here is ``metadata-changed``.
"""

from __future__ import annotations

from dc43_portal.diff import rules as r

ELEMENT_RULES = {
    "logicalType": "type-changed",
    "physicalType": "type-changed",
    "items": "type-changed",
    "map": "type-changed",  # ODCS 3.2 (RFC 0030): a map's key and value, added or removed
    "physicalName": "physical-name-changed",
    "name": "renamed",
    "primaryKeyPosition": "primary-key-changed",
    "partitionKeyPosition": "partitioning-changed",
    "encryptedName": "encryption-changed",
    "relationships": "relationship-changed",
}
# Boolean flags whose absence means false: (rule when set, rule when cleared).
FLAGS = {
    "required": ("property-made-required", "property-made-optional"),
    "unique": ("property-made-unique", "property-made-not-unique"),
    "primaryKey": ("primary-key-changed", "primary-key-changed"),
    "partitioned": ("partitioning-changed", "partitioning-changed"),
    "criticalDataElement": ("metadata-changed", "metadata-changed"),
    "deprecated": ("marked-deprecated", "deprecation-withdrawn"),  # ODCS 3.2 (RFC-0028)
}
QUALITY_INFO = frozenset(
    {
        "name",
        "id",
        "description",
        "businessImpact",
        "dimension",
        "tags",
        "authoritativeDefinitions",
        "customProperties",
        "schedule",
        "scheduler",
        "method",
    }
)
# Value lists of quality rules: (rule when a value is added, rule when one is removed).
VALUE_LISTS = {
    "validValues": (r.LOOSER, r.STRICTER),
    "invalidValues": (r.STRICTER, r.LOOSER),
    "missingValues": (r.STRICTER, r.LOOSER),
}
SERVER_RULES = {
    "server": "metadata-changed",
    "id": "metadata-changed",
    "description": "metadata-changed",
    "environment": "server-changed",
    "roles": "server-changed",
    "customProperties": "server-changed",
}
SECTION_RULES = {
    "slaProperties": "sla-changed",
    "slaDefaultElement": "sla-changed",
    "price": "price-changed",
    "roles": "team-changed",
    "support": "team-changed",
    "stakeholders": "team-changed",
}
# ODCS 3.2 (RFC-0028): removing an object or property that the old version marked deprecated.
DEPRECATED_REMOVED = "deprecated-removed"
# ODCS 3.2 (RFC 0030): the parts of a map that are element types, compared like an array's items.
ELEMENT_TYPES = frozenset({"key", "value"})
# ODCS 3.2 (RFC 0042), logicalTypeOptions of a vector. The shape of the values is their type; the model
# that made them and their normalisation decide whether new vectors compare with stored ones. The
# distance metric is advisory (the spec says so), hence metadata.
VECTOR_OPTIONS = {
    "dimensions": "type-changed",
    "elementType": "type-changed",
    "embeddingModel": "embedding-changed",
    "embeddingModelVersion": "embedding-changed",
    "normalized": "embedding-changed",
}
