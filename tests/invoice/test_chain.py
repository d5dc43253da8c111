"""Quote -> deposit -> final invoice -> credit note on the example ledger."""

import shutil
from decimal import Decimal

import pytest
from beancount import loader
from beancount_micro.invoice import (
    issue_credit_note,
    issue_invoice,
    issue_quote,
    load_config,
    render_existing,
)
from beancount_micro.invoice.books import load_ledger
from beancount_micro.model import read_books

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "ledger.example.beancount"

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason="no example ledger")

QUOTE = """\
client = "Assets:Clients:Atelier-Lumen"
title = "Lancement de la boutique en ligne"
date = 2026-12-01
project = "lumen-boutique"

[[lines]]
description = "Stratégie et calendrier éditorial"
quantity = 1
unit = "forfait"
unit-price = "1500.00"
account = "Income:Prestations:Community-Management"

[[lines]]
description = "Atelier de prise en main"
quantity = 4
unit = "h"
unit-price = "75.00"
account = "Income:Prestations:Formation"
"""


def messages(ledger):
    _, errors, _ = loader.load_file(str(ledger))
    return sorted(e.message for e in errors)


@pytest.fixture
def example(tmp_path):
    ledger = tmp_path / "ledger.beancount"
    shutil.copy(EXAMPLE, ledger)
    (tmp_path / "factures").mkdir()
    source = tmp_path / "factures" / "lumen-boutique.toml"
    source.write_text(QUOTE, encoding="utf-8")
    return ledger, source


