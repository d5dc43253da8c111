"""Issue quotes, invoices, deposit and final invoices, credit notes.

Each public function does the same steps under the ledger's issue lock:
load the ledger (the counter), build the document and give it the next
number of its series, render the PDF/A-3b, embed the Factur-X XML, write the
PDF, then append the entry to the ledger atomically. Nothing is written when
any step fails, and a number is taken only when its entry is written
(CGI ann. II art. 242 nonies A: continuous, chronological numbering).

    result = issue_invoice(config, Path("factures/2026-04-lumiere.toml"))
    result.number   # 'F-2026-0013'
"""

import logging
import os
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount_micro.invoice import (
    adjustments,
    facturx_xml,
    render,
    terms,
    writeback,
)
from beancount_micro.invoice.books import (
    Ledger,
    client_party,
    load_ledger,
    seller_party,
)
from beancount_micro.invoice.config import InvoiceConfig
from beancount_micro.invoice.errors import (
    DocumentNotFoundError,
    DocumentStateError,
    NumberingError,
    SourceError,
    UnknownClientError,
)
from beancount_micro.invoice.model import Deduction, Document, Line
from beancount_micro.invoice.pdfcheck import check_facturx_pdf
from beancount_micro.invoice.source import Source, load_catalogue, load_source
from beancount_micro.model import MAX_RANK_DIGITS, split_number

log = logging.getLogger(__name__)

QUOTE_VALIDITY_DAYS = 30  # a commercial habit, not a legal figure


@dataclass(frozen=True)
class IssueResult:
    """What an issue wrote: the number, the PDF and the ledger file."""

    number: str | None
    kind: str
    total: Decimal
    due_amount: Decimal
    pdf: Path
    ledger_file: Path | None


def issue_quote(
    config: InvoiceConfig,
    source: Path,
    issued: date | None = None,
    draft: bool = False,
) -> IssueResult:
    """Issue a quote (``D-YYYY-NNNN``) from its source file."""
    src = load_source(source, load_catalogue(config.catalogue))
    with writeback.issue_lock(config.ledger):
        ledger = _load(config)
        doc = _document(ledger, src, "quote", issued)
        return _issue(config, ledger, doc, draft, src.client)


def issue_invoice(
    config: InvoiceConfig,
    source: Path | None = None,
    from_quote: str | None = None,
    deposit: str | None = None,
    issued: date | None = None,
    draft: bool = False,
) -> IssueResult:
    """Issue an invoice from a source file or an accepted quote.

    With ``deposit`` (``"30%"`` or ``"450.00"``) it is a deposit invoice.
    Without, an invoice from a quote that already has deposit invoices (or a
    source listing ``deposits``) is the final invoice deducting them.
    """
    catalogue = load_catalogue(config.catalogue)
    with writeback.issue_lock(config.ledger):
        ledger = _load(config)
        quote = None
        if from_quote:
            quote = _accepted_quote(ledger, from_quote)
            source = _quote_source(ledger, from_quote, quote)
        if source is None:
            raise DocumentStateError("give a source file or --from-quote D-…")
        src = load_source(source, catalogue)
        doc = _document(ledger, src, "invoice", issued)
        if quote is not None:
            doc.quote = from_quote
            doc.links.append(from_quote)
        if deposit:
            doc = adjustments.deposit_invoice(
                doc, deposit, adjustments.earlier_deposits(ledger, doc.quote)
            )
        else:
            adjustments.deduct_deposits(ledger, doc, src)
        return _issue(config, ledger, doc, draft, src.client, src)


def issue_credit_note(
    config: InvoiceConfig,
    number: str,
    amount: Decimal | None = None,
    lines: list[int] | None = None,
    issued: date | None = None,
) -> IssueResult:
    """Issue a credit note cancelling an invoice, or part of it."""
    with writeback.issue_lock(config.ledger):
        ledger = _load(config)
        original = ledger.books.invoices.get(number)
        if original is None or original.kind == "credit-note":
            raise DocumentNotFoundError(number, "invoice")
        source = document_from_entry(ledger, original.entry, original.kind)
        doc = adjustments.credit_note(ledger, source, original, amount, lines, issued)
        return _issue(config, ledger, doc, False, original.client.account)


