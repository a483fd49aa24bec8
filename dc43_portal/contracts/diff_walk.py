"""The walker of the semantic diff: it matches list items by identity, never by position, and emits one
``Change`` per difference with the rule that classifies it (see the table in ``diff.py``)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from dc43_portal.contracts import diff_rules as r
from dc43_portal.contracts.diff_rules import Change, absent, kind_of

KeyFn = Callable[[Any], str | None]
# (rule for an added item, or a function of the item; rule for a removed item)
Rules = tuple[str | Callable[[Any], str], str]
Parts = tuple[str, ...]
MISSING: Any = object()
# The portal owns ``status`` and the version is what is being compared: neither is a change.
IGNORED = frozenset({"status", "version"})
# Lists whose order means something; they are compared as whole values.
ORDERED = frozenset({"mustBeBetween", "mustNotBeBetween", "from", "to"})


def _scalar_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _field_key(*fields: str) -> KeyFn:
    def key(item: Any) -> str | None:
        if isinstance(item, dict):
            for name in fields:
                value = item.get(name)
                if (isinstance(value, str) and value) or (isinstance(value, int | float) and value is not True):
                    return str(value)
        return None

    return key


def _sla_key(item: Any) -> str | None:
    prop = _field_key("property", "id")(item)
    element = item.get("element") if isinstance(item, dict) else None
    return f"{prop}@{element}" if prop and isinstance(element, str) and element else prop


def _enum_key(item: Any) -> str | None:
    value = item.get("value") if isinstance(item, dict) else item
    return None if isinstance(value, dict | list) else _scalar_text(value)


NAMED = _field_key("name", "id")
PEOPLE = _field_key("username", "name", "id")
KEYS: dict[str, KeyFn] = {
    "schema": _field_key("name", "id", "physicalName"),
    "servers": _field_key("server", "id"),
    "team": PEOPLE,
    "members": PEOPLE,
    "stakeholders": PEOPLE,
    "roles": _field_key("role", "id"),
    "slaProperties": _sla_key,
    "support": _field_key("channel", "id"),
    "customProperties": _field_key("property", "id"),
    "authoritativeDefinitions": _field_key("url", "id"),
    "synonyms": _field_key("synonym", "id"),
}


def _hint(item: Any, default: str = "item") -> str:
    """A readable label for an item without a name; built only from what its key holds."""
    if isinstance(item, dict):
        found = next((item[k] for k in ("metric", "rule", "type", "value", "url") if isinstance(item.get(k), str)), "")
        return found or default
    return _scalar_text(item)[:40]


def _rule_hint(item: Any) -> str:
    return _hint(item, "rule")


def _canonical(item: Any) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def match(
    old: list[Any], new: list[Any], natural: KeyFn, loose: KeyFn | None = None, hint: Callable[[Any], str] = _hint
) -> list[tuple[str, Any, Any]]:
    """Pair the items of two lists by identity: a natural key (a name), else a looser content key, else content.

    A key is used only when it is unique on both sides, so the pairing never depends on list order.
    Returns ``(label, old item or MISSING, new item or MISSING)``, new items first in their order.
    """
    old, new = [i for i in old if i is not None], [i for i in new if i is not None]
    keys_old, keys_new = _keys(old, new, natural, loose)
    by_old = dict(zip(keys_old, old, strict=True))
    by_new = dict(zip(keys_new, new, strict=True))
    ordered = keys_new + [k for k in keys_old if k not in by_new]
    labels = _labels(ordered, {**by_old, **by_new}, hint)
    return [(labels[k], by_old.get(k, MISSING), by_new.get(k, MISSING)) for k in ordered]


Key = tuple[str, str, int]


def _keys(old: list[Any], new: list[Any], natural: KeyFn, loose: KeyFn | None) -> tuple[list[Key], list[Key]]:
    nat_old, nat_new = [natural(i) for i in old], [natural(i) for i in new]
    count_old, count_new = Counter(nat_old), Counter(nat_new)

    def unique(key: str | None, a: Counter[str | None], b: Counter[str | None]) -> bool:
        return key is not None and a[key] <= 1 and b[key] <= 1

    rest_old = [
        loose(i) if loose else None for i, k in zip(old, nat_old, strict=True) if not unique(k, count_old, count_new)
    ]
    rest_new = [
        loose(i) if loose else None for i, k in zip(new, nat_new, strict=True) if not unique(k, count_old, count_new)
    ]
    loose_old, loose_new = Counter(rest_old), Counter(rest_new)

    def key_list(items: list[Any], nats: list[str | None]) -> list[Key]:
        seen: Counter[tuple[str, str]] = Counter()
        out: list[Key] = []
        for item, nat in zip(items, nats, strict=True):
            if unique(nat, count_old, count_new):
                base = ("n", str(nat))
            else:
                lk = loose(item) if loose else None
                base = ("l", str(lk)) if unique(lk, loose_old, loose_new) else ("c", _canonical(item))
            seen[base] += 1
            out.append((*base, seen[base]))
        return out

    return key_list(old, nat_old), key_list(new, nat_new)


def _labels(keys: list[Key], items: dict[Key, Any], hint: Callable[[Any], str]) -> dict[Key, str]:
    """Readable path segments: the name itself, or a hint plus a short hash where hints would collide."""
    natural = {text for kind, text, _ in keys if kind == "n"}
    # Every (kind, text) first occurs once on some side, so occurrence 1 names one item per distinct key.
    hints = Counter(hint(items[(kind, text, 1)]) for kind, text in {(k[0], k[1]) for k in keys if k[0] != "n"})
    labels: dict[Key, str] = {}
    for key in keys:
        kind, text, occurrence = key
        label = text if kind == "n" else hint(items[key])
        if kind != "n" and (hints[label] > 1 or label in natural):
            label += "~" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        labels[key] = label + (f"#{occurrence}" if occurrence > 1 else "")
    return labels


def ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return list(new) + [k for k in old if k not in new]


def _both(old: Any, new: Any, kind: type) -> bool:
    return (absent(old) or isinstance(old, kind)) and (absent(new) or isinstance(new, kind))


def _position(value: Any) -> Any:
    # -1 is ODCS's default position: "not part of the key".
    return None if value == -1 else value


# ---------------------------------------------------------------- what each field of an object or property means

ELEMENT_RULES = {
    "logicalType": "type-changed",
    "physicalType": "type-changed",
    "items": "type-changed",
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


def _quality_loose(item: Any) -> str | None:
    """A rule without name or id is known by what it checks, not by its thresholds or documentation."""
    if not isinstance(item, dict):
        return None
    skip = QUALITY_INFO | set(r.THRESHOLDS) | set(VALUE_LISTS) | {"severity"}
    core = {k: v for k, v in item.items() if k not in skip}
    if isinstance(core.get("arguments"), dict):
        core["arguments"] = {k: v for k, v in core["arguments"].items() if k not in VALUE_LISTS}
    return _canonical(core)


def _added_property_rule(prop: Any) -> str:
    if isinstance(prop, dict) and prop.get("required") is True:
        return "required-property-added"
    if isinstance(prop, dict) and prop.get("primaryKey") is True:
        return "primary-key-changed"
    return "property-added"


class Walker:
    """Collects the changes between two documents, section by section."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def emit(self, parts: Parts, old: Any, new: Any, rule: str) -> None:
        self.changes.append(
            Change(parts, kind_of(old, new), None if absent(old) else old, None if absent(new) else new, rule)
        )

    def document(self, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
        for key in ordered_keys(old, new):
            if key in IGNORED:
                continue
            o, n, parts = old.get(key), new.get(key), (key,)
            if key == "schema":
                self.keyed(parts, o, n, KEYS["schema"], ("object-added", "object-removed"), self.element)
            elif key == "servers":
                self.keyed(parts, o, n, KEYS["servers"], ("server-added", "server-removed"), self.server)
            elif key == "quality":
                self.quality(parts, o, n)
            elif key == "team":
                self.team(o, n)
            else:
                self.value(parts, o, n, SECTION_RULES.get(key, "metadata-changed"))
        return self.changes

    # ------------------------------------------------------------ generic values

    def value(self, parts: Parts, old: Any, new: Any, rule: str) -> None:
        if old == new or (absent(old) and absent(new)):
            return
        if absent(old) or absent(new):
            self.emit(parts, old, new, rule)
        elif isinstance(old, dict) and isinstance(new, dict):
            for key in ordered_keys(old, new):
                self.value((*parts, str(key)), old.get(key), new.get(key), rule)
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(parts, old, new, rule)
        else:
            self.emit(parts, old, new, rule)

    def sequence(self, parts: Parts, old: list[Any], new: list[Any], rule: str) -> None:
        scalars = all(not isinstance(i, dict | list) for i in old + new)
        if parts[-1] in ORDERED or (not scalars and any(isinstance(i, list) for i in old + new)):
            self.emit(parts, old, new, rule)
        elif scalars:
            self.members(parts, old, new, (rule, rule))
        else:
            for label, o, n in match(old, new, KEYS.get(parts[-1], NAMED)):
                self.value((*parts, label), None if o is MISSING else o, None if n is MISSING else n, rule)

    def members(self, parts: Parts, old: list[Any], new: list[Any], rules: tuple[str, str]) -> None:
        """A set of values (tags, enum values): each member added or removed on its own."""
        for label, o, n in match(old, new, _enum_key):
            here = (*parts, f"[{label}]")
            if o is MISSING:
                self.emit(here, None, n, rules[0])
            elif n is MISSING:
                self.emit(here, o, None, rules[1])
            else:
                self.value(here, o, n, "metadata-changed")

    def keyed(self, parts: Parts, old: Any, new: Any, key: KeyFn, rules: Rules, pair: Callable[..., None]) -> None:
        """A list of named items: whole items added or removed under ``rules``, matched ones compared by ``pair``."""
        if not _both(old, new, list):
            self.emit(parts, old, new, "type-changed")
            return
        for label, o, n in match(old or [], new or [], key):
            here = (*parts, label)
            if o is MISSING:
                self.emit(here, None, n, rules[0] if isinstance(rules[0], str) else rules[0](n))
            elif n is MISSING:
                self.emit(here, o, None, rules[1])
            else:
                pair(here, o, n)

    def flag(self, parts: Parts, old: Any, new: Any, rules: tuple[str, str]) -> None:
        if (old is True) != (new is True):
            self.emit(parts, old, new, rules[0] if new is True else rules[1])

    # ------------------------------------------------------------ schema objects and properties

    def element(self, parts: Parts, old: Any, new: Any) -> None:
        """A schema object or a property (they share fields); nested properties and items recurse here."""
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self.value(parts, old, new, "type-changed")
            return
        if old == new:
            return
        for key in ordered_keys(old, new):
            o, n, here = old.get(key), new.get(key), (*parts, key)
            if key == "properties":
                self.keyed(here, o, n, NAMED, (_added_property_rule, "property-removed"), self.element)
            elif key == "items" and not (absent(o) or absent(n)):
                self.element(here, o, n)
            elif key == "quality":
                self.quality(here, o, n)
            elif key == "logicalTypeOptions":
                self.constraints(here, o, n)
            elif key in r.CONSTRAINTS:
                self.constraint(here, key, o, n)
            elif key == "enum":
                self.value_set(here, o, n, (r.LOOSENED, r.TIGHTENED), (r.TIGHTENED, r.LOOSENED))
            elif key in FLAGS:
                self.flag(here, o, n, FLAGS[key])
            elif key == "classification":
                if o != n and not (absent(o) and absent(n)):
                    self.emit(here, o, n, r.classification_rule(o, n))
            elif key in ("primaryKeyPosition", "partitionKeyPosition"):
                self.value(here, _position(o), _position(n), ELEMENT_RULES[key])
            else:
                self.value(here, o, n, ELEMENT_RULES.get(key, "metadata-changed"))

    def constraints(self, parts: Parts, old: Any, new: Any) -> None:
        if not _both(old, new, dict):
            self.emit(parts, old, new, r.TIGHTENED)
            return
        old, new = old or {}, new or {}
        for key in ordered_keys(old, new):
            o, n, here = old.get(key), new.get(key), (*parts, key)
            if key in r.CONSTRAINTS:
                self.constraint(here, key, o, n)
            elif key == "enum":
                self.value_set(here, o, n, (r.LOOSENED, r.TIGHTENED), (r.TIGHTENED, r.LOOSENED))
            else:
                self.value(here, o, n, "metadata-changed")

    def constraint(self, parts: Parts, key: str, old: Any, new: Any) -> None:
        if old == new or (absent(old) and absent(new)):
            return
        if _both(old, new, bool):
            # ODCS 3.0 spelled exclusive bounds as booleans; like uniqueItems, only true constrains.
            self.flag(parts, old, new, (r.TIGHTENED, r.LOOSENED))
        else:
            self.emit(parts, old, new, r.constraint_rule(key, old, new))

    def value_set(self, parts: Parts, old: Any, new: Any, member: tuple[str, str], whole: tuple[str, str]) -> None:
        """Allowed or rejected values: ``member`` rules for a value added/removed, ``whole`` for the list itself."""
        if old == new or (absent(old) and absent(new)):
            return
        if absent(old) or absent(new) or not (isinstance(old, list) and isinstance(new, list)):
            self.emit(parts, old, new, whole[1] if absent(new) else whole[0])
        else:
            self.members(parts, old, new, member)

    # ------------------------------------------------------------ quality rules

    def quality(self, parts: Parts, old: Any, new: Any) -> None:
        if not _both(old, new, list):
            self.emit(parts, old, new, "quality-rule-redefined")
            return
        for label, o, n in match(old or [], new or [], NAMED, _quality_loose, _rule_hint):
            here = (*parts, label)
            if o is MISSING:
                self.emit(here, None, n, "quality-rule-added")
            elif n is MISSING:
                self.emit(here, o, None, "quality-rule-removed")
            else:
                self.quality_rule(here, o, n)

    def quality_rule(self, parts: Parts, old: Any, new: Any) -> None:
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self.value(parts, old, new, "quality-rule-redefined")
            return
        old_t = {k: old[k] for k in r.THRESHOLDS if not absent(old.get(k))}
        new_t = {k: new[k] for k in r.THRESHOLDS if not absent(new.get(k))}
        if old_t != new_t:
            rule = r.threshold_rule(old_t, new_t)
            for key in ordered_keys(old_t, new_t):
                if old_t.get(key) != new_t.get(key):
                    self.emit((*parts, key), old_t.get(key), new_t.get(key), rule)
        for key in ordered_keys(old, new):
            o, n, here = old.get(key), new.get(key), (*parts, key)
            if key in r.THRESHOLDS or o == n:
                continue
            if key == "severity":
                self.emit(here, o, n, r.quality_severity_rule(o, n))
            elif key in VALUE_LISTS:
                self.value_set(here, o, n, VALUE_LISTS[key], (r.STRICTER, r.LOOSER))
            elif key == "arguments" and _both(o, n, dict):
                for arg in ordered_keys(o or {}, n or {}):
                    self.quality_argument((*here, arg), (o or {}).get(arg), (n or {}).get(arg))
            else:
                self.value(here, o, n, "metadata-changed" if key in QUALITY_INFO else "quality-rule-redefined")

    def quality_argument(self, parts: Parts, old: Any, new: Any) -> None:
        if parts[-1] in VALUE_LISTS:
            self.value_set(parts, old, new, VALUE_LISTS[parts[-1]], (r.STRICTER, r.LOOSER))
        else:
            self.value(parts, old, new, "quality-rule-redefined")

    # ------------------------------------------------------------ servers and team

    def server(self, parts: Parts, old: Any, new: Any) -> None:
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self.value(parts, old, new, "server-location-changed")
            return
        for key in ordered_keys(old, new):
            self.value((*parts, key), old.get(key), new.get(key), SERVER_RULES.get(key, "server-location-changed"))

    def team(self, old: Any, new: Any) -> None:
        # ODCS 3.0 lists the members; 3.1 wraps them in an object. Compare like with like.
        if isinstance(old, list) and isinstance(new, dict):
            old = {"members": old}
        elif isinstance(old, dict) and isinstance(new, list):
            new = {"members": new}
        self.value(("team",), old, new, "team-changed")


def walk(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return Walker().document(old, new)
