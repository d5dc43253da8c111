"""Render a document to PDF/A-3b with Jinja2 (autoescape on) and WeasyPrint.

The template sees the document as data: client names and descriptions are
escaped text, never markup or template code (``{{ 7*7 }}`` in a description
prints as typed). WeasyPrint fetches resources only through
:class:`AssetFetcher`, which serves the template's own assets, the configured
logo and ``data:`` URIs, and refuses anything else (remote URLs, other local
files), so a ``file:///etc/passwd`` typed anywhere is never read.
"""

import functools
import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import segno.helpers
from beancount_micro.invoice import terms
from beancount_micro.invoice.errors import PartyDataError, TemplateError
from beancount_micro.invoice.model import Document
from lxml import html as lxml_html
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "document.html"
ASSET_SUFFIXES = {
    ".css",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".ttf",
    ".otf",
    ".woff",
    ".woff2",
}
HEADINGS = {
    "quote": "Devis",
    "invoice": "Facture",
    "final": "Facture de solde",
    "deposit": "Facture d'acompte",
    "credit-note": "Avoir",
}


class AssetFetcher(URLFetcher):
    """Serve only the files given (template assets, logo) and ``data:`` URIs."""

    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.allowed = {path.resolve() for path in allowed}

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused {url[:80]!r}: only template assets and the logo")
        path = Path(url2pathname(parts.path)).resolve()
        if path not in self.allowed or not path.is_file():
            raise ValueError(f"refused {url[:80]!r}: not a template asset or the logo")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def template_assets(template: Path) -> list[Path]:
    """The files a template may load: images, styles and fonts beside it."""
    folder = template.parent
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in ASSET_SUFFIXES
    ]


def render_html(
    doc: Document,
    mentions: list[terms.Mention],
    franchise_mention: str,
    template: Path | None = None,
    logo: Path | None = None,
    brand_colour: str = "#2a6f97",
) -> str:
    """Fill the template; stop if a mandatory mention is not in the result."""
    template = template or DEFAULT_TEMPLATE
    env = _environment(template.parent)
    try:
        page = env.get_template(template.name).render(
            _context(doc, franchise_mention, logo, brand_colour)
        )
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template}: {exc}") from exc
    text = lxml_html.fromstring(page).text_content()
    terms.check_mentions(doc, mentions, text)
    return page


@functools.lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    """One Jinja2 environment per template folder, so templates compile once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        money=terms.money, long_date=terms.long_date, quantity=terms.number
    )
    return env


def write_pdf(
    page: str,
    template: Path | None = None,
    logo: Path | None = None,
    pdf_variant: str | None = "pdf/a-3b",
) -> bytes:
    """Render HTML to PDF (PDF/A-3b by default), fetching only allowed files."""
    template = template or DEFAULT_TEMPLATE
    allowed = template_assets(template) + ([logo] if logo else [])
    document = HTML(
        string=page,
        base_url=template.parent.as_uri() + "/",
        url_fetcher=AssetFetcher(allowed),
    )
    return document.write_pdf(pdf_variant=pdf_variant, uncompressed_pdf=False)


def epc_qr_uri(doc: Document) -> str | None:
    """An EPC (SEPA) QR code for the amount due, when an IBAN is configured."""
    if not doc.seller.iban or doc.kind in ("quote", "credit-note") or doc.is_draft:
        return None
    if doc.due_amount <= 0:
        return None
    try:
        iban = IBAN(doc.seller.iban)
    except SchwiftyException as exc:
        raise PartyDataError(
            "business", "iban", f"is not a valid IBAN ({exc})"
        ) from exc
    code = segno.helpers.make_epc_qr(
        name=f"{doc.seller.name} EI"[:70],
        iban=iban.compact,
        amount=doc.due_amount,
        text=doc.number,
        bic=doc.seller.bic or None,
    )
    return code.svg_data_uri(scale=4, border=0)


def _context(
    doc: Document, franchise_mention: str, logo: Path | None, brand_colour: str
) -> dict[str, Any]:
    business_client = doc.buyer.is_business and doc.kind not in ("quote", "credit-note")
    indemnity = None
    if business_client and doc.recovery_indemnity is not None:
        indemnity = terms.indemnity_text(doc.recovery_indemnity)
    return {
        "doc": doc,
        "draft": doc.is_draft,
        "heading": HEADINGS[doc.kind],
        "franchise_mention": franchise_mention,
        "operation_category": terms.OPERATION_CATEGORY if doc.kind != "quote" else "",
        "indemnity": indemnity,
        "no_discount": terms.NO_DISCOUNT if business_client else "",
        "brand_colour": brand_colour,
        "logo_url": logo.resolve().as_uri() if logo else None,
        "qr_uri": epc_qr_uri(doc),
    }
