"""What every ``bean-micro`` command shares: loading the ledger, dates, errors."""

import datetime
import os
from pathlib import Path

import click
from beancount_micro.errors import BeancountMicroError, LedgerInputError
from beancount_micro.identity import identity_problems
from beancount_micro.loading import load_fresh
from beancount_micro.model import Books, books_of_load, keep_books
from beancount_micro.plugin_lines import misplaced_plugins
from beancount_micro.plugins import micro
from beancount_micro.plugins._common import today_from

PLUGIN_MODULES = (
    "beancount_micro.plugins.micro",
    "beancount_micro.plugins.registers",
    "beancount_micro.plugins.thresholds",
    "beancount_micro.plugins.urssaf",
    "beancount_micro.plugins.dedicated_account",
    "beancount_micro.plugins.invoice_numbers",
)

ledger_argument = click.argument(
    "ledger", type=click.Path(dir_okay=False, path_type=Path), metavar="LEDGER"
)
today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge deadlines as of this date (default: $BEANCOUNT_MICRO_TODAY or now).",
)


class Ledger:
    """A loaded ledger: entries, Beancount errors, options, and the books."""

    def __init__(self, path: Path, today: datetime.date | None = None) -> None:
        if not path.is_file():
            raise LedgerInputError(str(path), None, "no such ledger file")
        saved = os.environ.get("BEANCOUNT_MICRO_TODAY")
        if today is not None:
            os.environ["BEANCOUNT_MICRO_TODAY"] = today.isoformat()
        # The books the plugins read while loading serve the command too.
        keep_books(1)
        try:
            self.entries, self.errors, self.options = load_fresh(path)
            self.today, problems = today_from(None)
            if problems:
                raise BeancountMicroError(problems[0].message)
            self.today = today or self.today
        finally:
            if saved is None:
                os.environ.pop("BEANCOUNT_MICRO_TODAY", None)
            else:
                os.environ["BEANCOUNT_MICRO_TODAY"] = saved
        self.path = path
        self.errors = list(self.errors) + misplaced_plugins(self.options)
        declared = {name for name, _ in self.options.get("plugin", [])}
        if not declared.intersection(PLUGIN_MODULES):
            # The ledger does not switch the checks on: run them here.
            config = repr({"today": self.today.isoformat()})
            _, extra = micro.micro(self.entries, self.options, config)
            self.errors = list(self.errors) + list(extra)
        self.books: Books = books_of_load(self.entries, self.options)
        # The checksums of identity numbers, which the plugins leave out.
        self.errors += identity_problems(self.books)
        self.complete = True


def format_error(error) -> str:
    """``file:line: message``, as bean-check prints it."""
    source = getattr(error, "source", None) or {}
    filename = source.get("filename", "<unknown>")
    lineno = source.get("lineno", 0)
    message = str(getattr(error, "message", error)).strip().splitlines()[0]
    return f"{filename}:{lineno}: {message}"


class MicroGroup(click.Group):
    """A Click group turning our exceptions into one line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BeancountMicroError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
