"""``bean-micro quote``, ``invoice`` and ``credit-note``: issue documents.

    bean-micro quote factures/devis-lumiere.toml --ledger ledger.beancount
    bean-micro invoice factures/2026-04-lumiere.toml --ledger ledger.beancount
    bean-micro invoice --from-quote D-2026-0003 --deposit 30% --ledger L
    bean-micro invoice --from-quote D-2026-0003 --ledger L     # final invoice
    bean-micro credit-note F-2026-0012 --amount 200.00 --ledger L
    bean-micro invoice render F-2026-0012 --ledger L          # PDF again

Each command takes the next number, renders the PDF, appends the entry to
the ledger and prints where both went. Settings come from
``beancount-micro.toml`` beside the ledger; the options below override them.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from beancount_micro.invoice import (
    IssueResult,
    issue_credit_note,
    issue_invoice,
    issue_quote,
    load_config,
    render_existing,
)
from beancount_micro.invoice.config import PROFILES, InvoiceConfig

DATE = click.DateTime(formats=["%Y-%m-%d"])


def settings_options(command):
    """The options shared by every command: ledger, configuration overrides."""
    options = [
        click.option(
            "--ledger",
            "-l",
            "ledger",
            required=True,
            envvar="BEAN_MICRO_LEDGER",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="The ledger (the numbering counter).",
        ),
        click.option(
            "--config",
            "config_path",
            help="Settings file (default: beancount-micro.toml beside the ledger).",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
        ),
        click.option(
            "--write-to",
            "output",
            type=click.Path(path_type=Path),
            help="Ledger file the entries are appended to.",
        ),
        click.option(
            "--pdf-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder of the PDFs.",
        ),
        click.option(
            "--logo",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Logo image printed on documents.",
        ),
        click.option("--brand-colour", help="Accent colour, #rrggbb."),
        click.option(
            "--template",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Your own Jinja2 HTML template.",
        ),
        click.option(
            "--profile", type=click.Choice(PROFILES), help="Factur-X profile."
        ),
        click.option(
            "--date", "issued", type=DATE, help="Issue date (default: today)."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _config(ledger: Path, config_path: Path | None, **overrides) -> InvoiceConfig:
    config = load_config(ledger, config_path)
    resolved = {
        key: value.resolve() if isinstance(value, Path) else value
        for key, value in overrides.items()
    }
    config = config.with_options(**resolved)
    if config.pdf_dir != config.quote_dir and overrides.get("pdf_dir"):
        config = config.with_options(quote_dir=config.pdf_dir)
    return config


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


def _report(result: IssueResult) -> None:
    if result.number is None:
        click.echo(f"draft {result.kind} (no number): {result.pdf}")
        return
    click.echo(
        f"{result.number} ({result.kind}) {result.due_amount} EUR: "
        f"PDF {result.pdf}, entry appended to {result.ledger_file}"
    )


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--draft", is_flag=True, help="Render without number or ledger entry.")
@settings_options
def quote(source, draft, ledger, config_path, issued, **overrides) -> None:
    """Issue a quote (D-YYYY-NNNN) from its TOML SOURCE."""
    config = _config(ledger, config_path, **overrides)
    _report(issue_quote(config, source.resolve(), _day(issued), draft))


@click.command()
@click.argument("target", nargs=-1)
@click.option(
    "--from-quote",
    "from_quote",
    metavar="D-…",
    help="Invoice an accepted quote (a final invoice when it has deposits).",
)
@click.option(
    "--deposit",
    metavar="PERCENT|AMOUNT",
    help="Issue a deposit invoice: 30% or 450.00.",
)
@click.option("--draft", is_flag=True, help="Render without number or ledger entry.")
@click.option(
    "-o",
    "--output-pdf",
    "output_pdf",
    type=click.Path(path_type=Path),
    help="render: where to write the PDF.",
)
@click.option("--force", is_flag=True, help="render: overwrite an existing PDF.")
@settings_options
def invoice(target, from_quote, deposit, draft, output_pdf, force, ledger,
            config_path, issued, **overrides) -> None:  # fmt: skip
    """Issue an invoice from SOURCE or --from-quote, or `render NUMBER` again."""
    config = _config(ledger, config_path, **overrides)
    if target and target[0] == "render":
        if len(target) != 2:
            raise click.UsageError("usage: bean-micro invoice render F-YYYY-NNNN")
        path = render_existing(config, target[1], output_pdf, force)
        click.echo(f"{target[1]}: PDF rendered again to {path}")
        return
    if len(target) > 1 or (target and from_quote) or not (target or from_quote):
        raise click.UsageError("give one SOURCE file or --from-quote D-…")
    source = None
    if target:
        source = Path(target[0])
        if not source.is_file():
            raise click.BadParameter(f"{source}: no such file", param_hint="SOURCE")
        source = source.resolve()
    result = issue_invoice(config, source, from_quote, deposit, _day(issued), draft)
    _report(result)


@click.command("credit-note")
@click.argument("number")
@click.option("--amount", help="Credit this amount (EUR) instead of the whole invoice.")
@click.option("--lines", "line_numbers", help="Credit these lines in full: 1,3.")
@settings_options
def credit_note(number, amount, line_numbers, ledger, config_path, issued,
                **overrides) -> None:  # fmt: skip
    """Issue a credit note for invoice NUMBER, in full or in part."""
    if amount and line_numbers:
        raise click.UsageError("give --amount or --lines, not both")
    value = None
    if amount:
        try:
            value = Decimal(amount.replace(",", "."))
        except InvalidOperation as exc:
            raise click.BadParameter(f"{amount!r} is not an amount") from exc
        if not value.is_finite() or value <= 0:
            raise click.BadParameter(f"{amount!r} must be a positive amount")
    lines = None
    if line_numbers:
        try:
            lines = [int(n) for n in line_numbers.split(",")]
        except ValueError as exc:
            raise click.BadParameter(f"{line_numbers!r}: expected 1,3") from exc
    config = _config(ledger, config_path, **overrides)
    _report(issue_credit_note(config, number, value, lines, _day(issued)))


commands = [quote, invoice, credit_note]
