"""Categorise bank lines: the user's rules file, payment means, URSSAF.

The rules file is TOML, edited by the user and kept beside the ledger
(``import-rules.toml`` by default). Rules are tried in order; the first
whose patterns all match wins. Patterns are Python regular expressions,
searched case-insensitively in the bank's NAME (``payee``), MEMO (``memo``)
or both joined (``text``):

    [review]
    account = "Equity:A-Verifier"      # where unexplained lines wait

    [urssaf]
    account = "Expenses:Cotisations:Urssaf"
    pattern = "URSSAF"                 # the default

    [[rule]]
    payee = "CANVA"
    account = "Expenses:Logiciels"

    [[rule]]
    text = "FRAIS|COTISATION CARTE"
    account = "Expenses:Banque"
    sign = "debit"                     # debit (default) | credit | any

A line matching the URSSAF pattern goes to the URSSAF account with
``urssaf-period:`` when its memo names the period ("T1 2026", "1ER TRIM
2026", "MARS 2026", "2026-03"...).
"""

import dataclasses
import re
import tomllib
from pathlib import Path

from beancount.core import account as account_lib
from beancount_micro.errors import LedgerInputError
from beancount_micro.importers.ofx_reader import BankLine

DEFAULT_REVIEW_ACCOUNT = "Equity:A-Verifier"
DEFAULT_URSSAF_PATTERN = "URSSAF"
SIGNS = ("debit", "credit", "any")
FIELDS = ("payee", "memo", "text")

MONTHS = {
    "JANVIER": 1, "JANV": 1, "JAN": 1, "FEVRIER": 2, "FEVR": 2, "FEV": 2,
    "MARS": 3, "MAR": 3, "AVRIL": 4, "AVR": 4, "MAI": 5, "JUIN": 6,
    "JUILLET": 7, "JUIL": 7, "AOUT": 8, "SEPTEMBRE": 9, "SEPT": 9, "SEP": 9,
    "OCTOBRE": 10, "OCT": 10, "NOVEMBRE": 11, "NOV": 11, "DECEMBRE": 12,
    "DEC": 12,
}  # fmt: skip
QUARTER_PATTERNS = (
    re.compile(r"\b(20\d\d)\s*[-/ ]?\s*[QT]([1-4])\b"),
    re.compile(r"\b[QT]([1-4])\s*[-/ ]?\s*(20\d\d)\b"),
    re.compile(r"\b([1-4])\s*(?:ER|E|EME|ÈME)?\s*TRIM\w*\.?\s*(20\d\d)\b"),
    re.compile(r"\bTRIM\w*\.?\s*([1-4])\s*[-/ ]?\s*(20\d\d)\b"),
)
MONTH_PATTERNS = (
    re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])\b"),
    re.compile(r"\b(0[1-9]|1[0-2])[/-](20\d\d)\b"),
)
MONTH_NAME = re.compile(r"\b([A-Z]{3,9})\.?\s+(20\d\d)\b")

# Hints the bank writes in NAME or MEMO, tried before the OFX TRNTYPE.
MEANS_HINTS = (
    (re.compile(r"\b(CHQ|CHEQUE|CHÈQUE|REM(ISE)?\s+CHQ)\b"), "cheque"),
    (re.compile(r"\b(CB|CARTE|FACTURE CARTE|PAIEMENT CB)\b"), "carte"),
    (re.compile(r"\b(PRLV|PRELEVEMENT|PRÉLÈVEMENT|PRELEV)\b"), "prelevement"),
    (re.compile(r"\b(RETRAIT|DAB|ESPECES|ESPÈCES|VERSEMENT ESP)\b"), "especes"),
    (re.compile(r"\b(PAYPAL|STRIPE|SUMUP|MALT|LYDIA)\b"), "plateforme"),
    (re.compile(r"\b(VIR|VIREMENT|VIRT|SEPA)\b"), "virement"),
)
MEANS_BY_TYPE = {
    "check": "cheque",
    "pos": "carte",
    "atm": "especes",
    "cash": "especes",
    "directdebit": "prelevement",
    "directdep": "virement",
    "xfer": "virement",
    "dep": "virement",
}


class RulesFileError(LedgerInputError):
    """The rules file cannot be used."""


@dataclasses.dataclass(frozen=True)
class Rule:
    """One categorisation rule: patterns on the line, the account to use."""

    patterns: tuple[tuple[str, re.Pattern], ...]
    account: str
    sign: str

    def matches(self, line: BankLine) -> bool:
        """Tell whether every pattern of the rule finds the line's text."""
        if self.sign == "debit" and line.amount >= 0:
            return False
        if self.sign == "credit" and line.amount <= 0:
            return False
        return all(p.search(_field(line, name)) for name, p in self.patterns)


