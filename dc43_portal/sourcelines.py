"""Where a JSON path sits in the author's YAML or JSON text: line numbers for errors, from ruamel.yaml.

ruamel.yaml composes the node tree with each key's and item's position (its C parser, from
ruamel.yaml.clib); it is only asked for the paths that need a line, after the fast parse has decided the rest.
Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_LINE_IN_MESSAGE = re.compile(r"\bat line (\d+)")


def path_parts(path: str) -> list[str | int]:
    """``schema[0].properties[2].logicalType`` to ``["schema", 0, "properties", 2, "logicalType"]``."""
    if path in ("", "$"):
        return []
    return [int(index) if index else key for index, key in _PART.findall(path)]


def _compose(text: str) -> Any:
    """The node tree with each node's position; ruamel.yaml's C parser (ruamel.yaml.clib) when installed."""
    return YAML(typ="safe", pure=False).compose(text)


def _line_of(root: Any, parts: list[str | int]) -> int | None:
    """The 1-based line of the deepest part of ``parts`` that exists under ``root``."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in parts:
        found = None
        if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            found = node.value[part]
            line = found.start_mark.line + 1
        elif isinstance(node, MappingNode):
            pair = next((p for p in node.value if isinstance(p[0], ScalarNode) and p[0].value == str(part)), None)
            if pair is not None:
                line, found = pair[0].start_mark.line + 1, pair[1]
        if found is None:
            break
        node = found
    return line


def lines_of(text: str, paths: Iterable[str]) -> dict[str, int | None]:
    """The line of each JSON path in ``text`` (YAML or JSON); ``None`` where it cannot be told."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    try:
        root = _compose(text)
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
