"""``bean-micro import`` and ``bean-micro reconcile``: bank statements in.

bean-micro import releve-2026-04.ofx --ledger ledger.beancount
bean-micro import *.ofx --ledger ledger.beancount --output banque.beancount --dry-run
bean-micro reconcile ledger.beancount releve-2026-05.ofx

Statements are assigned to the ledger's bank accounts by the ``ofx-account:``
(and optional ``ofx-bank:``) metadata of their ``open`` directive, or to
``--account`` when the file's account is not declared.
"""

from collections.abc import Sequence
from pathlib import Path

import click
from beancount.core import data
from beancount_micro.errors import LedgerInputError
from beancount_micro.importers.ofx_reader import Statement, read_ofx
from beancount_micro.importers.rules import Rules, load_rules
from beancount_micro.importers.run import ImportRun, Target
from beancount_micro.importers.writer import append_text, format_entries, locked
from beancount_micro.loading import load_fresh

RULES_FILE = "import-rules.toml"

ofx_arguments = click.argument(
    "ofx_files",
    nargs=-1,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OFX...",
)
rules_option = click.option(
    "--rules",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Categorisation rules (TOML; default: {RULES_FILE} beside the ledger).",
)
account_option = click.option(
    "--account",
    default=None,
    help="Ledger account for statements whose ACCTID no open directive declares.",
)


@click.command("import")
@ofx_arguments
@click.option(
    "--ledger",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ledger: what it holds is never imported twice.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File the new entries are appended to (default: the ledger).",
)
@click.option("--dry-run", is_flag=True, help="Print the new entries, write nothing.")
@click.option(
    "--skip-bad-lines",
    is_flag=True,
    help="Import a statement even when some of its lines are refused (warned).",
)
@rules_option
@account_option
def import_command(
    ofx_files: Sequence[Path],
    ledger: Path,
    output: Path | None,
    dry_run: bool,
    skip_bad_lines: bool,
    rules: Path | None,
    account: str | None,
) -> None:
    """Import OFX bank statements into the ledger, each bank line once.

    Credits are matched to open invoices; debits are categorised by the
    rules file; what is not sure is flagged ! on the review account.
    """
    if not ofx_files:
        raise click.UsageError("give at least one OFX file")
    output = output or ledger
    with locked(output):
        run, entries = _import(
            ofx_files, ledger, output, rules, account, skip_bad_lines
        )
        text = format_entries(entries) if entries else ""
        if dry_run:
            click.echo(text, nl=False)
        elif text:
            append_text(output, text)
    _print_report(run, output, dry_run)


@click.command("reconcile")
@click.argument("ledger", type=click.Path(dir_okay=False, path_type=Path))
@ofx_arguments
@rules_option
@account_option
def reconcile_command(
    ledger: Path, ofx_files: Sequence[Path], rules: Path | None, account: str | None
) -> None:
    """List the bank lines to review, with the invoices they might pay.

    Lists the ledger's entries flagged ! on the review account, then, for
    each OFX file given, what an import would leave to review.
    """
    entries, options = _load_ledger(ledger)
    settings = _rules(ledger, rules)
    waiting = [
        entry
        for entry in entries
        if isinstance(entry, data.Transaction)
        and entry.flag == "!"
        and any(p.account == settings.review_account for p in entry.postings)
    ]
    click.echo(f"In the ledger: {len(waiting)} line(s) to review")
    for entry in waiting:
        _echo_review(entry, entry.meta.get("match", ""))

    if ofx_files:
        run = ImportRun(entries, options, settings, strict=False)
        for path in ofx_files:
            _add_file(run, path, entries, account)
        run.entries()
        report = run.report
        click.echo(
            f"In the statements: {report.added} new line(s), {report.matched} "
            f"matched to invoices, {len(report.reviews)} to review"
        )
        for entry, reason in report.reviews:
            _echo_review(entry, reason)


# Steps -----------------------------------------------------------------


