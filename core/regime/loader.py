"""Read and validate dated regime figures from a TOML file.

The file holds one ``[[figure]]`` table per figure and validity range (see
the header of ``regime.toml``). Every row is checked when it is read: required
fields present, dates that parse and run forwards, a value that parses as a
decimal, a known unit, axis and tag, and no two rows of the same key and scope
covering the same day. The first fault raises :class:`RegimeDataError` naming
the file, the row and the field.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from beancount_micro.errors import BeancountMicroError, LedgerInputError

UNITS = frozenset(
    {"rate", "EUR", "days", "months", "quarters", "factor", "count", "text"}
)
AXES = frozenset(
    {"income_year", "cash_date", "creation_date", "half_year", "document_date"}
)
TAGS = frozenset({"official", "2ndary", "code", "unverified"})
REQUIRED = ("key", "scope", "valid_from", "value", "unit", "axis", "source", "tag")
OPTIONAL = ("valid_to",)


class Figure(NamedTuple):
    """One dated figure of the regime.

    ``value`` is a :class:`~decimal.Decimal`, except for figures whose unit is
    ``"text"`` (an invoice mention, for instance), where it is a ``str``.
    ``valid_to`` is inclusive; ``None`` means the figure is still in force.
    """

    key: str
    scope: str
    valid_from: date
    valid_to: date | None
    value: Decimal | str
    unit: str
    axis: str
    source: str
    tag: str

    def covers(self, day: date) -> bool:
        """Tell whether the figure applies on ``day``."""
        return self.valid_from <= day and (
            self.valid_to is None or day <= self.valid_to
        )

    def overlaps(self, other: "Figure") -> bool:
        """Tell whether two figures share at least one day of validity."""
        starts_before_other_ends = (
            other.valid_to is None or self.valid_from <= other.valid_to
        )
        other_starts_before_end = (
            self.valid_to is None or other.valid_from <= self.valid_to
        )
        return starts_before_other_ends and other_starts_before_end


class RegimeDataError(LedgerInputError):
    """A regime data file, or one of its rows, is malformed."""


class MissingFigureError(BeancountMicroError):
    """No figure is published for a key and scope on a date."""

    def __init__(self, key: str, scope: str, on: date) -> None:
        self.key = key
        self.scope = scope
        self.on = on
        super().__init__(
            f"figure {key!r} for {scope!r} is not published for {on.isoformat()}: "
            f'add it with `custom "micro" "figure"` in the ledger or a regime-data file'
        )


def load_figures(path: Path) -> list[Figure]:
    """Read every figure of a regime TOML file.

    Raises:
        RegimeDataError: the file cannot be read or parsed, or a row is bad.
    """
    filename = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RegimeDataError(filename, None, f"cannot read: {exc.strerror}") from exc
    import tomllib  # Imported here: the compiled copy of the data needs no TOML.

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RegimeDataError(filename, None, "not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegimeDataError(
            filename, _toml_error_line(exc), f"bad TOML: {exc}"
        ) from exc

    rows = document.get("figure")
    if not isinstance(rows, list):
        raise RegimeDataError(filename, None, "expected [[figure]] tables")
    row_lines = _figure_header_lines(raw.decode("utf-8"))
    figures = [
        _parse_row(filename, index, row_lines, row)
        for index, row in enumerate(rows, start=1)
    ]
    check_no_overlap(figures, filename, row_lines)
    return figures


def check_no_overlap(
    figures: Iterable[Figure],
    filename: str,
    row_lines: list[int] | None = None,
) -> None:
    """Refuse two rows of the same key and scope valid on the same day.

    Raises:
        RegimeDataError: naming the later row and the row it overlaps.
    """
    seen: dict[tuple[str, str], list[tuple[int, Figure]]] = {}
    for index, figure in enumerate(figures, start=1):
        rows = seen.setdefault((figure.key, figure.scope), [])
        for other_index, other in rows:
            if figure.overlaps(other):
                raise RegimeDataError(
                    filename,
                    _line_of(row_lines, index),
                    f"row {index} ({figure.key}/{figure.scope}): field 'valid_from': "
                    f"validity overlaps row {other_index} "
                    f"({other.valid_from} to {other.valid_to or 'open'})",
                )
        rows.append((index, figure))


def _parse_row(filename: str, index: int, row_lines: list[int], row: Any) -> Figure:
    """Turn one ``[[figure]]`` table into a :class:`Figure`."""
    lineno = _line_of(row_lines, index)

    def fail(field: str, expected: str) -> RegimeDataError:
        label = row.get("key", "?") if isinstance(row, Mapping) else "?"
        return RegimeDataError(
            filename, lineno, f"row {index} ({label}): field {field!r}: {expected}"
        )

    if not isinstance(row, Mapping):
        raise fail("figure", "expected a table")
    for field in REQUIRED:
        if field not in row:
            raise fail(field, "required field is missing")
    for field in row:
        if field not in REQUIRED and field not in OPTIONAL:
            raise fail(field, "unknown field")
    for field in ("key", "scope", "source"):
        if not isinstance(row[field], str) or not row[field].strip():
            raise fail(field, "expected a non-empty string")

    unit = row["unit"]
    if unit not in UNITS:
        raise fail("unit", f"expected one of {', '.join(sorted(UNITS))}")
    if row["axis"] not in AXES:
        raise fail("axis", f"expected one of {', '.join(sorted(AXES))}")
    if row["tag"] not in TAGS:
        raise fail("tag", f"expected one of {', '.join(sorted(TAGS))}")

    valid_from = _parse_date(row["valid_from"])
    if valid_from is None:
        raise fail(
            "valid_from", f"expected a date YYYY-MM-DD, found {row['valid_from']!r}"
        )
    valid_to = None
    if "valid_to" in row:
        valid_to = _parse_date(row["valid_to"])
        if valid_to is None:
            raise fail(
                "valid_to", f"expected a date YYYY-MM-DD, found {row['valid_to']!r}"
            )
        if valid_to < valid_from:
            raise fail("valid_to", f"{valid_to} is before valid_from {valid_from}")

    boundary_fault = _axis_boundary_fault(row["axis"], valid_from, valid_to)
    if boundary_fault:
        raise fail(*boundary_fault)

    value = _parse_value(row["value"], unit)
    if value is None:
        expected = "a non-empty string" if unit == "text" else "a decimal number"
        raise fail("value", f"expected {expected}, found {row['value']!r}")

    return Figure(
        key=row["key"],
        scope=row["scope"],
        valid_from=valid_from,
        valid_to=valid_to,
        value=value,
        unit=unit,
        axis=row["axis"],
        source=row["source"],
        tag=row["tag"],
    )


def _axis_boundary_fault(
    axis: str, valid_from: date, valid_to: date | None
) -> tuple[str, str] | None:
    """Yearly figures run on whole calendar years, half-yearly ones on halves."""
    if axis == "income_year":
        starts, ends = {(1, 1)}, {(12, 31)}
    elif axis == "half_year":
        starts, ends = {(1, 1), (7, 1)}, {(6, 30), (12, 31)}
    else:
        return None
    if (valid_from.month, valid_from.day) not in starts:
        return "valid_from", f"an {axis} figure must start on a period's first day"
    if valid_to and (valid_to.month, valid_to.day) not in ends:
        return "valid_to", f"an {axis} figure must end on a period's last day"
    return None


def _parse_date(raw: Any) -> date | None:
    """Accept a TOML date or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _parse_value(raw: Any, unit: str) -> Decimal | str | None:
    """Read a value: text for ``unit = "text"``, a finite decimal otherwise."""
    if unit == "text":
        return raw if isinstance(raw, str) and raw.strip() else None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        # TOML floats are refused: "0.1" as a binary float is not 0.1.
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _figure_header_lines(text: str) -> list[int]:
    """Line numbers of each ``[[figure]]`` header, in order."""
    return [
        lineno
        for lineno, line in enumerate(text.splitlines(), start=1)
        if line.strip().startswith("[[figure]]")
    ]


def _line_of(row_lines: list[int] | None, index: int) -> int | None:
    if row_lines and 0 < index <= len(row_lines):
        return row_lines[index - 1]
    return None


def _toml_error_line(exc: ValueError) -> int | None:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else None
