"""A compiled copy of the packaged regime data, kept like Python's bytecode.

Parsing and validating ``regime.toml`` (and importing the TOML reader) takes
about 7 ms, as much as the plugins' own work on a few thousand entries, and
it happens on every ``bean-check`` and every Fava load. The figures, once
validated, are kept in ``<name>.<digest>.marshal`` where Python keeps the
bytecode of the folder (``__pycache__`` beside the file, or under
:data:`sys.pycache_prefix`). The digest covers the file's bytes and the code
that validates and stores figures, so an edited file or a changed loader
never reads a stale copy. Like bytecode, the copy is written only where
Python may write bytecode (:data:`sys.dont_write_bytecode`), atomically, and
older copies are removed; any fault reading or writing it only means parsing
the TOML file again.
"""

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount_micro.regime import loader
from beancount_micro.regime.loader import Figure, load_figures

# Bump when the way a figure is stored below changes.
LAYOUT = ("marshal-1", *Figure._fields)
# The code whose changes make every copy stale: the validation and this file.
CODE = (Path(loader.__file__), Path(__file__))


def cached_figures(path: Path) -> list[Figure]:
    """The validated figures of ``path``, from its compiled copy when current.

    Raises:
        RegimeDataError: the file cannot be read or a row is bad.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return load_figures(path)  # Raises the error naming the file.
    copy = _copy_path(path, raw)
    figures = _read_copy(copy)
    if figures is None:
        figures = load_figures(path)
        if not sys.dont_write_bytecode:
            write_copy(copy, figures)
    return figures


def write_copy(copy: Path, figures: list[Figure]) -> bool:
    """Write the compiled copy atomically; tell whether it was written."""
    rows = [
        (
            f.key,
            f.scope,
            f.valid_from.isoformat(),
            f.valid_to.isoformat() if f.valid_to else None,
            str(f.value),
            f.unit,
            f.axis,
            f.source,
            f.tag,
        )
        for f in figures
    ]
    partial = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(marshal.dumps(rows))
        os.replace(partial, copy)
    except OSError:
        # A read-only folder refuses the removal too: nothing was written.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    # Older copies, and what writers killed before their rename left.
    stem = copy.name.split(".", 1)[0]
    for older in [
        *copy.parent.glob(f"{stem}.*.marshal"),
        *copy.parent.glob(f"{stem}.*.marshal.*.tmp"),
    ]:
        if older != copy:
            with contextlib.suppress(OSError):
                older.unlink()
    return True


def copy_path(path: Path) -> Path:
    """Where the compiled copy of ``path`` lives."""
    return _copy_path(path, path.read_bytes())


def _copy_path(path: Path, raw: bytes) -> Path:
    digest = hashlib.sha256(raw + repr(LAYOUT).encode())
    for code in CODE:
        with contextlib.suppress(OSError):
            digest.update(code.read_bytes())
    name = f"{path.stem}.{digest.hexdigest()[:20]}.marshal"
    try:
        # Python's own rule for where the bytecode of a file beside it goes.
        source = str(path.with_suffix(".py"))
        return Path(importlib.util.cache_from_source(source)).with_name(name)
    except NotImplementedError:  # A Python without a bytecode cache tag.
        return path.parent / "__pycache__" / name


def _read_copy(copy: Path) -> list[Figure] | None:
    """The figures of a compiled copy, or None when it is absent or damaged."""
    try:
        rows = marshal.loads(copy.read_bytes())
        if not rows:
            return None  # The packaged data is never empty.
        return [
            Figure(
                key,
                scope,
                date.fromisoformat(valid_from),
                date.fromisoformat(valid_to) if valid_to else None,
                value if unit == "text" else Decimal(value),
                unit,
                axis,
                source,
                tag,
            )
            for key, scope, valid_from, valid_to, value, unit, axis, source, tag in rows
        ]
    except Exception:  # Any damage to the copy means: parse the TOML again.
        return None


if __name__ == "__main__":
    # Setup and benchmarks compile the packaged data, as compileall does code.
    from beancount_micro.regime.store import PACKAGED_DATA

    if not write_copy(copy_path(PACKAGED_DATA), load_figures(PACKAGED_DATA)):
        sys.exit(f"cannot write the compiled copy of {PACKAGED_DATA}")