@dataclasses.dataclass(frozen=True)
class Rules:
    """The user's categorisation settings."""

    rules: tuple[Rule, ...] = ()
    review_account: str = DEFAULT_REVIEW_ACCOUNT
    urssaf_account: str | None = None
    urssaf_pattern: re.Pattern = re.compile(DEFAULT_URSSAF_PATTERN, re.I)

    def account_for(self, line: BankLine) -> str | None:
        """Return the account of the first rule matching the line, if any."""
        for rule in self.rules:
            if rule.matches(line):
                return rule.account
        return None

    def is_urssaf(self, line: BankLine) -> bool:
        """Tell whether the line is a payment to (or from) the URSSAF."""
        return bool(self.urssaf_pattern.search(_field(line, "text")))


def load_rules(path: str | Path | None) -> Rules:
    """Read a rules file; no path gives the default settings.

    Raises:
        RulesFileError: the file is unreadable, not TOML, or a rule is
            malformed (the message names the rule's position).
    """
    if path is None:
        return Rules()
    path = Path(path)
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesFileError(str(path), None, f"cannot read ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesFileError(str(path), None, f"not valid TOML ({exc})") from exc

    review = settings.get("review", {}).get("account", DEFAULT_REVIEW_ACCOUNT)
    urssaf = settings.get("urssaf", {})
    rules = tuple(
        _rule(raw, number, path)
        for number, raw in enumerate(settings.get("rule", []), start=1)
    )
    return Rules(
        rules=rules,
        review_account=_account(review, "[review] account", path),
        urssaf_account=_account(urssaf["account"], "[urssaf] account", path)
        if "account" in urssaf
        else None,
        urssaf_pattern=_regex(
            urssaf.get("pattern", DEFAULT_URSSAF_PATTERN), "[urssaf] pattern", path
        ),
    )


def payment_means(line: BankLine) -> str:
    """Guess the payment means (``means:`` values of CONVENTIONS.md)."""
    text = _field(line, "text").upper()
    for pattern, means in MEANS_HINTS:
        if pattern.search(text):
            return means
    if line.checknum and line.trntype == "check":
        return "cheque"
    return MEANS_BY_TYPE.get(line.trntype, "autre")


def urssaf_period(text: str) -> str | None:
    """Return the period a URSSAF memo names (``2026-Q1``, ``2026-03``)."""
    text = _fold(text.upper())
    for pattern in QUARTER_PATTERNS:
        found = pattern.search(text)
        if found:
            a, b = found.groups()
            year, quarter = (a, b) if len(a) == 4 else (b, a)
            return f"{year}-Q{quarter}"
    for pattern in MONTH_PATTERNS:
        found = pattern.search(text)
        if found:
            a, b = found.groups()
            year, month = (a, b) if len(a) == 4 else (b, a)
            return f"{year}-{month}"
    for found in MONTH_NAME.finditer(text):
        month = MONTHS.get(found.group(1))
        if month:
            return f"{found.group(2)}-{month:02d}"
    return None


def _rule(raw: dict, number: int, path: Path) -> Rule:
    """Check and compile one ``[[rule]]`` table."""
    where = f"rule {number}"
    if not isinstance(raw, dict) or "account" not in raw:
        raise RulesFileError(str(path), None, f"{where} has no account")
    unknown = set(raw) - {"account", "sign", *FIELDS}
    if unknown:
        raise RulesFileError(
            str(path), None, f"{where} has unknown keys: {', '.join(sorted(unknown))}"
        )
    patterns = tuple(
        (name, _regex(raw[name], f"{where} {name}", path))
        for name in FIELDS
        if name in raw
    )
    if not patterns:
        raise RulesFileError(str(path), None, f"{where} has no payee, memo or text")
    sign = raw.get("sign", "debit")
    if sign not in SIGNS:
        raise RulesFileError(
            str(path), None, f"{where}: sign '{sign}' is not one of {', '.join(SIGNS)}"
        )
    return Rule(patterns, _account(raw["account"], where, path), sign)


def _regex(text, where: str, path: Path) -> re.Pattern:
    """Compile a user pattern, naming it when it is invalid."""
    try:
        return re.compile(str(text), re.I)
    except re.error as exc:
        raise RulesFileError(
            str(path), None, f"{where}: invalid pattern '{text}' ({exc})"
        ) from exc


def _account(name, where: str, path: Path) -> str:
    """Check an account name from the rules file."""
    if not isinstance(name, str) or not account_lib.is_valid(name):
        raise RulesFileError(
            str(path), None, f"{where}: '{name}' is not a Beancount account name"
        )
    return name


def _field(line: BankLine, name: str) -> str:
    """Return the text a pattern is searched in."""
    if name == "payee":
        return line.payee
    if name == "memo":
        return line.memo
    return f"{line.payee} {line.memo}"


def _fold(text: str) -> str:
    """Remove the accents French banks sometimes drop anyway."""
    table = str.maketrans("ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ", "AAAEEEEIIOOUUUC")
    return text.translate(table)
