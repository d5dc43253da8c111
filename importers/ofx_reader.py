"""Read an OFX bank statement into plain, validated bank lines.

ofxparse does the parsing; this module prepares its input and checks its
output, because bank exports break the library in known ways:

- the bytes are decoded here (UTF-8, else the header's Latin-1 or CP1252)
  and handed over as UTF-8 under an ``ENCODING:UTF-8`` header, so a wrong
  or unknown ``CHARSET`` never garbles accents or stops the parse;
- every date is cut to its first eight digits, so a ``[+1:CET]`` suffix
  never moves a line to another day (the bank's calendar day is kept);
- amounts are read by our own rule (a comma, when present, is the decimal
  mark and dots group thousands), and an amount that is ambiguous or has a
  nonzero digit past the cent is refused with its FITID, never rounded;
- each statement and each transaction is numbered before parsing, so
  every line ofxparse discards is reported by FITID instead of vanishing.

The result is a :class:`OfxDocument`; nothing here knows about the ledger.
"""

import dataclasses
import datetime
import html
import io
import logging
import re
import warnings
from decimal import Decimal, InvalidOperation
from pathlib import Path

from beancount_micro.errors import LedgerInputError
from ofxparse import OfxParser
from ofxparse.ofxparse import OfxParserException

log = logging.getLogger(__name__)

CENT = Decimal("0.01")
LATIN1_NAMES = {"8859-1", "ISO-8859-1", "ISO8859-1", "819", "CP819", "LATIN1"}
CP1252_NAMES = {"1252", "CP1252", "WINDOWS-1252"}
KNOWN_CHARSETS = LATIN1_NAMES | CP1252_NAMES | {"", "NONE", "UTF-8", "UTF8"}

# A statement is numbered through its ACCTID, a line through its FITID:
# ofxparse keeps both values, so each parsed object can be traced back.
SEQ_SEP = "\x1f"
MISSING_FITID = "\x1e"

STATEMENT_RE = re.compile(r"<(CC)?STMTRS>(.*?)</(?:CC)?STMTRS>", re.I | re.S)
TRANSACTION_RE = re.compile(r"<STMTTRN>(.*?)</STMTTRN>", re.I | re.S)
CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
DATE_TAG_RE = re.compile(r"(<DT\w+>)[ \t]*(\d{8})[^<]*", re.I)
OPTIONAL_EMPTY_RE = re.compile(
    r"<(NAME|MEMO|CHECKNUM|REFNUM|SIC|PAYEEID|DTUSER|DTAVAIL)>\s*"
    r"(?:</\1>)?(?=\s*<)",
    re.I,
)


class OfxFormatError(LedgerInputError):
    """The file cannot be read as an OFX statement."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(str(path), None, problem)


@dataclasses.dataclass(frozen=True)
class BankLine:
    """One transaction of a statement, as the bank wrote it."""

    fitid: str
    date: datetime.date
    amount: Decimal
    payee: str
    memo: str
    trntype: str
    checknum: str
    rank: int


@dataclasses.dataclass
class Statement:
    """One account's statement: its identity, lines and closing balance."""

    bank_id: str
    branch_id: str
    account_id: str
    account_type: str
    currency: str
    start: datetime.date | None
    end: datetime.date | None
    lines: list[BankLine]
    balance: Decimal | None
    balance_date: datetime.date | None
    errors: list[str]
    warnings: list[str]

    def describe(self) -> str:
        """Return a short label naming the account, for messages."""
        bank = f"bank {self.bank_id} " if self.bank_id else ""
        return f"{bank}account {self.account_id or '(no ACCTID)'}"


@dataclasses.dataclass
class OfxDocument:
    """Every statement of one OFX file."""

    path: Path
    statements: list[Statement]
    warnings: list[str]


@dataclasses.dataclass
class _RawLine:
    """What the text says about one STMTTRN before ofxparse reads it."""

    statement: int
    fitid: str
    amount: Decimal | None
    date: datetime.date | None
    problem: str | None


@dataclasses.dataclass
class _RawStatement:
    """What the text says about one STMTRS before ofxparse reads it."""

    cursym: str
    balance_warning: str | None
    balance: Decimal | None