def render_existing(
    config: InvoiceConfig,
    number: str,
    output: Path | None = None,
    force: bool = False,
    ledger: Ledger | None = None,
) -> Path:
    """Render again the PDF of an invoice already in the ledger.

    ``ledger`` saves a load when rendering many invoices of one ledger.
    """
    ledger = ledger or _load(config)
    invoice = ledger.books.invoices.get(number)
    if invoice is None:
        raise DocumentNotFoundError(number, "invoice")
    doc = document_from_entry(ledger, invoice.entry, invoice.kind)
    target = output or _pdf_target(config, invoice.entry, number)
    if target.exists() and not force:
        raise DocumentStateError(f"{number}: {target} exists (use --force or -o)")
    pdf = _produce(config, ledger, doc)
    writeback.write_atomically(target, pdf)
    return target


def document_from_entry(ledger: Ledger, entry: data.Transaction, kind: str) -> Document:
    """Rebuild a document from its ledger entry (lines from posting metadata).

    Postings written by this tool carry each line; for an entry written by
    hand, each income posting is one line priced at its amount.
    """
    sign = -1 if kind == "credit-note" else 1
    lines, deductions = [], []
    clients = ledger.books.clients
    client = next(p.account for p in entry.postings if p.account in clients)
    for posting in entry.postings:
        meta = posting.meta or {}
        if posting.account in clients or not ledger.category_of(posting.account):
            continue
        value = -sign * posting.units.number
        if "deducts" in meta:
            invoice = ledger.books.invoices.get(str(meta["deducts"]))
            issued = invoice.date if invoice else entry.date
            deductions.append(
                Deduction(str(meta["deducts"]), issued, -value, posting.account)
            )
            continue
        lines.append(_line_from_posting(posting.account, meta, value, entry.narration))
    doc = Document(
        kind=kind,
        number=str(entry.meta["invoice"]),
        issued=entry.date,
        seller=seller_party(ledger),
        buyer=client_party(ledger, client),
        lines=lines,
        title=entry.narration or "",
        service_date=_meta_date(entry.meta, "service-date"),
        due=_meta_date(entry.meta, "due"),
        project=entry.meta.get("project"),
        quote=entry.meta.get("quote"),
        deductions=deductions,
    )
    if kind == "credit-note":
        doc.corrects = str(entry.meta.get("corrects", ""))
        corrected = ledger.books.invoices.get(doc.corrects)
        doc.corrects_date = corrected.date if corrected else None
    _apply_terms(ledger, doc, None, None, None)
    return doc


# Building documents -------------------------------------------------------


def _load(config: InvoiceConfig) -> Ledger:
    return load_ledger(config.ledger)


def _document(ledger: Ledger, src: Source, kind: str, issued: date | None) -> Document:
    if src.client not in ledger.books.clients:
        raise UnknownClientError(src.path, src.client)
    lines = []
    for index, line in enumerate(src.lines, 1):
        if not ledger.category_of(line.account):
            raise SourceError(
                src.path,
                f"lines[{index}].account",
                f"{line.account} is not an income account opened with category:",
            )
        lines.append(
            Line(
                line.description,
                line.quantity,
                line.unit,
                line.unit_price,
                line.account,
                line.unit_code,
                line.vat_category,
            )
        )
    day = issued or src.issued or date.today()
    doc = Document(
        kind=kind,
        number=None,
        issued=day,
        seller=seller_party(ledger),
        buyer=client_party(ledger, src.client),
        lines=lines,
        title=src.title,
        service_date=None if kind == "quote" else (src.service_date or day),
        project=src.project,
        source=str(src.path),
    )
    if kind == "quote":
        doc.valid_until = src.valid_until or day + timedelta(days=QUOTE_VALIDITY_DAYS)
        if src.deposit:
            doc.deposit_requested = adjustments.deposit_amount(
                src.deposit, doc.total, src.path
            )
    if doc.total <= 0:
        raise SourceError(src.path, "lines", "the total must be positive")
    return doc


