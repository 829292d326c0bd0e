"""The file system side of ingest: walking directories, reading files with a size cap, and
saying exactly why a path cannot be read (a symlink loop, a device, a denied directory)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storyline.model import Problem

SIDECAR_SUFFIX = ".meta.json"

_ERRNO_REASONS = {
    errno.ELOOP: "too many levels of symbolic links (a symlink loop)",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a directory",
}


class TooLarge(ValueError):
    """More bytes than the cap allows; the message names the size and the cap."""


def os_reason(error: OSError) -> str:
    """A short, specific reason for an OS error, without the path (the caller names it)."""
    if error.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[error.errno]
    return (error.strerror or str(error)).lower()


def why_missing(path: Path) -> str:
    """The reason a path that is neither a readable file nor a directory cannot be used."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ENOENT and os.path.islink(path):
            return f"broken symbolic link (points to {os.readlink(path)})"
        if error.errno == errno.ENOENT:
            return "no such file or directory"
        return os_reason(error)
    return f"not a regular file ({_kind(mode)})"


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    return "not a file or directory"


def readable_kind(path: Path) -> str | None:
    """ "dir" or "file" for a path that can be read (a named pipe reads as a file), else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: an embedded NUL in the name
        return None
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return "file"
    return None


def walk_directory(root: Path) -> Iterator[Path | Problem]:
    """Files under ``root`` (sorted, hidden names and sidecars left out), and a Problem for each
    directory that cannot be listed; links to directories are not followed (no loops)."""
    failures: list[OSError] = []
    files: list[Path] = []
    for folder, dirnames, filenames in os.walk(root, onerror=failures.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(
            Path(folder) / name
            for name in filenames
            if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX)
        )
    for error in failures:
        where = error.filename or str(root)
        yield Problem(source=str(where), reason=f"cannot read directory ({os_reason(error)})")
    if not files and not failures:
        yield Problem(source=str(root), reason="directory contains no files")
    yield from sorted(files)


def read_capped(path: Path, limit: int) -> bytes:
    """Read a file or named pipe, refusing more than ``limit`` bytes before reading them all."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise TooLarge(f"file too large ({size:,} bytes; limit {limit:,})")
        return read_stream_capped(stream, limit, what="file")


def read_stream_capped(stream: BinaryIO, limit: int, *, what: str) -> bytes:
    """At most ``limit`` bytes of a stream; a longer stream is refused, not cut."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{what} too large (more than {limit:,} bytes; limit {limit:,})")
    return data
