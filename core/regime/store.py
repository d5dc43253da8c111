"""Look up dated regime figures: packaged data plus the user's overrides.

>>> from datetime import date
>>> Regime.default().value("urssaf_rate", "bnc_ssi", date(2026, 3, 31))
Decimal('0.256')

A figure the packaged data does not hold for the date asked raises
:class:`MissingFigureError`; it is never taken from an earlier period.
"""

import functools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount_micro.regime.loader import (
    Figure,
    MissingFigureError,
    RegimeDataError,
)

PACKAGED_DATA = Path(__file__).with_name("regime.toml")


class Regime:
    """Every dated figure, looked up by key, scope and date.

    Overrides (figures from the ledger or from a user's TOML file) win over
    the packaged rows on the days they cover; among overrides, the one that
    starts latest wins.
    """

    def __init__(
        self, figures: Iterable[Figure], overrides: Iterable[Figure] = ()
    ) -> None:
        self._base = _index(figures)
        self._overrides = _index(overrides)

    @classmethod
    def default(cls) -> "Regime":
        """Return the regime data shipped with the package (read once)."""
        return _packaged()

    def with_figures(self, figures: Iterable[Figure]) -> "Regime":
        """Return a regime where ``figures`` override the current data."""
        return Regime(_flatten(self._base), [*_flatten(self._overrides), *figures])

    def figure(self, key: str, scope: str, on: date) -> Figure:
        """Return the figure for ``key`` and ``scope`` valid on ``on``.

        Raises:
            MissingFigureError: no figure is published for that date.
        """
        covering = [f for f in self._overrides.get((key, scope), ()) if f.covers(on)]
        if covering:
            return max(covering, key=lambda f: f.valid_from)
        for figure in self._base.get((key, scope), ()):
            if figure.covers(on):
                return figure
        raise MissingFigureError(key, scope, on)

    def value(self, key: str, scope: str, on: date) -> Decimal:
        """Return the decimal value of a figure (see :meth:`figure`).

        Raises:
            MissingFigureError: no figure is published for that date.
            RegimeDataError: the figure is a text, not a number.
        """
        value = self.figure(key, scope, on).value
        if not isinstance(value, Decimal):
            raise RegimeDataError(
                "<regime>",
                None,
                f"figure {key!r} for {scope!r} is a text, not a number",
            )
        return value

    def text(self, key: str, scope: str, on: date) -> str:
        """Return the value of a text figure, such as an invoice mention."""
        return str(self.figure(key, scope, on).value)

    def has(self, key: str, scope: str, on: date) -> bool:
        """Tell whether a figure is published for that date."""
        try:
            self.figure(key, scope, on)
        except MissingFigureError:
            return False
        return True

    def figures(self) -> list[Figure]:
        """Every packaged figure then every override, in a stable order."""
        return [*_flatten(self._base), *_flatten(self._overrides)]


@functools.cache
def _packaged() -> Regime:
    from beancount_micro.regime.cache import cached_figures

    return Regime(cached_figures(PACKAGED_DATA))


def _index(figures: Iterable[Figure]) -> dict[tuple[str, str], tuple[Figure, ...]]:
    index: dict[tuple[str, str], list[Figure]] = {}
    for figure in figures:
        index.setdefault((figure.key, figure.scope), []).append(figure)
    return {k: tuple(sorted(v, key=lambda f: f.valid_from)) for k, v in index.items()}


def _flatten(index: dict[tuple[str, str], tuple[Figure, ...]]) -> list[Figure]:
    return [figure for rows in index.values() for figure in rows]
