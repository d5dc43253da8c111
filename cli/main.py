"""``bean-micro``: the micro-entrepreneur's books from the command line.

bean-micro check ledger.beancount
bean-micro urssaf ledger.beancount --json
bean-micro registers ledger.beancount --year 2026 --format pdf -o registres-2026.pdf
"""

import datetime
import json
from pathlib import Path

import click
from beancount_micro.cli.common import (
    Ledger,
    MicroGroup,
    format_error,
    ledger_argument,
    today_option,
)
from beancount_micro.declarations import next_deadline, urssaf_report
from beancount_micro.errors import BeancountMicroError, LedgerInputError, MicroError
from beancount_micro.formatting import percent
from beancount_micro.identity import identity_problems
from beancount_micro.model import BUSINESS, INVOICES, RECEIPTS
from beancount_micro.register_export import to_csv, to_json, to_pdf
from beancount_micro.registers import purchases_register, receipts_register
from beancount_micro.thresholds import year_statuses


@click.group(cls=MicroGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="beancount-micro")
def cli() -> None:
    """Beancount for French micro-entrepreneurs: checks, URSSAF, registers."""


class IncompleteBooksError(BeancountMicroError):
    """The ledger has problems that leave holes in a report's figures."""

    def __init__(self, path: Path, holes: list) -> None:
        shown = "; ".join(format_error(error) for error in holes[:3])
        more = f" (and {len(holes) - 3} more)" if len(holes) > 3 else ""
        super().__init__(
            f"{path}: the books are incomplete, {len(holes)} problem(s) leave holes "
            f"in the figures: {shown}{more}. Fix them, or pass --allow-incomplete "
            "to get figures marked incomplete"
        )


def _load(
    ledger: Path,
    today: datetime.datetime | None,
    report: bool = False,
    allow_incomplete: bool = False,
) -> Ledger:
    """Load the ledger; for a report, refuse books with holes unless allowed."""
    loaded = _load_only(ledger, today)
    if not report:
        return loaded
    # Beancount's own errors (a transaction it could not book is dropped
    # before the plugins run) and receipts that could not be read leave
    # holes in the figures; findings such as a missing declaration do not.
    holes = [e for e in loaded.errors if not isinstance(e, MicroError)]
    holes += loaded.books.errors_about(RECEIPTS)
    others = loaded.books.errors_about(BUSINESS, INVOICES)
    others += identity_problems(loaded.books)
    if holes and not allow_incomplete:
        raise IncompleteBooksError(ledger, holes)
    for error in holes + others:
        click.echo(f"warning: {format_error(error)}", err=True)
    if holes:
        click.echo(
            f"warning: {len(holes)} problem(s) leave holes in the figures below: "
            "they are marked incomplete",
            err=True,
        )
    loaded.complete = not holes
    return loaded


def _load_only(ledger: Path, today: datetime.datetime | None) -> Ledger:
    return Ledger(ledger, today.date() if today else None)


allow_incomplete_option = click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Produce figures even when ledger errors leave holes in them; they are "
    "marked incomplete.",
)


@cli.command()
@ledger_argument
@today_option
def check(ledger: Path, today) -> None:
    """Load LEDGER, print every problem as file:line: message, then a summary.

    Exits 1 when there is any problem, 0 otherwise.
    """
    loaded = _load(ledger, today)
    for error in loaded.errors:
        click.echo(format_error(error), err=True)
    _summary(loaded)
    count = len(loaded.errors)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found.")
    if count:
        raise SystemExit(1)


def _require_business(loaded: Ledger) -> None:
    if loaded.books.business is None:
        raise LedgerInputError(
            str(loaded.path),
            None,
            'no custom "micro" "business" directive: add the business (start '
            "date, categories, periodicity) as docs/CONVENTIONS.md shows",
        )


def _summary(loaded: Ledger) -> None:
    books = loaded.books
    business = books.business
    if business is None:
        click.echo('No custom "micro" "business" directive: nothing to summarise.')
        return
    click.echo(
        f"{business.display_name} · SIRET {business.siret} · "
        f"{', '.join(business.categories)} · since {business.created} · "
        f"{business.periodicity} declarations" + (" · ACRE" if business.acre else "")
    )
    year = loaded.today.year
    try:
        for status in year_statuses(books, year):
            click.echo(
                f"  {year} {status.kind} ({status.group}): {status.turnover} / "
                f"{status.limit} EUR ({status.share} %)"
            )
        reports, _ = urssaf_report(books, loaded.today)
    except BeancountMicroError as exc:
        click.echo(f"  summary incomplete: {exc}")
        return
    upcoming = next_deadline(reports)
    if upcoming:
        click.echo(
            f"  next URSSAF declaration: {upcoming.period.id}, due "
            f"{upcoming.period.deadline} ({upcoming.status}), turnover "
            f"{upcoming.books_turnover} EUR, to pay {upcoming.total_to_pay} EUR"
        )


