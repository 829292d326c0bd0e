"""Writing a report file: the path is checked before any work, and the file is replaced
atomically, so a crash or a kill never leaves a half-written or empty report behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(ValueError):
    """An output path that cannot be written; the message names the path and the reason."""


def check_output_path(path: Path | str) -> Path:
    """Refuse an output path that cannot be written, before the digest does any work.

    Returns the path; raises :class:`OutputError` for a directory, a missing or non-directory
    parent, or one that cannot be written to.
    """
    target = Path(path)
    text = str(path)
    if text.endswith(("/", os.sep)) or target.is_dir():
        raise OutputError(f"{text}: is a directory; give a file name, e.g. {target / 'report.md'}")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"{text}: directory {parent} does not exist")
    if not parent.is_dir():
        raise OutputError(f"{text}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{text}: cannot write in directory {parent} (permission denied)")
    if target.exists() and not target.is_file():
        raise OutputError(f"{text}: exists and is not a regular file")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"{text}: file is not writable (permission denied)")
    return target


def write_atomic(
    path: Path | str, content: str | Iterable[str], *, encoding: str = "utf-8"
) -> None:
    """Write ``content`` to a temporary file beside ``path``, flush it to disk, then rename it
    over ``path``: readers see the old file or the whole new one, never a part."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline="") as stream:
            for chunk in [content] if isinstance(content, str) else content:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask
    (mkstemp's 0600 would surprise anyone who shares reports)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_directory(directory: Path) -> None:
    # The rename itself survives a power cut only once the directory entry is on disk.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
