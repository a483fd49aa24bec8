"""The load generator of ``bench/api.py``, run as its own process: keep-alive GETs over raw asyncio sockets.

``python bench/api_load.py URL --duration 3 --concurrency 8 [--header 'Name: value']...`` prints one JSON
line: requests, seconds, req/s, p50 and p99 in ms, and the count of each status. Raw sockets, because a
Python HTTP client library would measure itself more than the server. HTTP/1.1 with Content-Length
bodies only (what gunicorn and uvicorn send); a ``Connection: close`` answer reconnects.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit


def build_request(url: str, headers: list[str]) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Accept: application/json", *headers]
    return parts.hostname or "127.0.0.1", parts.port or 80, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status and whether the server closes the connection; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    if length:
        await reader.readexactly(length)
    return status, close


async def client(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float], codes: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status, close = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            codes[status] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def run(url: str, duration: float, concurrency: int, headers: list[str], warmup: float) -> dict[str, object]:
    host, port, request = build_request(url, headers)
    if warmup:
        await asyncio.gather(
            *(client(host, port, request, time.perf_counter() + warmup, [], Counter()) for _ in range(concurrency))
        )
    latencies: list[float] = []
    codes: Counter[int] = Counter()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(client(host, port, request, deadline, latencies, codes) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": round(elapsed, 3),
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2) if ordered else None,
        "statuses": {str(k): v for k, v in sorted(codes.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    result = asyncio.run(run(args.url, args.duration, args.concurrency, args.header, args.warmup))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
