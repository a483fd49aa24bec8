"""Parse, validate, serialise and fingerprint ODCS documents (DESIGN §2); no Django here."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from open_data_contract_standard.model import OpenDataContractStandard
from pydantic import ValidationError

from dc43_portal import nesting, schemacheck
from dc43_portal.errors import DocumentTooLarge, InvalidContract
from dc43_portal.ids import check_contract_id
from dc43_portal.versioning import parse_version

DEFAULT_MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_PROPERTY_DEPTH = 12
# Expanded size a YAML document may reach through aliases before it is refused (billion laughs).
MAX_EXPANDED_NODES = 1_000_000
# JSON nesting of any kind; real documents stay under 30, and recursive consumers fail near 500.
MAX_NESTING = 100
SCHEMA_FILES = schemacheck.SCHEMA_FILES
SUPPORTED_API_VERSIONS = tuple(SCHEMA_FILES)
# dc43 writes apiVersion without the "v"; accepted as a documented alias and stored unchanged.
API_VERSION_ALIASES = {"3.0.2": "v3.0.2"}
MODES = ("strict", "dc43")
Document = dict[str, Any]


@dataclass
class Verdict:
    """The outcome of an accepted document: the document itself and the warnings it carries."""

    document: Document
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- parsing


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader, minus YAML 1.1 timestamps, refusing duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a scalar", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _reject_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidContract([("", f"duplicate key {key!r}")])
        result[key] = value
    return result


def parse_document(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Document:
    """Bytes or text (JSON or YAML, UTF-8 with an optional BOM) to a JSON-compatible mapping."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise DocumentTooLarge(f"the document is {len(raw)} bytes; the limit is {max_bytes} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidContract([("", f"the document is not UTF-8 (byte {exc.start})")]) from None
    if not text.strip():
        raise InvalidContract([("", "the document is empty")])
    if text.lstrip().startswith("{"):
        try:
            loaded = json.loads(text, object_pairs_hook=_reject_duplicate_json_keys, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise InvalidContract([("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]) from None
        except RecursionError:
            raise InvalidContract([("", "the document is nested too deeply")]) from None
        except ValueError as exc:  # an integer beyond Python's digit limit (4300 digits)
            raise InvalidContract([("", f"invalid JSON: {exc}")]) from None
    else:
        loaded = _load_yaml(text)
    if not isinstance(loaded, dict):
        raise InvalidContract([("", f"the document must be a mapping, got {_json_type(loaded)}")])
    _check_json_value(loaded)
    return loaded


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> bytes:
    """A document file's bytes, reading one byte past the limit at most (a huge file or a device never fills memory)."""
    with open(path, "rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise DocumentTooLarge(f"{path} is larger than the limit of {max_bytes} bytes")
    return raw


def _no_constant(name: str) -> None:
    raise InvalidContract([("", f"{name} is not a JSON value")])


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a CSafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidContract([("", f"invalid YAML{where}: {exc.problem or exc.context}")]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InvalidContract([("", f"invalid YAML: {exc.__class__.__name__}")]) from None


def check_values(doc: Any) -> None:
    """What parsing checks of the values, for a document that did not come through ``parse_document``."""
    _check_json_value(doc)


def _check_json_value(root: Any) -> None:
    """Refuse cycles, non-JSON values and alias bombs, walking shared nodes as often as JSON would."""
    budget = MAX_EXPANDED_NODES
    stack: list[tuple[Any, str, frozenset[int]]] = [(root, "", frozenset())]
    while stack:
        node, path, ancestors = stack.pop()
        budget -= 1
        if budget < 0:
            raise InvalidContract([("", "the document expands to too many nodes (YAML aliases)")])
        if len(ancestors) > MAX_NESTING:
            raise InvalidContract([(path, f"the document is nested more than {MAX_NESTING} levels deep")])
        if isinstance(node, dict | list):
            if id(node) in ancestors:
                raise InvalidContract([(path, "the document refers to itself (recursive YAML alias)")])
            inner = ancestors | {id(node)}
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if isinstance(node, dict) and not isinstance(key, str):
                    raise InvalidContract([(path, f"mapping keys must be strings, got {key!r}")])
                child = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
                if isinstance(key, str):
                    _check_text(key, child.lstrip("."))
                stack.append((value, child.lstrip("."), inner))
        elif isinstance(node, str):
            _check_text(node, path)
        elif isinstance(node, float) and node != node or node in (float("inf"), float("-inf")):
            raise InvalidContract([(path, "NaN and infinity are not JSON values")])
        elif not isinstance(node, str | int | float | bool | type(None)):
            raise InvalidContract([(path, f"{type(node).__name__} is not a JSON value")])


def _check_text(text: str, path: str) -> None:
    """Text every store can keep: no NUL (PostgreSQL refuses it) and no lone surrogate (not UTF-8)."""
    if "\x00" in text:
        raise InvalidContract([(path or "$", "text must not contain NUL (U+0000)")])
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidContract([(path or "$", f"text holds a lone surrogate (U+{ord(text[exc.start]):04X})")]) from None


def _json_type(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "nothing"}.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- validation


def schema_api_version(value: object) -> str:
    """The official schema a document's apiVersion validates against, or an error listing them."""
    if isinstance(value, str):
        if value in SCHEMA_FILES:
            return value
        if value in API_VERSION_ALIASES:
            return API_VERSION_ALIASES[value]
    supported = ", ".join([*SUPPORTED_API_VERSIONS, *API_VERSION_ALIASES])
    raise InvalidContract([("apiVersion", f"{value!r} is not supported; use one of {supported}")])


def property_depth(doc: Mapping[str, Any]) -> int:
    """The deepest property level (see ``nesting.measure``)."""
    return nesting.measure(doc).depth


def _check_nesting(doc: Document, max_depth: int) -> nesting.Nesting:
    """Refuse, with the JSON path, properties nested too deeply or too costly to validate (docs/validation.md)."""
    found = nesting.measure(doc)
    if found.depth > max_depth:
        message = f"properties are nested {found.depth} levels deep; the limit is {max_depth}"
        raise InvalidContract([(json_path(found.depth_path), message)])
    limit = nesting.cost_limit(max_depth)
    if found.cost > limit:
        message = (
            f"arrays and maps of objects nest too often to validate: the schema would make {found.cost} "
            f"property checks; the limit is {limit}"
        )
        raise InvalidContract([(json_path(found.heaviest_path), message)])
    return found


def validate_document(doc: Document, *, mode: str = "strict", max_depth: int = DEFAULT_MAX_PROPERTY_DEPTH) -> Verdict:
    """Accept a parsed document under a validation mode, or raise ``InvalidContract`` with paths."""
    if mode not in MODES:
        raise ValueError(f"unknown validation mode {mode!r}; use one of {', '.join(MODES)}")
    api_version = schema_api_version(doc.get("apiVersion"))
    found = _check_nesting(doc, max_depth)
    errors = _portal_errors(doc)
    schema_errors = _schema_errors(doc, api_version, found)
    if mode == "strict":
        errors += schema_errors
    model_errors = _model_errors(doc)
    if errors or model_errors:
        raise InvalidContract(errors + model_errors)
    warnings = [f"{path}: {msg}" if path else msg for path, msg in schema_errors]
    if doc.get("apiVersion") in API_VERSION_ALIASES:
        warnings.insert(0, f"apiVersion {doc['apiVersion']!r} is read as {api_version!r}")
    return Verdict(document=doc, warnings=warnings if mode == "dc43" else [])


def _portal_errors(doc: Document) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for check in (lambda: check_contract_id(doc.get("id")), lambda: parse_version(doc.get("version"))):
        try:
            check()
        except InvalidContract as exc:
            errors += exc.errors
    return errors


def _schema_errors(doc: Document, api_version: str, found: nesting.Nesting) -> list[tuple[str, str]]:
    # The schema checks the official apiVersion spelling; the alias is only read as it, never rewritten.
    instance = {**doc, "apiVersion": api_version}
    return [(json_path(path), message) for path, message in schemacheck.errors(instance, api_version, found)]


def _model_errors(doc: Document) -> list[tuple[str, str]]:
    try:
        OpenDataContractStandard.model_validate(doc)
    except ValidationError as exc:
        return [(json_path(err["loc"]), f"{err['msg']} (ODCS model)") for err in exc.errors()[:20]]
    return []


def json_path(parts: Any) -> str:
    """``["schema", 0, "properties", 2, "logicalType"]`` to ``schema[0].properties[2].logicalType``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "$"


# ---------------------------------------------------------------- serialising


def as_document(contract: Mapping[str, Any] | OpenDataContractStandard) -> Document:
    """A plain, independent JSON document from a mapping or an ODCS model."""
    if isinstance(contract, OpenDataContractStandard):
        return contract.model_dump(by_alias=True, exclude_none=True, mode="json")
    if isinstance(contract, Mapping):
        return copy.deepcopy(dict(contract))
    raise TypeError(f"expected a mapping or an OpenDataContractStandard model, got {type(contract).__name__}")


def to_model(doc: Mapping[str, Any]) -> OpenDataContractStandard:
    return OpenDataContractStandard.model_validate(dict(doc))


def canonical_json(doc: Mapping[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(doc: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON without ``status``, which the portal owns."""
    return hashlib.sha256(canonical_json({k: v for k, v in doc.items() if k != "status"})).hexdigest()


def with_status(doc: Mapping[str, Any], status: str) -> Document:
    return {**doc, "status": status}


def dump_json(doc: Mapping[str, Any]) -> str:
    """Readable JSON in the author's key order, as files on disk and downloads use it (never sorted: only
    ``canonical_json``, for the fingerprint, sorts keys)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def compact_json(doc: Mapping[str, Any]) -> bytes:
    """Compact JSON in the author's key order: API bodies and stores that keep a JSON column."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def dump_yaml(doc: Mapping[str, Any]) -> str:
    return yaml.dump(dict(doc), Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