def read_ofx(path: str | Path) -> OfxDocument:
    """Read and validate every statement of an OFX file.

    Raises:
        OfxFormatError: the file is not a readable OFX statement (no
            statement, truncated, hostile or unparseable content).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OfxFormatError(path, f"cannot read the file ({exc.strerror})") from exc
    return parse_ofx_bytes(raw, path)


def parse_ofx_bytes(raw: bytes, path: str | Path = "<ofx>") -> OfxDocument:
    """Read and validate OFX content already in memory (see :func:`read_ofx`)."""
    path = Path(path)
    notes: list[str] = []
    text = _decode(raw, notes)
    body = _body(text, path)
    body, raw_lines, raw_statements = _prepare(body, path)

    parsed = _run_ofxparse(body, path)
    statements = [
        _statement(account, raw_lines, raw_statements, path)
        for account in parsed.accounts
    ]
    _check_all_lines_seen(statements, raw_lines, parsed, path)
    return OfxDocument(path, statements, notes)


def parse_amount(text: str, decimal_comma: bool) -> Decimal:
    """Read an OFX amount by the French-friendly rule.

    A comma is the decimal mark and dots are thousands separators; in a
    file written with decimal commas, a dot followed by exactly three
    digits (``1.400``) could be either, so it is refused.

    Raises:
        ValueError: the text is not an amount, or is ambiguous.
    """
    value = re.sub(r"[\s\u00a0\u202f]", "", text).lstrip("+")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif decimal_comma and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
        raise ValueError(
            f"amount '{text.strip()}' is ambiguous in a file with "
            "decimal commas (1.40 or 1400?)"
        )
    if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", value):
        raise ValueError(f"amount '{text.strip()}' is not a number")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"amount '{text.strip()}' is not a number") from exc


# Decoding ---------------------------------------------------------------


def _decode(raw: bytes, notes: list[str]) -> str:
    """Decode the bytes: UTF-8 first, then what the header allows."""
    head = raw[: raw.upper().find(b"<OFX")].decode("latin-1", "replace")
    charset = _header_value(head, "CHARSET")
    xml_encoding = re.search(r"encoding=[\"']([\w-]+)", head, re.I)
    if xml_encoding and not charset:
        charset = xml_encoding.group(1).upper()
    if charset not in KNOWN_CHARSETS and charset.upper() != "US-ASCII":
        notes.append(f"unknown CHARSET '{charset}': read as UTF-8, else CP1252")

    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if charset in LATIN1_NAMES or charset == "ISO-8859-1":
        return raw.decode("latin-1")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # Bytes CP1252 leaves undefined only exist in Latin-1.
        return raw.decode("latin-1")


def _header_value(head: str, name: str) -> str:
    """Return a SGML header value (``CHARSET:1252``), upper-cased, or ''."""
    found = re.search(rf"^\s*{name}\s*:\s*(\S*)", head, re.M | re.I)
    return found.group(1).strip().upper() if found else ""


def _body(text: str, path: Path) -> str:
    """Keep the text from the ``<OFX>`` tag and check it is complete."""
    start = re.search(r"<OFX>", text, re.I)
    if start is None:
        raise OfxFormatError(path, "no <OFX> element: not an OFX statement")
    body = text[start.start() :]
    if not re.search(r"</OFX>\s*$", body, re.I):
        raise OfxFormatError(path, "no closing </OFX>: the file is truncated")
    opened = len(re.findall(r"<STMTTRN>", body, re.I))
    closed = len(re.findall(r"</STMTTRN>", body, re.I))
    if opened != closed:
        raise OfxFormatError(
            path, f"{opened} <STMTTRN> but {closed} </STMTTRN>: malformed file"
        )
    return body


# Preparing the text for ofxparse ----------------------------------------


def _prepare(
    body: str, path: Path
) -> tuple[str, dict[int, _RawLine], dict[int, _RawStatement]]:
    """Normalise dates, amounts and identifiers; number every element."""
    body = CDATA_RE.sub(lambda m: html.escape(m.group(1), quote=False), body)
    body = DATE_TAG_RE.sub(r"\1\2", body)
    body = OPTIONAL_EMPTY_RE.sub("", body)
    decimal_comma = bool(re.search(r"<(?:TRNAMT|BALAMT)>[^<]*,", body, re.I))
    raw_lines: dict[int, _RawLine] = {}
    raw_statements: dict[int, _RawStatement] = {}

    statements = list(STATEMENT_RE.finditer(body))
    if not statements:
        raise OfxFormatError(path, "no bank or card statement (STMTRS) found")
    inside = sum(len(TRANSACTION_RE.findall(m.group(2))) for m in statements)
    if inside != len(TRANSACTION_RE.findall(body)):
        raise OfxFormatError(path, "a transaction lies outside any statement")

    def statement(match: re.Match) -> str:
        index = len(raw_statements)
        content = _number_account(match.group(2), index, path)
        content = TRANSACTION_RE.sub(
            lambda m: _prepare_line(m, index, raw_lines, decimal_comma), content
        )
        content, raw_statements[index] = _prepare_balance(content, decimal_comma)
        tag = "CCSTMTRS" if match.group(1) else "STMTRS"
        return f"<{tag}>{content}</{tag}>"

    body = STATEMENT_RE.sub(statement, body)
    return body, raw_lines, raw_statements


def _number_account(content: str, index: int, path: Path) -> str:
    """Prefix the statement number to its ACCTID (added when missing)."""
    found = re.search(r"<ACCTID>([^<]*)", content, re.I)
    if found is None:
        raise OfxFormatError(
            path,
            f"statement {index + 1} has no account (no ACCTID); "
            "it cannot be assigned to a ledger account",
        )
    numbered = f"<ACCTID>{index}{SEQ_SEP}{found.group(1).strip()}"
    return content[: found.start()] + numbered + content[found.end() :]


def _prepare_line(
    match: re.Match, statement: int, raw_lines: dict[int, _RawLine], comma: bool
) -> str:
    """Check one STMTTRN's amount and date; number it through its FITID."""
    content = match.group(1)
    seq = len(raw_lines)
    fitid = _tag_text(content, "FITID")
    amount_text = _tag_text(content, "TRNAMT")
    date_text = _tag_text(content, "DTPOSTED")
    problem = None
    amount = date = None

    try:
        amount = parse_amount(amount_text, comma)
        if amount != amount.quantize(CENT):
            problem = f"amount '{amount_text}' has a nonzero digit past the cent"
    except ValueError as exc:
        problem = str(exc)
    try:
        date = datetime.datetime.strptime(date_text, "%Y%m%d").date()
    except ValueError:
        shown = (
            f"date '{date_text}' is not a valid date"
            if date_text
            else ("it has no posting date (DTPOSTED)")
        )
        problem = problem or shown

    raw_lines[seq] = _RawLine(statement, fitid, amount, date, problem)
    content = _set_tag(content, "FITID", f"{seq}{SEQ_SEP}{fitid or MISSING_FITID}")
    # A line we refuse must be refused by ofxparse too, so it is counted.
    content = _set_tag(content, "TRNAMT", "REFUSED" if problem else str(amount))
    return f"<STMTTRN>{content}</STMTTRN>"


