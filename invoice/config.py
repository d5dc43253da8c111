"""Invoice settings: ``beancount-micro.toml`` beside the ledger, or options.

    [invoice]
    output = "factures.beancount"   # file the entries are appended to
    pdf-dir = "documents/factures"  # issued invoices and credit notes
    quote-dir = "documents/devis"
    catalogue = "catalogue.toml"
    logo = "logo.png"
    brand-colour = "#2a6f97"
    template = "mon-modele.html"     # a Jinja2 template of your own
    late-penalty-percent = "12.40"   # default: ECB rate + 10 points
    payment-days = 30
    payment-link = "https://pay.example/{number}"
    credit-note-prefix = "F"         # "AV" for a separate series
    profile = "en16931"              # Factur-X profile: en16931, basic, minimum

Relative paths are relative to the folder of the configuration file (the
ledger's folder when there is none). Every key is optional.
"""

import tomllib
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount_micro.invoice.errors import SourceError

CONFIG_NAME = "beancount-micro.toml"
PROFILES = ("en16931", "basic", "minimum")


@dataclass(frozen=True)
class InvoiceConfig:
    """Where documents go and how they look."""

    ledger: Path
    output: Path
    pdf_dir: Path
    quote_dir: Path
    catalogue: Path
    logo: Path | None = None
    brand_colour: str = "#2a6f97"
    template: Path | None = None
    late_penalty_percent: Decimal | None = None
    payment_days: int | None = None
    payment_link: str | None = None
    invoice_prefix: str = "F"
    quote_prefix: str = "D"
    credit_note_prefix: str = "F"
    profile: str = "en16931"

    def with_options(self, **options: Any) -> "InvoiceConfig":
        """Override settings with the command-line options that were given."""
        given = {k: v for k, v in options.items() if v is not None}
        return replace(self, **given)


def load_config(ledger: Path, config_path: Path | None = None) -> InvoiceConfig:
    """Read the ``[invoice]`` table of the configuration file, if there is one."""
    ledger = ledger.resolve()
    path = config_path or ledger.parent / CONFIG_NAME
    table: dict[str, Any] = {}
    if path.exists():
        try:
            with open(path, "rb") as handle:
                table = tomllib.load(handle, parse_float=Decimal).get("invoice", {})
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise SourceError(path, "invoice", f"unreadable TOML ({exc})") from exc
    base = path.parent if path.exists() else ledger.parent
    return _from_table(ledger, base, path, table)


def _from_table(
    ledger: Path, base: Path, path: Path, table: dict[str, Any]
) -> InvoiceConfig:
    known = {f.name.replace("_", "-") for f in fields(InvoiceConfig)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SourceError(path, unknown[0], f"unknown key; expected one of {known}")

    def where(key: str, default: str | None) -> Path | None:
        value = table.get(key, default)
        return None if value is None else (base / str(value)).resolve()

    profile = str(table.get("profile", "en16931")).lower()
    if profile not in PROFILES:
        raise SourceError(path, "profile", f"expected one of {', '.join(PROFILES)}")
    return InvoiceConfig(
        ledger=ledger,
        output=where("output", None) or ledger,
        pdf_dir=where("pdf-dir", "documents/factures"),
        quote_dir=where("quote-dir", "documents/devis"),
        catalogue=where("catalogue", "catalogue.toml"),
        logo=where("logo", None),
        brand_colour=_colour(path, table.get("brand-colour", "#2a6f97")),
        template=where("template", None),
        late_penalty_percent=_percent(path, table.get("late-penalty-percent")),
        payment_days=_int(path, "payment-days", table.get("payment-days")),
        payment_link=table.get("payment-link"),
        invoice_prefix=str(table.get("invoice-prefix", "F")),
        quote_prefix=str(table.get("quote-prefix", "D")),
        credit_note_prefix=str(table.get("credit-note-prefix", "F")),
        profile=profile,
    )


def _colour(path: Path, value: Any) -> str:
    text = str(value)
    digits = text.removeprefix("#")
    if len(digits) not in (3, 6) or any(
        c not in "0123456789abcdefABCDEF" for c in digits
    ):
        raise SourceError(path, "brand-colour", f"{text!r} is not a #rrggbb colour")
    return "#" + digits


def _percent(path: Path, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value).replace(",", ".").rstrip("% "))
    except InvalidOperation as exc:
        raise SourceError(path, "late-penalty-percent", "expected a number") from exc


def _int(path: Path, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SourceError(path, key, "expected a whole number of days")
    return value
