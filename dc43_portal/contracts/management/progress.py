"""A dependency-free progress bar for management commands, written to stderr."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def progress(items: list[T], stream: Any, *, label: str = "", width: int = 30) -> Iterator[T]:
    total = len(items)
    for done, item in enumerate(items, start=1):
        yield item
        if stream.isatty() or done == total:
            filled = width * done // max(total, 1)
            stream.write(f"\r{label}[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                stream.write("\n")
            stream.flush()


def iter_files(paths: Iterable[str], suffixes: tuple[str, ...] = (".json", ".yaml", ".yml")) -> list[str]:
    from pathlib import Path

    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        else:
            found.append(str(path))
    return found


def rate(count: int, seconds: float, unit: str = "documents") -> str:
    """``in 12.3 s, 81.3 documents/s``: what an operator needs to plan a run at 10 times the size."""
    return f"in {seconds:.1f} s, {count / max(seconds, 1e-9):.1f} {unit}/s"