def _import(ofx_files, ledger, output, rules, account, skip_bad_lines):
    """Read the ledger and the files; return the run and its new entries."""
    entries, options = _load_ledger(ledger)
    # Entries already written to an output the ledger does not include.
    included = {Path(p).resolve() for p in options["include"]}
    if output.exists() and output.resolve() not in included:
        entries = list(entries) + list(load_fresh(output)[0])
    run = ImportRun(entries, options, _rules(ledger, rules), strict=not skip_bad_lines)
    for path in ofx_files:
        _add_file(run, path, entries, account)
    return run, run.entries()


def _add_file(run: ImportRun, path: Path, entries, account: str | None) -> None:
    """Add every statement of one file to the run."""
    document = read_ofx(path)
    declared = _declared_accounts(entries)
    for statement in document.statements:
        target = _target(statement, declared, account, path)
        run.add_statement(statement, target, str(path))
    for warning in document.warnings:
        run.report.warnings.append(f"{path}: {warning}")


def _declared_accounts(entries) -> dict[str, data.Open]:
    """Return every opened account by name, and bank accounts by OFX id."""
    declared = {}
    for entry in entries:
        if isinstance(entry, data.Open):
            declared[entry.account] = entry
            if "ofx-account" in entry.meta:
                declared[str(entry.meta["ofx-account"]).strip()] = entry
    return declared


def _checked(opened: data.Open, statement: Statement, path) -> Target:
    """The target account, refusing a statement in a currency it does not hold."""
    currency = statement.currency or "EUR"
    if opened.currencies and currency not in opened.currencies:
        raise LedgerInputError(
            str(path),
            None,
            f"the statement of {statement.describe()} is in {currency}, but "
            f"{opened.account} holds only {', '.join(opened.currencies)}",
        )
    return Target(opened.account, currency)


def _target(statement: Statement, declared, account: str | None, path) -> Target:
    """Find the ledger account of a statement."""
    opened = declared.get(statement.account_id)
    bank = str(opened.meta.get("ofx-bank", "")).strip() if opened else ""
    if opened and (not bank or bank == statement.bank_id):
        return _checked(opened, statement, path)
    if account:
        if account not in declared:
            raise LedgerInputError(
                str(path),
                None,
                f"--account {account} is not opened in the ledger: open it first",
            )
        return _checked(declared[account], statement, path)
    raise LedgerInputError(
        str(path),
        None,
        f'no ledger account declares ofx-account: "{statement.account_id}" '
        f"({statement.describe()}); add it to the account's open directive or "
        "pass --account",
    )


def _load_ledger(ledger: Path):
    """Load the ledger; refuse one that does not parse."""
    if not ledger.is_file():
        raise LedgerInputError(str(ledger), None, "no such ledger file")
    entries, errors, options = load_fresh(ledger)
    for error in errors:
        if type(error).__name__.startswith("Parser"):
            source = error.source or {}
            raise LedgerInputError(
                source.get("filename", str(ledger)),
                source.get("lineno"),
                f"the ledger does not parse ({error.message.strip()}); fix it first",
            )
    return entries, options


def _rules(ledger: Path, rules: Path | None) -> Rules:
    """Load the rules file given, or the default one beside the ledger."""
    if rules is None and (ledger.parent / RULES_FILE).is_file():
        rules = ledger.parent / RULES_FILE
    return load_rules(rules)


def _print_report(run: ImportRun, output: Path, dry_run: bool) -> None:
    """Say what the import did, on stderr."""
    for warning in run.report.warnings:
        click.echo(f"warning: {warning}", err=True)
    report = run.report
    verb = "would add" if dry_run else f"added to {output}"
    click.echo(
        f"{verb}: {report.added} transaction(s), {report.balances} balance(s); "
        f"{report.duplicates} already in the ledger; {report.matched} matched to "
        f"invoices; {len(report.reviews)} to review",
        err=True,
    )


def _echo_review(entry: data.Transaction, reason: str) -> None:
    """Print one line to review, with its candidates."""
    amount = entry.postings[0].units
    who = entry.payee or entry.narration
    candidates = entry.meta.get("candidates", "")
    tail = f" [candidates: {candidates}]" if candidates else ""
    click.echo(f"  {entry.date} {amount} {who}: {reason}{tail}")


__all__ = ["import_command", "reconcile_command"]
