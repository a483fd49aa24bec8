"""The walker of the semantic diff: it pairs list items by identity (``diff_match``) and emits one
``Change`` per difference with the rule that classifies it (see the table in ``diff.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dc43_portal.diff import rules as r
from dc43_portal.diff.fields import (
    DEPRECATED_REMOVED,
    ELEMENT_RULES,
    ELEMENT_TYPES,
    FLAGS,
    QUALITY_INFO,
    SECTION_RULES,
    SERVER_RULES,
    VALUE_LISTS,
    VECTOR_OPTIONS,
)
from dc43_portal.diff.match import MISSING, ORDERED, KeyFn, canonical, field_key, hint, match, scalar_text
from dc43_portal.diff.rules import Change, absent, kind_of

# (rule for an added item, or a function of the item; the same for a removed item)
Rules = tuple[str | Callable[[Any], str], str | Callable[[Any], str]]
Parts = tuple[str, ...]
# The portal owns ``status`` and the version is what is being compared: neither is a change.
IGNORED = frozenset({"status", "version"})


def _sla_key(item: Any) -> str | None:
    prop = field_key("property", "id")(item)
    element = item.get("element") if isinstance(item, dict) else None
    return f"{prop}@{element}" if prop and isinstance(element, str) and element else prop


def _enum_key(item: Any) -> str | None:
    value = item.get("value") if isinstance(item, dict) else item
    return None if isinstance(value, dict | list) else scalar_text(value)


def _rule_hint(item: Any) -> str:
    return hint(item, "rule")


STABLE_ID = field_key("id")
NAMED = field_key("name")
PEOPLE = field_key("username", "name", "id")
KEYS: dict[str, KeyFn] = {
    "schema": field_key("name", "physicalName"),
    "servers": field_key("server"),
    "team": PEOPLE,
    "members": PEOPLE,
    "stakeholders": PEOPLE,
    "roles": field_key("role", "id"),
    "slaProperties": _sla_key,
    "support": field_key("channel", "id"),
    "customProperties": field_key("property", "id"),
    "authoritativeDefinitions": field_key("url", "id"),
    "synonyms": field_key("synonym", "id"),
}


def ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return list(new) + [k for k in old if k not in new]


def _both(old: Any, new: Any, kind: type) -> bool:
    return (absent(old) or isinstance(old, kind)) and (absent(new) or isinstance(new, kind))


def _position(value: Any) -> Any:
    # -1 is ODCS's default position: "not part of the key".
    return None if value == -1 else value


def _without_default(item: Any, key: str, default: str) -> Any:
    """ODCS defaults (a schema object's logicalType ``object``, a quality rule's type ``library``) say nothing."""
    return {k: v for k, v in item.items() if k != key} if isinstance(item, dict) and item.get(key) == default else item


def _defaults_dropped(old: Any, new: Any, key: str, default: str) -> tuple[Any, Any]:
    """Both sides without ``key`` when each holds the default or nothing; a real change stays old → new."""
    if isinstance(old, dict) and isinstance(new, dict) and {old.get(key), new.get(key)} <= {None, default}:
        return _without_default(old, key, default), _without_default(new, key, default)
    return old, new


def _quality_loose(item: Any) -> str | None:
    """A rule without name or id is known by what it checks, not by its thresholds or documentation."""
    if not isinstance(item, dict):
        return None
    item = _without_default(item, "type", "library")
    skip = QUALITY_INFO | set(r.THRESHOLDS) | set(VALUE_LISTS) | {"severity"}
    core = {k: v for k, v in item.items() if k not in skip}
    if isinstance(core.get("arguments"), dict):
        core["arguments"] = {k: v for k, v in core["arguments"].items() if k not in VALUE_LISTS}
    return canonical(core)


def _removed(rule: str) -> Callable[[Any], str]:
    """``rule`` for a removed object or property, unless the old version had marked it deprecated."""
    return lambda item: DEPRECATED_REMOVED if isinstance(item, dict) and item.get("deprecated") is True else rule


def _rule(rule: str | Callable[[Any], str], item: Any) -> str:
    return rule if isinstance(rule, str) else rule(item)


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
        if absent(old) and absent(new):
            return
        self.changes.append(
            Change(parts, kind_of(old, new), None if absent(old) else old, None if absent(new) else new, rule)
        )

    def document(self, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
        for key in ordered_keys(old, new):
            if key in IGNORED:
                continue
            o, n, parts = old.get(key), new.get(key), (key,)
            if key == "schema":
                self.keyed(
                    parts, o, n, KEYS["schema"], ("object-added", _removed("object-removed")), self.schema_object
                )
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
        if parts[-1] in ORDERED:
            self.emit(parts, old, new, rule)
        elif all(not isinstance(i, dict | list) for i in old + new):
            self.members(parts, old, new, (rule, rule))
        else:
            for label, o, n in match(old, new, KEYS.get(parts[-1], NAMED), stable=STABLE_ID):
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
        if old == new:
            return
        if not _both(old, new, list):
            self.emit(parts, old, new, "type-changed")
            return
        for label, o, n in match(old or [], new or [], key, stable=STABLE_ID):
            here = (*parts, label)
            if o is MISSING:
                self.emit(here, None, n, _rule(rules[0], n))
            elif n is MISSING:
                self.emit(here, o, None, _rule(rules[1], o))
            else:
                pair(here, o, n)

    def flag(self, parts: Parts, old: Any, new: Any, rules: tuple[str, str]) -> None:
        if (old is True) != (new is True):
            self.emit(parts, old, new, rules[0] if new is True else rules[1])

    # ------------------------------------------------------------ schema objects and properties

    def schema_object(self, parts: Parts, old: Any, new: Any) -> None:
        self.element(parts, *_defaults_dropped(old, new, "logicalType", "object"))

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
                self.keyed(here, o, n, NAMED, (_added_property_rule, _removed("property-removed")), self.element)
            elif key == "items" and not (absent(o) or absent(n)):
                self.element(here, o, n)
            elif key == "map" and isinstance(o, dict) and isinstance(n, dict):
                self.map_type(here, o, n)
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

    def map_type(self, parts: Parts, old: dict[str, Any], new: dict[str, Any]) -> None:
        """A map's key and value are element types, compared like an array's items (ODCS 3.2)."""
        for part in ordered_keys(old, new):
            o, n = old.get(part), new.get(part)
            if part in ELEMENT_TYPES and isinstance(o, dict) and isinstance(n, dict):
                self.element((*parts, part), o, n)
            else:
                self.value((*parts, part), o, n, "type-changed")

    def constraints(self, parts: Parts, old: Any, new: Any) -> None:
        if old == new:
            return
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
                self.value(here, o, n, VECTOR_OPTIONS.get(key, "metadata-changed"))

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
        if old == new:
            return
        if not _both(old, new, list):
            self.emit(parts, old, new, "quality-rule-redefined")
            return
        for label, o, n in match(
            old or [], new or [], NAMED, stable=STABLE_ID, loose=_quality_loose, label_hint=_rule_hint
        ):
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
        old, new = _defaults_dropped(old, new, "type", "library")
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
