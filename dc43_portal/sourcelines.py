"""Where a JSON path sits in the author's YAML or JSON text: line numbers for errors, from ruamel.yaml.

ruamel.yaml's round-trip loader keeps each key's and item's line (``.lc``), which PyYAML's safe loader
drops; it is only asked for the paths that need a line, after the fast parse has decided everything else.
Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_LINE_IN_MESSAGE = re.compile(r"\bat line (\d+)")


def path_parts(path: str) -> list[str | int]:
    """``schema[0].properties[2].logicalType`` to ``["schema", 0, "properties", 2, "logicalType"]``."""
    if path in ("", "$"):
        return []
    return [int(index) if index else key for index, key in _PART.findall(path)]


def _load(text: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = True  # the safe loader has refused duplicates already; here we only locate
    return yaml.load(text)


def _line_of(root: Any, parts: list[str | int]) -> int | None:
    """The 1-based line of the deepest part of ``parts`` that exists in ``root``."""
    node, line = root, None
    for part in parts:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list):
                found, node = (lc.item(part) if lc else None), node[part]
            elif isinstance(node, dict) and part in node:
                found, node = (lc.key(part) if lc else None), node[part]
            else:
                break
        except (IndexError, KeyError, TypeError):
            break
        if found:
            line = found[0] + 1
    if line is None and getattr(root, "lc", None) is not None and root.lc.line is not None:
        return int(root.lc.line) + 1
    return line


def lines_of(text: str, paths: Iterable[str]) -> dict[str, int | None]:
    """The line of each JSON path in ``text`` (YAML or JSON); ``None`` where it cannot be told."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    try:
        root = _load(text)
    except (YAMLError, ValueError, RecursionError):
        return dict.fromkeys(wanted)
    return {path: _line_of(root, path_parts(path)) for path in wanted}


def is_yaml_text(text: str) -> bool:
    """Documents are JSON when they open with ``{`` (as ``odcs.parse_document`` decides), YAML otherwise."""
    return not text.lstrip("\ufeff \t\r\n").startswith("{")


def with_top_level(text: str, values: dict[str, str]) -> str | None:
    """``text`` with the top-level scalar lines named in ``values`` set (``status: draft``), every other byte
    kept; ``None`` when one of them is missing, so the caller shows a serialised document instead."""
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}:[ \t]*(['\"]?)([^'\"#\n]*?)\1[ \t]*(#[^\n]*)?$", re.MULTILINE)
        found = pattern.search(text)
        if found is None:
            return None
        if found.group(2) != value:
            comment = f" {found.group(3)}" if found.group(3) else ""
            text = text[: found.start()] + f"{key}: {value}{comment}" + text[found.end() :]
    return text


def line_in_message(message: str) -> int | None:
    """A parser's message that names its line ("invalid YAML at line 3, column 5: ...")."""
    match = _LINE_IN_MESSAGE.search(message)
    return int(match.group(1)) if match else None
