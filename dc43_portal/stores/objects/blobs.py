"""Conditional object writes for ``ObjectStorageContractStore``: S3 ETags, or a lock on local disks.

fsspec's portable API has no compare-and-swap, so each kind of storage brings its own:

- ``S3Blobs`` sends S3's conditional headers through s3fs' botocore client: ``If-None-Match: *`` to
  create, ``If-Match: <etag>`` to replace what was read. A lost race is a 412 (or 409) from S3.
- ``LockedBlobs`` serves every other fsspec filesystem. It compares a content hash under a lock: a
  ``flock`` on ``{root}/.lock`` for a local or mounted disk (safe across processes), a thread lock
  elsewhere (safe within one process only, which the store's ``single_writer`` option acknowledges).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

from fsspec.asyn import sync


class Precondition(Exception):
    """The object changed, appeared or vanished since it was read: read again and retry."""


def _code(exc: BaseException) -> str:
    """The S3 error code behind an exception s3fs translated (it keeps botocore's error as the cause)."""
    cause = exc.__cause__
    response = getattr(cause, "response", None) or getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class S3Blobs:
    conditional = True

    def __init__(self, fs: Any, root: str) -> None:
        self.fs = fs
        self.bucket, _, prefix = root.strip("/").partition("/")
        self.prefix = prefix.strip("/")

    def path(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def read(self, key: str) -> tuple[bytes, str] | None:
        return sync(self.fs.loop, self._read, key)

    async def _read(self, key: str) -> tuple[bytes, str] | None:
        try:
            response = await self.fs._call_s3("get_object", Bucket=self.bucket, Key=self.path(key))
        except FileNotFoundError as exc:
            if _code(exc) in ("NoSuchKey", "404", ""):
                return None
            raise OSError(f"bucket {self.bucket!r}: {exc}") from exc
        body = response["Body"]
        try:
            data = await body.read()
        finally:
            body.close()
        return data, str(response["ETag"])

    def write(self, key: str, data: bytes, *, if_match: str | None = None, if_absent: bool = False) -> None:
        sync(self.fs.loop, self._write, key, data, if_match, if_absent)

    async def _write(self, key: str, data: bytes, if_match: str | None, if_absent: bool) -> None:
        conditions = {"IfMatch": if_match} if if_match else {"IfNoneMatch": "*"} if if_absent else {}
        try:
            await self.fs._call_s3(
                "put_object",
                Bucket=self.bucket,
                Key=self.path(key),
                Body=data,
                ContentType="application/json",
                **conditions,
            )
        except FileExistsError:
            raise Precondition(key) from None
        except FileNotFoundError as exc:
            if if_match and _code(exc) == "NoSuchKey":
                raise Precondition(key) from None
            raise OSError(f"bucket {self.bucket!r}: {exc}") from exc
        except OSError as exc:
            if _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise Precondition(key) from None
            raise

    def delete(self, key: str) -> None:
        sync(self.fs.loop, self.fs._call_s3, "delete_object", Bucket=self.bucket, Key=self.path(key))

    def list_keys(self) -> list[str]:
        self.fs.invalidate_cache()
        root = f"{self.bucket}/{self.prefix}".rstrip("/")
        return [p[len(root) + 1 :] for p in self.fs.find(root)]

    def probe(self) -> None:
        sync(self.fs.loop, self.fs._call_s3, "head_bucket", Bucket=self.bucket)


class LockedBlobs:
    def __init__(self, fs: Any, root: str) -> None:
        self.fs, self.root = fs, root.rstrip("/")
        self.local = "file" in _protocols(fs)
        self.conditional = self.local
        self._lock = threading.Lock()

    def path(self, key: str) -> str:
        return f"{self.root}/{key}"

    def read(self, key: str) -> tuple[bytes, str] | None:
        try:
            data = self.fs.cat_file(self.path(key))
        except (FileNotFoundError, NotADirectoryError):
            return None
        return data, hashlib.sha256(data).hexdigest()

    def write(self, key: str, data: bytes, *, if_match: str | None = None, if_absent: bool = False) -> None:
        with self._locked():
            current = self.read(key)
            if (if_absent and current is not None) or (if_match and (current is None or current[1] != if_match)):
                raise Precondition(key)
            if self.local:
                _replace_file(self.path(key), data)
            else:
                self.fs.pipe_file(self.path(key), data)

    def delete(self, key: str) -> None:
        with self._locked(), contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self.path(key))

    def list_keys(self) -> list[str]:
        self.fs.invalidate_cache()
        if not self.fs.exists(self.root):
            return []
        return [p[len(self.root) + 1 :] for p in self.fs.find(self.root)]

    def probe(self) -> None:
        if self.local:
            os.makedirs(self.root, exist_ok=True)
            if not os.access(self.root, os.W_OK):
                raise PermissionError(f"{self.root} is not writable")
        else:
            self.fs.exists(self.root)  # reaches the service; the prefix itself may not exist yet

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            if not self.local:
                yield
                return
            os.makedirs(self.root, exist_ok=True)
            with open(os.path.join(self.root, ".lock"), "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)  # other processes on this disk wait here
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def _replace_file(path: str, data: bytes) -> None:
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def make_blobs(fs: Any, root: str) -> S3Blobs | LockedBlobs:
    return S3Blobs(fs, root) if {"s3", "s3a"} & set(_protocols(fs)) else LockedBlobs(fs, root)
