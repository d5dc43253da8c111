"""The OFX bank statement importer, for beangulp import scripts.

One importer per bank account, configured with the ledger account, the
account id the bank writes in its OFX files (ACCTID, kept as text), and
optionally the bank id (BANKID) and the rules file:

    # import.py
    import beangulp
    from beancount_micro.importers.ofx import OfxImporter

    importers = [
        OfxImporter("Assets:Banque:Courant-Pro", "00012345678",
                    currency="EUR", bank_id="99999",
                    rules="import-rules.toml"),
    ]
    if __name__ == "__main__":
        beangulp.Ingest(importers)()

then ``python import.py extract releve.ofx -e ledger.beancount``. Lines
already in the ledger (same FITID on the same account) are printed
commented out as duplicates; credits are matched to open invoices of the
ledger. ``bean-micro import`` does the same and also writes the result.
"""

import datetime
import logging
from pathlib import Path

import beangulp
from beancount.core import data
from beancount_micro.errors import BeancountMicroError
from beancount_micro.importers.dedupe import LedgerIndex
from beancount_micro.importers.ofx_reader import OfxDocument, Statement, read_ofx
from beancount_micro.importers.rules import Rules, load_rules
from beancount_micro.importers.run import ImportRun, Target, statement_date

log = logging.getLogger(__name__)

SNIFF_BYTES = 4096


class OfxImporter(beangulp.Importer):
    """Import the statements of one bank account from OFX files."""

    def __init__(
        self,
        account: str,
        account_id: str,
        currency: str = "EUR",
        bank_id: str | None = None,
        rules: str | Path | Rules | None = None,
        strict: bool = True,
    ) -> None:
        self._account = account
        self.account_id = account_id.strip()
        self.bank_id = bank_id.strip() if bank_id else None
        self.currency = currency
        self.rules = rules if isinstance(rules, Rules) else load_rules(rules)
        self.strict = strict
        self._cache: dict[str, OfxDocument] = {}

    @property
    def name(self) -> str:
        return f"ofx.{self._account}"

    def identify(self, filepath: str) -> bool:
        """Claim an OFX file holding a statement of this account."""
        with open(filepath, "rb") as stream:
            head = stream.read(SNIFF_BYTES).upper()
        if b"<OFX" not in head and b"OFXHEADER" not in head:
            return False
        try:
            return self._statement(filepath) is not None
        except BeancountMicroError as exc:
            log.info("%s", exc)
            return False

    def account(self, filepath: str) -> data.Account:
        return self._account

    def date(self, filepath: str) -> datetime.date | None:
        """Date a statement file by the last day it covers."""
        return statement_date(self._document(filepath).statements)

    def filename(self, filepath: str) -> str | None:
        return "releve.ofx"

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """Extract this account's new lines and balance from the file.

        Raises:
            OfxFormatError, StatementLinesError, StatementCurrencyError.
        """
        statement = self._statement(filepath)
        if statement is None:
            return []
        run = ImportRun(existing, {}, self.rules, strict=self.strict)
        target = Target(self._account, self.currency)
        run.add_statement(statement, target, filepath)
        return run.entries()

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark entries whose FITID (or balance date) is already known."""
        index = LedgerIndex(existing)
        for entry in entries:
            if isinstance(entry, data.Balance):
                if (entry.account, entry.date) in index.balances:
                    entry.meta["__duplicate__"] = True
                continue
            if not isinstance(entry, data.Transaction):
                continue
            for posting in entry.postings:
                fitid = (posting.meta or {}).get("fitid")
                if fitid and index.known(posting.account, fitid):
                    entry.meta["__duplicate__"] = True

    def _document(self, filepath: str) -> OfxDocument:
        """Read a file once per run."""
        if filepath not in self._cache:
            self._cache[filepath] = read_ofx(filepath)
        return self._cache[filepath]

    def _statement(self, filepath: str) -> Statement | None:
        """Return the statement of this account in the file, if any."""
        for statement in self._document(filepath).statements:
            if statement.account_id != self.account_id:
                continue
            if self.bank_id and statement.bank_id not in ("", self.bank_id):
                continue
            return statement
        return None