def _apply_terms(
    ledger: Ledger,
    doc: Document,
    config: InvoiceConfig | None,
    days: int | None,
    due: date | None,
) -> None:
    regime = ledger.regime()
    doc.recovery_indemnity = None
    if doc.kind in ("quote", "credit-note"):
        return
    where = doc.source or doc.number or "document"
    if not doc.buyer.is_business:
        doc.due = doc.due or doc.issued
        doc.payment_terms = "paiement à réception"
        return
    if days is None and config is not None:
        days = config.payment_days
    doc.due = terms.due_date(regime, doc.issued, days, due or doc.due, where)
    doc.payment_terms = f"paiement au plus tard le {terms.long_date(doc.due)}"
    configured = config.late_penalty_percent if config else None
    doc.late_penalty = terms.late_penalty_text(regime, doc.issued, configured)
    doc.recovery_indemnity = terms.indemnity(regime, doc.issued)


def _accepted_quote(ledger: Ledger, number: str):
    quote = ledger.books.quotes.get(number)
    if quote is None:
        raise DocumentNotFoundError(number, "quote")
    if quote.stage != "accepted":
        raise DocumentStateError(
            f"{number} is at stage {quote.stage!r}; only an accepted quote is "
            f'invoiced (add: custom "micro" "quote-stage" "{number}" "accepted")'
        )
    return quote


def _quote_source(ledger: Ledger, number: str, quote) -> Path:
    source = quote.meta.get("source")
    if not source:
        raise DocumentStateError(f"{number} has no source: metadata to invoice from")
    path = Path(str(source))
    return path if path.is_absolute() else Path(ledger.path).parent / path


# Issuing ------------------------------------------------------------------


def _issue(
    config: InvoiceConfig,
    ledger: Ledger,
    doc: Document,
    draft: bool,
    client: str,
    src: Source | None = None,
) -> IssueResult:
    _check_output_included(config, ledger)
    days = src.payment_days if src else None
    due = src.due if src else None
    _apply_terms(ledger, doc, config, days, due)
    if draft:
        pdf = _produce(config, ledger, doc)
        target = config.quote_dir if doc.kind == "quote" else config.pdf_dir
        path = target / f"brouillon-{Path(doc.source or 'document').stem}.pdf"
        writeback.write_atomically(path, pdf)
        return IssueResult(None, doc.kind, doc.total, doc.due_amount, path, None)

    doc.number = _next_number(config, ledger, doc)
    if config.payment_link and doc.kind != "credit-note":
        doc.payment_link = config.payment_link.replace("{number}", doc.number).replace(
            "{amount}", str(doc.due_amount)
        )
    pdf = _produce(config, ledger, doc)
    folder = config.quote_dir if doc.kind == "quote" else config.pdf_dir
    pdf_path = folder / f"{doc.number}.pdf"
    text = _entry_text(config, ledger, doc, client, pdf_path, pdf)
    writeback.check_entries_text(text, _opens_text(ledger))

    writeback.write_atomically(pdf_path, pdf)
    writeback.append_atomically(config.output, text, config.ledger)
    log.info("issued %s: %s, %s", doc.number, pdf_path, config.output)
    return IssueResult(
        doc.number, doc.kind, doc.total, doc.due_amount, pdf_path, config.output
    )


def _produce(config: InvoiceConfig, ledger: Ledger, doc: Document) -> bytes:
    regime = ledger.regime()
    franchise = regime.text("vat_franchise_mention", "all", doc.issued)
    einvoicing = regime.has("einvoicing_mentions", "all", doc.issued)
    mentions = terms.required_mentions(doc, franchise, einvoicing)
    page = render.render_html(
        doc, mentions, franchise, config.template, config.logo, config.brand_colour
    )
    pdf = render.write_pdf(page, config.template, config.logo)
    if doc.kind == "quote" or doc.is_draft:
        return pdf
    xml = facturx_xml.build_xml(doc, config.profile, franchise)
    result = facturx_xml.embed(pdf, xml, config.profile, doc)
    check_facturx_pdf(result, doc.number or "")
    return result


