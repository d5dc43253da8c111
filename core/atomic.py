"""Atomic, locked file writes: never a half-written ledger or document.

Every write goes to a temporary file in the target's folder, is flushed and
fsynced, then renamed over the target (``os.replace`` is atomic on POSIX).
Appends to a ledger hold an exclusive lock (``filelock``) on a ``.lock`` file
beside it, so two commands running at once queue instead of losing a write.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock


def lock_for(path: Path, timeout: float = 120) -> FileLock:
    """The lock that guards ``path`` (a hidden ``.lock`` file beside it)."""
    path = Path(path)
    return FileLock(str(path.with_name(f".{path.name}.lock")), timeout=timeout)


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def locked(path: Path, timeout: float = 120) -> Iterator[None]:
    """Hold the lock of ``path`` for the duration of the block."""
    with lock_for(path, timeout):
        yield


def append_text_atomic(path: Path, text: str) -> None:
    """Append ``text`` to ``path`` atomically; the caller holds the lock."""
    path = Path(path)
    current = path.read_bytes() if path.exists() else b""
    if current and not current.endswith(b"\n"):
        current += b"\n"
    write_bytes_atomic(path, current + text.encode("utf-8"))
