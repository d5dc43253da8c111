"""Dated figures of the micro-entrepreneur regime (rates, ceilings, deadlines).

The packaged ``regime.toml`` holds every figure with its validity dates and
legal source. Code never writes a rate or a ceiling as a constant: it asks
:class:`Regime` for the figure valid on the relevant date::

    from beancount_micro.regime import Regime
    rate = Regime.default().value("urssaf_rate", "bnc_ssi", date(2026, 3, 31))

Figures published after the release come from the ledger
(``custom "micro" "figure"``) or from a TOML file in the same format
(:func:`load_figures`), merged with :meth:`Regime.with_figures`.
"""

from beancount_micro.regime.loader import (
    Figure,
    MissingFigureError,
    RegimeDataError,
    load_figures,
)
from beancount_micro.regime.store import PACKAGED_DATA, Regime

__all__ = [
    "PACKAGED_DATA",
    "Figure",
    "MissingFigureError",
    "Regime",
    "RegimeDataError",
    "load_figures",
]
