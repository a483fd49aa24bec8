"""The guard on webhook targets: http(s) only, and no loopback, private, link-local or metadata address
unless ``DC43_WEBHOOK_ALLOW_PRIVATE`` (tests). Checked when a subscription is saved and at every attempt,
where the request then goes to the address that was checked (no second DNS answer to rebind to)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL_CHARS = 2000
# Cloud metadata services that are not link-local (AWS's 169.254.169.254 already is).
METADATA = {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}


class TargetRefused(ValueError):
    """A webhook URL the portal will not call; the message says why."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: str  # the checked IP address to connect to


def parse_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL, or ``TargetRefused``."""
    if not isinstance(url, str) or not url.strip():
        raise TargetRefused("give the URL to deliver to, e.g. https://hooks.example.com/dc43")
    if len(url) > MAX_URL_CHARS or any(ord(c) < 33 for c in url):
        raise TargetRefused(
            f"a webhook URL is at most {MAX_URL_CHARS} characters, without spaces or control characters"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a valid URL: {exc}") from exc
    if parts.scheme not in {"http", "https"}:
        raise TargetRefused(f"only http and https URLs can receive webhooks, not {parts.scheme or 'a relative URL'!r}")
    if not parts.hostname:
        raise TargetRefused("the URL names no host")
    if parts.username or parts.password:
        raise TargetRefused("put no credentials in the URL; verify the signature instead")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def forbidden(address: str) -> str | None:
    """Why an address is off limits, or ``None``."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "a cloud metadata address"
    for flag, why in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, flag):
            return why
    return None


def resolve(url: str) -> Target:
    """The checked target of ``url``: every address the host resolves to must be allowed."""
    scheme, host, port = parse_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise TargetRefused(f"{host} does not resolve: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.DC43_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            why = forbidden(address)
            if why:
                raise TargetRefused(
                    f"{host} resolves to {address}, {why}; webhooks may not target it "
                    "(DC43_WEBHOOK_ALLOW_PRIVATE=true allows it)"
                )
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])
