"""The micro-entrepreneur's cockpit: a Fava extension page in French.

Switch it on in the ledger::

    2025-01-01 custom "fava-extension" "beancount_micro.fava_ext"

An optional third value, ``"{'today': '2026-11-30'}"``, fixes the day
deadlines are judged against (Fava reads it at start only).

then run ``fava -H 127.0.0.1 ledger.beancount`` and open "Micro-entreprise"
in the sidebar. The page shows the thresholds of the year, the URSSAF
periods, the registers (CSV and PDF downloads, the same files as
``bean-micro registers``), open invoices with late-payment penalties,
turnover charts and the problems the plugins report.

Nothing is computed until the page is opened; the figures are then kept
until Fava reloads the ledger (a new ``all_entries`` list).
"""

import datetime
import gc
import logging
import os

from beancount_micro.errors import BeancountMicroError, MicroError
from beancount_micro.fava_ext.cockpit import (
    Cockpit,
    build_cockpit,
    journal_filter,
    period_time,
    resolve_today,
    status_label,
)
from beancount_micro.fava_ext.receivables import BUCKETS
from beancount_micro.formatting import euros, percent, short_date
from beancount_micro.identity import identity_problems
from beancount_micro.model import keep_books, read_books
from beancount_micro.register_export import to_csv, to_pdf
from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, abort, request

log = logging.getLogger(__name__)

FORMATS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
KINDS = ("recettes", "achats", "both")
# Rows of a register shown on the page; the downloads hold every row.
PAGE_ROWS = 200


class MicroCockpit(FavaExtensionBase):
    """Thresholds, URSSAF, registers, receivables, turnover and problems."""

    report_title = "Micro-entreprise"
    has_js_module = True

    def __init__(self, ledger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        # From the next load on, the plugins leave their books for the page.
        keep_books()
        self._cockpit: Cockpit | None = None
        self._loaded_entries: object = None
        self._stylesheet: str | None = None

    def after_load_file(self) -> None:
        """Forget the figures of the previous load; add the identity problems.

        The plugins check the shape of SIRET and SIREN numbers but not their
        checksum (see ``beancount_micro.identity``); Fava's errors page shows
        those too, as ``bean-micro check`` does. Only the ``open`` and
        ``custom`` directives are read for them (a few ms for 400).
        """
        self._cockpit = None
        self._loaded_entries = None
        by_type = self.ledger.all_entries_by_type
        identities = read_books([*by_type.Open, *by_type.Custom], self.ledger.options)
        problems = identity_problems(identities)
        if problems:
            self.ledger.load_errors = [*self.ledger.load_errors, *problems]

    def today(self) -> datetime.date:
        """The day deadlines are judged against (see ``resolve_today``)."""
        return resolve_today(
            self.config, self.ledger.options, os.environ.get("BEANCOUNT_MICRO_TODAY")
        )

    def cockpit(self) -> Cockpit:
        """The figures of the current load, computed on first use."""
        entries = self.ledger.all_entries
        today = self.today()
        cached = self._cockpit
        if (
            cached is None
            or self._loaded_entries is not entries
            or cached.today != today
        ):
            cached = build_cockpit(entries, self.ledger.options, today)
            self._cockpit, self._loaded_entries = cached, entries
        return cached

    def page(self) -> dict:
        """What the template needs: the cockpit, or the message of a failure."""
        try:
            cockpit = self.cockpit()
        except BeancountMicroError as exc:
            log.error("cockpit failed: %s", exc)
            return {"error": str(exc)}
        year = _year_arg() or cockpit.today.year
        return {
            "error": "",
            "cockpit": cockpit,
            "year": year,
            "registers": cockpit.registers(year) if cockpit.business else (),
            "chart": cockpit.turnover_chart(year) if cockpit.business else {},
            "page_rows": PAGE_ROWS,
            "buckets": BUCKETS,
            "euros": euros,
            "percent": percent,
            "short_date": short_date,
            "status_label": status_label,
            "journal_filter": journal_filter,
            "period_time": period_time,
        }

    def stylesheet(self) -> str:
        """The page's CSS, inlined so that it needs no extra request."""
        if self._stylesheet is None:
            path = self.extension_dir / "MicroCockpit.css"
            self._stylesheet = path.read_text(encoding="utf-8")
        return self._stylesheet

    @extension_endpoint("register")
    def register(self) -> Response:
        """Download a register of a year: ``?year=2026&kind=recettes&format=pdf``.

        ``kind`` is ``recettes``, ``achats`` or ``both`` (PDF only); the files
        are those ``bean-micro registers`` writes.
        """
        fmt = request.args.get("format", "csv")
        kind = request.args.get("kind", "recettes")
        year = _year_arg()
        if fmt not in FORMATS or kind not in KINDS or year is None:
            abort(400, "expected year=YYYY, kind=recettes|achats|both, format=csv|pdf")
        if kind == "both" and fmt == "csv":
            abort(400, "a CSV holds one register: kind=recettes or kind=achats")
        cockpit = self.cockpit()
        if cockpit.business is None:
            abort(404, 'the ledger has no custom "micro" "business" directive')
        receipts, purchases = cockpit.registers(year)
        chosen = {"recettes": [receipts], "achats": [purchases]}.get(
            kind, [receipts, purchases]
        )
        if fmt == "csv":
            payload = ("\ufeff" + to_csv(chosen[0])).encode("utf-8")
        else:
            # Transactions Beancount could not book are missing: say so.
            complete = all(isinstance(e, MicroError) for e in self.ledger.load_errors)
            payload = to_pdf(cockpit.books, chosen, cockpit.today, complete)
        name = (
            f"registre-{kind}-{year}.{fmt}"
            if kind != "both"
            else f"registres-{year}.pdf"
        )
        return Response(
            payload,
            content_type=FORMATS[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _without_gc_pauses(function, *args):
    """Call ``function`` with the cyclic garbage collector paused.

    Reading the books allocates many small objects while Fava holds the whole
    ledger in memory, so each full collection walks every entry: pausing it
    halves the time on a 100 000-transaction ledger. Nothing is lost: any
    cycle left behind is collected once the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if enabled:
            gc.enable()


def _year_arg() -> int | None:
    """The ``year`` query argument when it is a calendar year, else None."""
    value = request.args.get("year", "")
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    if not 1900 <= int(value) <= 9998:
        return None
    return int(value)
