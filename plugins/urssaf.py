"""Check the URSSAF declarations of every period against the books.

For every month or quarter since the start of activity, the plugin computes
the turnover cashed and reports:

- a declaration missing after its deadline, with the penalty of CSS
  art. R613-9 and the turnover to declare;
- a declaration whose turnover differs from the books (an entry added or
  edited after declaring), with both figures;
- a declaration naming a period that does not exist for this business;
- a period whose turnover is negative (refunds over receipts, OQ-8).

    plugin "beancount_micro.plugins.urssaf"
    2026-04-20 custom "micro" "declaration" "2026-Q1" 9800.00 EUR
"""

import datetime

from beancount_micro.declarations import urssaf_report
from beancount_micro.errors import MicroError, error_at
from beancount_micro.model import DECLARATIONS, Books
from beancount_micro.plugins._common import run

__plugins__ = ("urssaf",)


def check(books: Books, today: datetime.date) -> list[MicroError]:
    """Missing, mismatching and impossible declarations."""
    errors = list(books.errors_about(DECLARATIONS))
    if books.business is None:
        return errors
    reports, unknown = urssaf_report(books, today)
    valid = ", ".join(r.period.id for r in reports[:3])
    declared = books.cache.get("declared", {})
    for declaration in unknown:
        first = declared.get(declaration.period_id)
        if first is not None:
            message = (
                f"period {declaration.period_id} is declared twice (first at "
                f"{first.meta.get('filename')}:{first.meta.get('lineno')}): a "
                "correction to URSSAF is not a second declaration"
            )
        else:
            message = (
                f"declaration for period {declaration.period_id!r}, which is not a "
                f"declaration period of this business (periods: {valid}, …)"
            )
        errors.append(error_at(declaration.meta, message, declaration.entry))
    for report in reports:
        period = report.period
        if report.status == "late":
            errors.append(
                error_at(
                    books.business.meta,
                    f"URSSAF declaration {period.id} missing: due {period.deadline}, "
                    f"turnover to declare {report.books_turnover} EUR, penalty "
                    f"{report.penalty} EUR (CSS art. R613-9)",
                )
            )
        mismatch = report.mismatch()
        if mismatch:
            errors.append(
                error_at(
                    report.declared.meta,
                    f"declaration {period.id} differs from the books: {mismatch}",
                    report.declared.entry,
                )
            )
        if report.paid and report.paid != report.total_to_pay:
            payments = report.period.id
            errors.append(
                error_at(
                    books.urssaf_payments[payments][0].meta,
                    f"URSSAF payment for {period.id}: paid {report.paid} EUR, the "
                    f"declaration's contributions are {report.total_to_pay} EUR",
                    books.urssaf_payments[payments][0],
                )
            )
        for part, amount in report.negative:
            refunds = [r for r in report.receipts if r.amount < 0]
            where = refunds[-1] if refunds else None
            errors.append(
                error_at(
                    where.meta if where else books.business.meta,
                    f"period {part} has a negative turnover ({amount} EUR): refunds "
                    "exceed receipts; it is declared as 0 until corrected",
                    where.entry if where else None,
                )
            )
    return errors


def urssaf(entries, options_map, config=None):
    return run([check], entries, options_map, config)