@cli.command()
@ledger_argument
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON.")
@allow_incomplete_option
def urssaf(ledger: Path, today, as_json: bool, allow_incomplete: bool) -> None:
    """Every URSSAF period: turnover, contributions, deadline and status."""
    loaded = _load(ledger, today, report=True, allow_incomplete=allow_incomplete)
    books = loaded.books
    _require_business(loaded)
    reports, unknown = urssaf_report(books, loaded.today)
    if as_json:
        document = {
            "schema": "beancount-micro/urssaf/1",
            "today": loaded.today.isoformat(),
            "complete": loaded.complete,
            "business": {
                "name": books.business.display_name,
                "siret": books.business.siret,
                "periodicity": books.business.periodicity,
                "created": books.business.created.isoformat(),
            },
            "periods": [report.to_json() for report in reports],
            "unknown_declarations": [
                {"period": d.period_id, "date": d.date.isoformat()} for d in unknown
            ],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for report in reports:
        period = report.period
        line = (
            f"{period.id:<16} {period.start} → {period.end}  due {period.deadline}  "
            f"{report.status:<13} turnover {report.books_turnover:>9} EUR  "
            f"to pay {report.total_to_pay:>7} EUR"
        )
        if report.penalty:
            line += f"  penalty {report.penalty} EUR"
        click.echo(line)
        for calc in report.calcs:
            for contribution in calc.lines:
                click.echo(
                    f"    {calc.category:<12} {contribution.label:<34} "
                    f"{percent(contribution.rate):>8} × {contribution.base} = "
                    f"{contribution.amount} EUR  [{contribution.source}]"
                )
        mismatch = report.mismatch()
        if mismatch:
            click.echo(f"    declared figures differ from the books: {mismatch}")


@cli.command()
@ledger_argument
@today_option
@click.option("--year", type=int, help="One calendar year.")
@click.option(
    "--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day."
)
@click.option(
    "--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "pdf", "json"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--register",
    "which",
    type=click.Choice(["both", "recettes", "achats"]),
    default="both",
    show_default=True,
    help="Which register.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (CSV of both registers: two files, -recettes and -achats).",
)
@allow_incomplete_option
def registers(
    ledger, today, year, start, end, fmt, which, output, allow_incomplete
) -> None:
    """The livre des recettes and the registre des achats, in French."""
    if year is not None and (start or end):
        raise click.UsageError("give --year or --from/--to, not both")
    if year is not None and not 1900 <= year <= 9998:
        raise click.UsageError(f"--year {year} is not a calendar year")
    if start and end and start > end:
        raise click.UsageError(f"--from {start:%Y-%m-%d} is after --to {end:%Y-%m-%d}")
    loaded = _load(ledger, today, report=True, allow_incomplete=allow_incomplete)
    books = loaded.books
    _require_business(loaded)
    if year is not None:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        start = start.date() if start else None
        end = end.date() if end else None
    built = []
    if which in ("both", "recettes"):
        built.append(receipts_register(books, start, end))
    if which in ("both", "achats"):
        built.append(purchases_register(books, start, end))

    if fmt == "csv":
        _write_csv(built, output)
        return
    payload = (
        to_json(books, built, loaded.complete).encode("utf-8")
        if fmt == "json"
        else to_pdf(books, built, loaded.today, loaded.complete)
    )
    if output is None:
        if fmt == "pdf" and click.get_text_stream("stdout").isatty():
            raise click.UsageError("a PDF goes to a file: add -o FILE.pdf")
        click.echo(payload, nl=False)
        return
    _write_file(output, payload)
    click.echo(f"wrote {output}", err=True)


def _write_csv(built, output: Path | None) -> None:
    if output is None:
        for register in built:
            click.echo(f"# {register.kind}")
            click.echo(to_csv(register), nl=False)
        return
    for register in built:
        path = output
        if len(built) > 1:
            path = output.with_name(f"{output.stem}-{register.kind}{output.suffix}")
        _write_file(path, ("\ufeff" + to_csv(register)).encode("utf-8"))
        click.echo(f"wrote {path}", err=True)


def _write_file(path: Path, payload: bytes) -> None:
    """Write ``payload`` atomically: a temporary file renamed over ``path``."""
    from beancount_micro.atomic import write_bytes_atomic

    write_bytes_atomic(path, payload)


def _register_commands() -> None:
    """Add the commands that live in their own modules."""
    from beancount_micro.cli.importing import import_command, reconcile_command
    from beancount_micro.cli.invoicing import commands as invoicing_commands

    for command in (import_command, reconcile_command, *invoicing_commands):
        cli.add_command(command)


_register_commands()


def main() -> None:
    """Entry point of the ``bean-micro`` script."""
    cli(prog_name="bean-micro")