def _next_number(config: InvoiceConfig, ledger: Ledger, doc: Document) -> str:
    books = ledger.books
    if doc.kind == "quote":
        prefix, taken = (
            config.quote_prefix,
            {n: q.date for n, q in books.quotes.items()},
        )
    else:
        prefix = (
            config.credit_note_prefix
            if doc.kind == "credit-note"
            else (config.invoice_prefix)
        )
        taken = {n: inv.date for n, inv in books.invoices.items()}
    series = f"{prefix}-{doc.issued.year}-"
    ranks = {}
    for number, day in taken.items():
        head, rank = split_number(number)
        if head == series and rank is not None:
            ranks[rank] = (number, day)
    if ranks:
        last_number, last_date = max(ranks.values(), key=lambda item: item[1])
        if doc.issued < last_date:
            raise NumberingError(
                f"issue date {doc.issued} is before {last_number} of {last_date}: "
                f"dates in series {series} never go backwards "
                "(CGI ann. II art. 242 nonies A)"
            )
    rank = max(ranks, default=0) + 1
    if len(str(rank)) > MAX_RANK_DIGITS:
        raise NumberingError(
            f"series {series} has reached rank {rank - 1}: a rank has at most "
            f"{MAX_RANK_DIGITS} digits; check the last number of the series"
        )
    return f"{series}{rank:04d}"


def _entry_text(
    config, ledger, doc: Document, client: str, pdf_path: Path, pdf: bytes
) -> str:
    base = config.output.parent
    relative = os.path.relpath(pdf_path, base)
    source = os.path.relpath(doc.source, base) if doc.source else None
    meta: dict[str, object] = {}
    if doc.kind == "quote":
        meta = {"stage": "sent", "valid-until": doc.valid_until}
        if source:
            meta["source"] = source
        if doc.project:
            meta["project"] = doc.project
        if doc.deposit_requested:
            meta["deposit"] = doc.deposit_requested
        meta.update({"pdf": relative, "sha256": writeback.sha256(pdf)})
        return (
            writeback.quote_text(doc, client, meta)
            + "\n"
            + writeback.document_text(doc.issued, client, relative, [doc.number])
        )
    meta["invoice"] = doc.number
    meta["invoice-kind"] = doc.kind
    if doc.due and doc.kind != "credit-note":
        meta["due"] = doc.due
    if doc.service_date:
        meta["service-date"] = doc.service_date
    if doc.credited_lines:
        meta["credited-lines"] = ",".join(map(str, doc.credited_lines))
    for key, value in (
        ("corrects", doc.corrects),
        ("project", doc.project),
        ("quote", doc.quote),
        ("source", source),
    ):
        if value:
            meta[key] = value
    meta.update({"pdf": relative, "sha256": writeback.sha256(pdf)})
    sign = -1 if doc.kind == "credit-note" else 1
    text = writeback.transaction_text(doc, client, meta, sign)
    text += "\n" + writeback.document_text(
        doc.issued, client, relative, [doc.number, *doc.links]
    )
    if doc.quote and doc.kind in ("invoice", "final"):
        text += writeback.stage_text(doc.issued, doc.quote, "invoiced")
    return text


def _opens_text(ledger: Ledger) -> str:
    return "\n".join(
        f"1970-01-01 open {entry.account}"
        for entry in ledger.entries
        if isinstance(entry, data.Open)
    )


def _check_output_included(config: InvoiceConfig, ledger: Ledger) -> None:
    if config.output.resolve() == config.ledger.resolve():
        return
    included = {Path(p).resolve() for p in ledger.options.get("include", [])}
    if config.output.resolve() not in included:
        raise DocumentStateError(
            f"{config.output} is not included by {config.ledger}: add "
            f'include "{os.path.relpath(config.output, config.ledger.parent)}"'
        )


def _pdf_target(config: InvoiceConfig, entry: data.Transaction, number: str) -> Path:
    pdf = entry.meta.get("pdf")
    if pdf:
        path = Path(str(pdf))
        return (
            path if path.is_absolute() else Path(entry.meta["filename"]).parent / path
        )
    return config.pdf_dir / f"{number}.pdf"


def _line_from_posting(
    account: str, meta: dict, value: Decimal, narration: str
) -> Line:
    if "line" in meta:
        price = meta.get("unit-price")
        return Line(
            description=str(meta["line"]),
            quantity=Decimal(str(meta.get("quantity", 1))),
            unit=str(meta.get("unit", "forfait")),
            unit_price=price.number if price is not None else value,
            account=account,
            unit_code=str(meta.get("unit-code", "C62")),
        )
    return Line(narration or account, Decimal(1), "forfait", value, account)


def _meta_date(meta: dict, key: str) -> date | None:
    value = meta.get(key)
    return value if isinstance(value, date) else None
