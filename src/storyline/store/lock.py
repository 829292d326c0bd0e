"""One writer at a time: an advisory lock on ``writer.lock`` beside the database.

SQLite would serialise two writers too, but by making the second one wait and then fail in
the middle of a batch; the lock file makes it fail at once with a message that names the
process holding it. The OS releases the lock when that process dies (kill -9 included), so a
crashed writer never leaves the store locked. Readers take no lock (WAL lets them read while
a writer writes).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from storyline.store.schema import StoreBusy

try:
    import fcntl
except ImportError:  # Windows: fall back on SQLite's own locking
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: int | None = None

    def descriptors(self) -> tuple[int, ...]:
        """The open lock file, for a forked worker to close (only the writer holds it)."""
        return () if self._handle is None else (self._handle,)

    def acquire(self) -> None:
        if self._handle is not None or fcntl is None:
            return
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise StoreBusy(
                f"{self.path.parent}: another storyline process (pid {holder}) is writing "
                "to this store; wait for it to finish or stop it"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode(), 0)
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        os.ftruncate(handle, 0)
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
