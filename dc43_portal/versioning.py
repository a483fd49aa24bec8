"""SemVer 2.0 parsing and precedence (pre-releases included), and bump helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

from dc43_portal.errors import InvalidContract

MAX_VERSION_BYTES = 128
# Major, minor and patch are 64-bit integers in the mirror and the Delta store, so they are bounded like the length.
MAX_VERSION_NUMBER = 2**63 - 1

# The official SemVer 2.0 regular expression (semver.org), anchored.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

BUMPS = ("major", "minor", "patch")


@total_ordering
@dataclass(frozen=True, eq=False)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str = ""

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        return text + (f"+{self.build}" if self.build else "")

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def precedence_key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        """A tuple that sorts like SemVer precedence; build metadata is ignored."""
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        # A release sorts after all of its pre-releases.
        return (*self.core, 0 if self.prerelease else 1, pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.precedence_key() == other.precedence_key()

    def __lt__(self, other: Version) -> bool:
        return self.precedence_key() < other.precedence_key()

    def __hash__(self) -> int:
        return hash(self.precedence_key())

    def bump(self, part: str) -> Version:
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        if part == "patch":
            # A pre-release of x.y.z bumps to x.y.z itself, as npm and semver tools do.
            return Version(*self.core) if self.prerelease else Version(self.major, self.minor, self.patch + 1)
        raise ValueError(f"unknown bump {part!r}, expected one of {', '.join(BUMPS)}")


def parse_version(text: object) -> Version:
    """Parse a strict SemVer 2.0 string or raise ``InvalidContract`` naming the rule."""
    if not isinstance(text, str):
        raise InvalidContract([("version", f"must be a string, got {type(text).__name__}")])
    return _parse(text)


def _parse_text(text: str) -> Version:
    if len(text.encode("utf-8")) > MAX_VERSION_BYTES:
        raise InvalidContract([("version", f"is longer than {MAX_VERSION_BYTES} bytes")])
    match = _SEMVER.fullmatch(text)  # "$" alone would accept a trailing newline
    if match is None:
        raise InvalidContract([("version", f"{text!r} is not a SemVer 2.0 version such as 1.2.0 or 1.0.0-rc.1")])
    major, minor, patch, pre, build = match.groups()
    # No leading zeros and at most 128 bytes: int() stays cheap, and more than 19 digits is always too large.
    if max(int(major), int(minor), int(patch)) > MAX_VERSION_NUMBER:
        raise InvalidContract([("version", f"major, minor and patch must each be at most {MAX_VERSION_NUMBER}")])
    return Version(int(major), int(minor), int(patch), tuple(pre.split(".")) if pre else (), build or "")


# Cached: stores parse the same folder names on every listing, and ``Version`` is immutable. Applied as a call,
# not a decorator, so that mutmut (docs/mutation.md) mutates the parser.
_parse = lru_cache(maxsize=65536)(_parse_text)


def is_version(text: object) -> bool:
    try:
        parse_version(text)
    except InvalidContract:
        return False
    return True


def version_key(text: str) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
    return parse_version(text).precedence_key()


def sort_versions(versions: list[str]) -> list[str]:
    """Sort by SemVer precedence; ties (build metadata only) by the raw text, so the order is stable."""
    return sorted(versions, key=lambda v: (version_key(v), v))


def highest(versions: list[str]) -> str | None:
    return sort_versions(versions)[-1] if versions else None


def sort_fields(text: str) -> dict[str, object]:
    """Columns that let a database order by SemVer: numbers, a release flag and a padded pre-release."""
    v = parse_version(text)
    # Digits sort before letters in every collation, so numeric identifiers stay lower than alphanumeric ones.
    pre = ".".join(p.zfill(20) if p.isdigit() else p for p in v.prerelease)
    return {
        "major": v.major,
        "minor": v.minor,
        "patch": v.patch,
        "is_release": not v.prerelease,
        "prerelease_key": pre,
    }


def build_clash(versions: list[str], version: str) -> str | None:
    """Another version that differs from ``version`` only in build metadata (a conflict, DESIGN §3)."""
    wanted = parse_version(version)
    return next((v for v in versions if v != version and is_version(v) and parse_version(v) == wanted), None)