def _prepare_balance(content: str, comma: bool) -> tuple[str, _RawStatement]:
    """Read LEDGERBAL ourselves; hide it from ofxparse when unusable."""
    cursym = ",".join(
        sorted({m.upper() for m in re.findall(r"<CURSYM>\s*([A-Za-z]{3})", content)})
    )
    found = re.search(r"<LEDGERBAL>(.*?)</LEDGERBAL>", content, re.I | re.S)
    if found is None:
        return content, _RawStatement(cursym, None, None)
    text = _tag_text(found.group(1), "BALAMT")
    try:
        balance = parse_amount(text, comma)
        if balance != balance.quantize(CENT):
            raise ValueError(f"amount '{text}' has a nonzero digit past the cent")
    except ValueError:
        warning = f"the statement balance could not be read: BALAMT '{text}'"
        cleaned = content[: found.start()] + content[found.end() :]
        return cleaned, _RawStatement(cursym, warning, None)
    return content, _RawStatement(cursym, None, balance)


def _tag_text(content: str, tag: str) -> str:
    """Return the text of a leaf element, closed or not, or ''."""
    found = re.search(rf"<{tag}>([^<]*)", content, re.I)
    return found.group(1).strip() if found else ""


def _set_tag(content: str, tag: str, value: str) -> str:
    """Set a leaf element's text, adding the element when it is missing."""
    found = re.search(rf"<{tag}>([^<]*)", content, re.I)
    if found is None:
        return f"<{tag}>{value}\n{content}"
    return content[: found.start()] + f"<{tag}>{value}" + content[found.end() :]


# Parsing and checking ---------------------------------------------------