def test_quote_deposit_final_credit_note_chain(example, fx):
    ledger, source = example
    before = messages(ledger)
    config = load_config(ledger)

    quote = issue_quote(config, source)
    assert (quote.number, quote.total) == ("D-2026-0006", Decimal("1800.00"))
    with open(ledger, "a", encoding="utf-8") as handle:
        handle.write(
            '\n2026-12-02 custom "micro" "quote-stage" "D-2026-0006" "accepted"\n'
        )

    day = __import__("datetime").date
    deposit = issue_invoice(config, from_quote="D-2026-0006", deposit="30%",
                            issued=day(2026, 12, 3))  # fmt: skip
    final = issue_invoice(config, from_quote="D-2026-0006", issued=day(2026, 12, 15))
    credit = issue_credit_note(config, "F-2026-0051", lines=[2],
                               issued=day(2026, 12, 20))  # fmt: skip

    # 30 % of 1800.00 = 540.00; the final invoice asks 1800.00 - 540.00.
    assert (deposit.number, deposit.kind, deposit.due_amount) == (
        "F-2026-0050", "deposit", Decimal("540.00"),
    )  # fmt: skip
    assert (final.number, final.kind, final.total, final.due_amount) == (
        "F-2026-0051", "final", Decimal("1800.00"), Decimal("1260.00"),
    )  # fmt: skip
    assert (credit.number, credit.due_amount) == ("F-2026-0052", Decimal("300.00"))

    entries, errors, options = loader.load_file(str(ledger))
    assert sorted(e.message for e in errors) == before
    books = read_books(entries, options)
    invoices = books.invoices
    assert invoices["F-2026-0050"].links == {"F-2026-0050", "D-2026-0006"}
    assert invoices["F-2026-0051"].links == {
        "F-2026-0051",
        "D-2026-0006",
        "F-2026-0050",
    }
    assert invoices["F-2026-0052"].links == {"F-2026-0052", "F-2026-0051"}
    assert invoices["F-2026-0052"].corrects == "F-2026-0051"
    assert invoices["F-2026-0051"].amount == Decimal("1260.00")
    assert invoices["F-2026-0051"].open_amount == Decimal("960.00")
    assert invoices["F-2026-0052"].amount == Decimal("-300.00")
    assert books.quotes["D-2026-0006"].stage == "invoiced"
    # Deposit split by income account in proportion: 1500/1800 and 300/1800.
    assert invoices["F-2026-0050"].by_category == {"bnc_ssi": Decimal("540.00")}

    final_xml = fx.embedded_xml(final.pdf.read_bytes())
    assert fx.xpath(final_xml, "//ram:TotalPrepaidAmount/text()") == ["540.00"]
    assert fx.xpath(final_xml, "//ram:DuePayableAmount/text()") == ["1260.00"]
    assert fx.xpath(final_xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
                    "/text()") == ["F-2026-0050"]  # fmt: skip
    credit_xml = fx.embedded_xml(credit.pdf.read_bytes())
    assert fx.xpath(credit_xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == [
        "381"
    ]
    assert fx.xpath(credit_xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
                    "/text()") == ["F-2026-0051"]  # fmt: skip
    assert fx.xpath(credit_xml, "//ram:GrandTotalAmount/text()") == ["300.00"]
    deposit_xml = fx.embedded_xml(deposit.pdf.read_bytes())
    assert fx.xpath(deposit_xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == [
        "386"
    ]
    for xml in (final_xml, credit_xml, deposit_xml):
        assert fx.schematron_failures(xml) == []

    final_text = " ".join(fx.pdf_text(final.pdf.read_bytes()).split())
    assert "Acompte F-2026-0050 du 3 décembre 2026 −540,00 €" in final_text
    assert "Net à payer 1 260,00 €" in final_text


def test_second_credit_note_cannot_exceed_what_remains(example):
    ledger, source = example
    config = load_config(ledger)
    day = __import__("datetime").date
    invoice = issue_invoice(config, source, issued=day(2026, 12, 1))
    issue_credit_note(config, invoice.number, lines=[1], issued=day(2026, 12, 2))
    before = ledger.read_bytes()
    # A full credit note now asks more than the 300.00 left.
    with pytest.raises(Exception, match=r"300\.00 EUR remain to be credited"):
        issue_credit_note(config, invoice.number, issued=day(2026, 12, 3))
    assert ledger.read_bytes() == before


def test_example_invoice_is_rendered_again_from_its_entry(example, fx):
    ledger, _ = example
    target = ledger.parent / "F-2026-0012.pdf"
    render_existing(load_config(ledger), "F-2026-0012", output=target)
    pdf = target.read_bytes()
    text = " ".join(fx.pdf_text(pdf).split())
    assert "Facture n° F-2026-0012" in text
    assert "Studio Kerlann SAS" in text
    assert "Total HT 1 800,00 €" in text
    assert "Date d'échéance 5 avril 2026" in text
    assert fx.schematron_failures(fx.embedded_xml(pdf)) == []


def test_every_example_invoice_renders_again(example, fx):
    ledger, _ = example
    config = load_config(ledger)
    entries, _, options = loader.load_file(str(ledger))
    numbers = sorted(read_books(entries, options).invoices)
    assert len(numbers) > 50
    loaded = load_ledger(ledger)
    for number in numbers:
        target = ledger.parent / f"{number}.pdf"
        render_existing(config, number, output=target, ledger=loaded)
    assert len(list(ledger.parent.glob("F-*.pdf"))) == len(numbers)


def test_deposits_on_one_quote_never_reach_its_total(example):
    import datetime

    from beancount_micro.invoice.errors import SourceError

    ledger, source = example
    config = load_config(ledger)
    issue_quote(config, source)
    with open(ledger, "a", encoding="utf-8") as handle:
        handle.write(
            '\n2026-12-02 custom "micro" "quote-stage" "D-2026-0006" "accepted"\n'
        )
    day = datetime.date(2026, 12, 3)
    issue_invoice(config, from_quote="D-2026-0006", deposit="30%", issued=day)
    before = ledger.read_bytes()
    # 540.00 already asked on 1800.00: 80 % (1440.00) would reach 1980.00.
    with pytest.raises(SourceError, match=r"at most 1259\.99"):
        issue_invoice(config, from_quote="D-2026-0006", deposit="80%", issued=day)
    assert ledger.read_bytes() == before


def test_the_same_invoice_line_cannot_be_credited_twice(example):
    import datetime

    from beancount_micro.invoice.errors import DocumentStateError

    ledger, source = example
    config = load_config(ledger)
    invoice = issue_invoice(config, source, issued=datetime.date(2026, 12, 3))
    day = datetime.date(2026, 12, 4)
    issue_credit_note(config, invoice.number, lines=[2], issued=day)
    before = ledger.read_bytes()
    with pytest.raises(DocumentStateError, match=r"line\(s\) 2 already credited"):
        issue_credit_note(config, invoice.number, lines=[2], issued=day)
    assert ledger.read_bytes() == before


def test_credited_lines_read_only_plain_line_numbers():
    from types import SimpleNamespace

    from beancount_micro.invoice.adjustments import credited_lines

    def note(text):
        return SimpleNamespace(
            kind="credit-note", corrects="F-2026-0001", meta={"credited-lines": text}
        )

    invoices = {
        "A-1": note("1, 3"),
        "A-2": note("2,\u00b2"),
        "A-3": note("4," + "9" * 5000),
    }
    ledger = SimpleNamespace(books=SimpleNamespace(invoices=invoices))
    assert credited_lines(ledger, "F-2026-0001") == {1, 2, 3, 4}
