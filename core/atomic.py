"""Atomic, locked file writes: never a half-written ledger or document.

Every write goes to a temporary file in the target's folder, is flushed and
fsynced, then renamed over the target (``os.replace`` is atomic on POSIX).
A symbolic link is followed, so the file it points to is the one replaced.
Writers of one file hold the same exclusive lock (``filelock``, a hidden
``.NAME.lock`` beside the real file), so two commands running at once queue
instead of losing a write.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from beancount_micro.errors import BeancountMicroError
from filelock import FileLock, Timeout

LOCK_TIMEOUT = 120.0


class FileBusyError(BeancountMicroError):
    """Another command kept the file locked for too long."""

    def __init__(self, path: Path, seconds: float) -> None:
        super().__init__(
            f"{path}: still locked by another command after {seconds:.0f} s; "
            "try again when it has finished"
        )


def lock_for(path: str | Path, timeout: float = LOCK_TIMEOUT) -> FileLock:
    """The lock that guards ``path`` (a hidden ``.NAME.lock`` beside it)."""
    real = Path(path).resolve()
    return FileLock(str(real.with_name(f".{real.name}.lock")), timeout=timeout)


@contextlib.contextmanager
def locked(path: str | Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of ``path`` for the duration of the block."""
    try:
        with lock_for(path, timeout):
            yield
    except Timeout as exc:
        raise FileBusyError(Path(path), timeout) from exc


def write_bytes_atomic(path: str | Path, payload: bytes) -> None:
    """Replace ``path`` (or the file it links to) with ``payload`` in one step."""
    real = Path(path).resolve()
    real.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        mode = real.stat().st_mode & 0o7777 if real.exists() else _default_mode()
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(real.parent)


def append_text_atomic(path: str | Path, text: str) -> None:
    """Append ``text`` to ``path``, keeping every existing byte.

    The caller holds :func:`locked` for the whole read-compute-write.
    """
    real = Path(path).resolve()
    current = real.read_bytes() if real.exists() else b""
    if current and not current.endswith(b"\n"):
        current += b"\n"
    addition = text.encode("utf-8")
    if addition and not addition.endswith(b"\n"):
        addition += b"\n"
    write_bytes_atomic(real, current + addition)


def _default_mode() -> int:
    """What a plain ``open(path, "w")`` would give: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable, where the platform allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