def _run_ofxparse(body: str, path: Path):
    """Parse the prepared text, turning every library failure into ours."""
    data = ("ENCODING:UTF-8\n\n" + body).encode("utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return OfxParser.parse(io.BytesIO(data), fail_fast=False)
    except (
        OfxParserException,
        ValueError,
        IndexError,
        AttributeError,
        TypeError,
        KeyError,
    ) as exc:
        raise OfxFormatError(path, f"unreadable OFX ({exc})") from exc


def _split(value: str) -> tuple[int, str]:
    """Split a numbered ACCTID or FITID into its number and real value."""
    number, _, real = (value or "").partition(SEQ_SEP)
    if not number.isdigit():
        raise ValueError(value)
    return int(number), real.strip()


def _statement(account, raw_lines, raw_statements, path: Path) -> Statement:
    """Build one checked statement from an ofxparse account."""
    try:
        index, account_id = _split(account.account_id)
    except ValueError as exc:
        raise OfxFormatError(path, "a statement has a malformed ACCTID") from exc
    if not account_id:
        raise OfxFormatError(
            path,
            f"statement {index + 1} has an empty ACCTID; "
            "it cannot be assigned to a ledger account",
        )
    raw = raw_statements[index]
    stmt = account.statement
    currency = (getattr(stmt, "currency", "") or "").upper() or raw.cursym
    result = Statement(
        bank_id=(account.routing_number or "").strip(),
        branch_id=(getattr(account, "branch_id", "") or "").strip(),
        account_id=account_id,
        account_type=(getattr(account, "account_type", "") or "").strip().upper()
        or ("CREDITCARD" if account.type == 2 else ""),
        currency=currency,
        start=_as_date(getattr(stmt, "start_date", None)),
        end=_as_date(getattr(stmt, "end_date", None)),
        lines=[],
        balance=raw.balance,
        balance_date=_as_date(getattr(stmt, "balance_date", None)),
        errors=[],
        warnings=[raw.balance_warning] if raw.balance_warning else [],
    )
    if result.balance is not None and result.balance_date is None:
        result.warnings.append("the statement balance has no date (DTASOF)")
        result.balance = None

    ranks: dict[tuple, int] = {}
    for txn in stmt.transactions:
        result.lines.append(_line(txn, raw_lines, ranks, path))
    for discarded in stmt.discarded_entries:
        result.errors.append(_discarded(discarded, raw_lines))
    return result


def _line(txn, raw_lines: dict[int, _RawLine], ranks: dict, path: Path) -> BankLine:
    """Turn one ofxparse transaction into a bank line."""
    seq, _ = _split(txn.id)
    raw = raw_lines[seq]
    payee = _clean(txn.payee)
    memo = _clean(txn.memo)
    amount = raw.amount if raw.amount is not None else Decimal(txn.amount)
    date = raw.date or _as_date(txn.date)

    # Rank among lines identical in date, amount and text: the fallback key.
    same = (date, amount, payee.casefold(), memo.casefold())
    ranks[same] = ranks.get(same, 0) + 1
    return BankLine(
        fitid=raw.fitid,
        date=date,
        amount=amount.quantize(CENT),
        payee=payee,
        memo=memo,
        trntype=(txn.type or "").lower(),
        checknum=_clean(getattr(txn, "checknum", "")),
        rank=ranks[same],
    )


def _discarded(discarded: dict, raw_lines: dict[int, _RawLine]) -> str:
    """Describe a transaction ofxparse refused, naming its FITID."""
    content = discarded.get("content")
    tag = content.find("fitid") if content is not None else None
    try:
        seq, _ = _split(tag.get_text() if tag is not None else "")
    except ValueError:
        return f"a transaction was refused: {discarded.get('error')}"
    raw = raw_lines[seq]
    reason = raw.problem or _clean(str(discarded.get("error")))
    return f"transaction {_fitid_label(raw.fitid)}: {reason}"


def _check_all_lines_seen(statements, raw_lines, parsed, path: Path) -> None:
    """Make sure no transaction of the text was lost between the two reads."""
    seen = sum(len(s.lines) + len(s.errors) for s in statements)
    if seen != len(raw_lines):
        raise OfxFormatError(
            path,
            f"{len(raw_lines)} transactions in the file but {seen} read: "
            "the structure is malformed",
        )


def _fitid_label(fitid: str) -> str:
    """Name a line by its FITID, or say it has none."""
    return f"FITID {fitid}" if fitid else "(no FITID)"


def _as_date(value) -> datetime.date | None:
    """Return the calendar date of an ofxparse date value, or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


# Control characters and the bidirectional overrides and isolates: in the
# ledger they would hide text or turn it around on screen.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A bank's text field is a few dozen characters; longer is cut, with a mark.
MAX_TEXT = 500


def _clean(value) -> str:
    """Printable text with its whitespace collapsed, at most MAX_TEXT long."""
    text = " ".join(UNPRINTABLE.sub(" ", str(value or "")).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
