"""Factur-X EN 16931: the embedded XML, its XSD and schematron (CASES C27-C37)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import facturx
import pytest
from beancount_micro.invoice import facturx_xml, issue_invoice, render
from beancount_micro.invoice.errors import FacturXError
from beancount_micro.invoice.model import Deduction, Document, Line, Party
from beancount_micro.invoice.pdfcheck import check_facturx_pdf

FRANCHISE = "TVA non applicable, art. 293 B du CGI"

# CASES.md C27: the franchise invoice model (the SIRET is made Luhn-valid).
SELLER = Party(
    name="Atelier Exemple",
    address="5 rue du Port, 44000 Nantes",
    siren="732829320",
    siret="73282932000074",
    is_business=True,
)
BUYER = Party(
    name="Client Démo SAS",
    address="10 avenue de la Gare, 75010 Paris",
    siren="552100554",
    is_business=True,
)


def c27_invoice(**changes) -> Document:
    line = Line(
        "Développement site vitrine",
        Decimal(4),
        "h",
        Decimal("125.00"),
        "Income:Prestations",
        "HUR",
    )
    fields = dict(
        kind="invoice",
        number="F-2026-0001",
        issued=date(2026, 3, 31),
        seller=SELLER,
        buyer=BUYER,
        lines=[line],
        title="Site vitrine",
        service_date=date(2026, 3, 31),
        due=date(2026, 4, 30),
    )
    fields.update(changes)
    return Document(**fields)


def test_issued_invoice_xml_passes_xsd_and_en16931_schematron(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    result = issue_invoice(books.config(), source)
    xml = fx.embedded_xml(result.pdf.read_bytes())

    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert fx.schematron_failures(xml) == []


def test_totals_agree_between_xml_pdf_and_ledger(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    result = issue_invoice(books.config(), source)
    pdf = result.pdf.read_bytes()
    xml = fx.embedded_xml(pdf)

    # 1 × 1234.56 + 2.5 × 80.00 = 1434.56, computed by hand.
    grand = fx.xpath(xml, "//ram:GrandTotalAmount/text()")
    due = fx.xpath(xml, "//ram:DuePayableAmount/text()")
    assert grand == due == ["1434.56"]
    assert "Net à payer 1 434,56 €" in " ".join(fx.pdf_text(pdf).split())
    assert "Assets:Clients:Lumiere-Bio" in books.ledger.read_text()
    posting = [
        line
        for line in books.ledger.read_text().splitlines()
        if line.strip().startswith("Assets:Clients:Lumiere-Bio ")
    ]
    assert posting[0].split()[1:] == ["1434.56", "EUR"]


def test_c27_franchise_lines_are_category_e_at_rate_zero(fx):
    xml = facturx_xml.build_xml(c27_invoice(), "en16931", FRANCHISE)

    line_tax = "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
    assert fx.xpath(xml, f"{line_tax}/ram:CategoryCode/text()") == ["E"]
    assert fx.xpath(xml, f"{line_tax}/ram:RateApplicablePercent/text()") == ["0"]
    assert fx.xpath(xml, "//ram:LineTotalAmount/text()") == ["500.00", "500.00"]

    header = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert len(fx.xpath(xml, header)) == 1
    assert fx.xpath(xml, f"{header}/ram:CalculatedAmount/text()") == ["0.00"]
    assert fx.xpath(xml, f"{header}/ram:BasisAmount/text()") == ["500.00"]
    assert fx.xpath(xml, f"{header}/ram:CategoryCode/text()") == ["E"]
    assert fx.xpath(xml, f"{header}/ram:ExemptionReasonCode/text()") == [
        "VATEX-FR-FRANCHISE"
    ]
    assert fx.xpath(xml, f"{header}/ram:ExemptionReason/text()") == [FRANCHISE]
    assert fx.xpath(xml, f"{header}/ram:RateApplicablePercent/text()") == ["0"]

    assert fx.xpath(xml, "//ram:TaxBasisTotalAmount/text()") == ["500.00"]
    tax_total = fx.xpath(xml, "//ram:TaxTotalAmount")[0]
    assert (tax_total.text, tax_total.get("currencyID")) == ("0.00", "EUR")
    assert fx.xpath(xml, "//ram:GrandTotalAmount/text()") == ["500.00"]
    assert fx.xpath(xml, "//ram:DuePayableAmount/text()") == ["500.00"]
    assert fx.schematron_failures(xml) == []


def test_c32_seller_without_vat_number_gets_siren_as_tax_registration(fx):
    xml = facturx_xml.build_xml(c27_invoice(), "en16931", FRANCHISE)

    seller = "//ram:SellerTradeParty"
    assert (
        fx.xpath(xml, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
        == []
    )
    fc = fx.xpath(xml, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']")
    assert [e.text for e in fc] == ["732829320"]
    legal = fx.xpath(xml, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID")
    assert [(e.text, e.get("schemeID")) for e in legal] == [("732829320", "0002")]
    assert fx.xpath(xml, f"{seller}/ram:Name/text()") == ["Atelier Exemple EI"]


def test_c28_empty_exemption_reason_stops_with_br_e_10(fx):
    with pytest.raises(FacturXError, match="BR-E-10"):
        facturx_xml.build_xml(c27_invoice(), "en16931", " ")


def test_schematron_reports_br_e_10_when_the_reason_is_removed(fx):
    """The offline schematron run can fail: strip BT-120 and BT-121 by hand."""
    xml = facturx_xml.build_xml(c27_invoice(), "en16931", FRANCHISE)
    code = b"<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>"
    reason = f"<ram:ExemptionReason>{FRANCHISE}</ram:ExemptionReason>".encode()
    broken = xml.replace(code, b"").replace(reason, b"")
    failures = fx.schematron_failures(broken)
    assert any("BR-E-10" in failure for failure in failures), failures


def test_c29_two_lines_give_one_exempt_breakdown(fx):
    lines = [
        Line("Animation", Decimal(1), "forfait", Decimal("300.00"), "Income:A"),
        Line("Formation", Decimal(1), "forfait", Decimal("200.00"), "Income:B"),
    ]
    xml = facturx_xml.build_xml(c27_invoice(lines=lines), "en16931", FRANCHISE)
    header = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert fx.xpath(xml, f"{header}/ram:BasisAmount/text()") == ["500.00"]
    assert fx.schematron_failures(xml) == []


def test_c29_line_with_another_vat_category_is_refused_naming_it():
    lines = [
        Line("Animation", Decimal(1), "forfait", Decimal("300.00"), "Income:A"),
        Line(
            "Formation",
            Decimal(1),
            "forfait",
            Decimal("200.00"),
            "Income:B",
            vat_category="Z",
        ),
    ]
    with pytest.raises(FacturXError, match="line 2 has VAT category 'Z'"):
        facturx_xml.build_xml(c27_invoice(lines=lines), "en16931", FRANCHISE)


def test_c31_line_without_vat_category_is_refused_naming_it(fx):
    lines = [
        Line("Animation", Decimal(1), "forfait", Decimal("300.00"), "Income:A"),
        Line(
            "Formation",
            Decimal(1),
            "forfait",
            Decimal("200.00"),
            "Income:B",
            vat_category=None,
        ),
    ]
    with pytest.raises(FacturXError, match=r"line 2 .*has no VAT category"):
        facturx_xml.build_xml(c27_invoice(lines=lines), "en16931", FRANCHISE)

    fixed = [
        lines[0],
        Line("Formation", Decimal(1), "forfait", Decimal("200.00"), "Income:B"),
    ]
    xml = facturx_xml.build_xml(c27_invoice(lines=fixed), "en16931", FRANCHISE)
    header = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert fx.xpath(xml, f"{header}/ram:BasisAmount/text()") == ["500.00"]
    assert fx.schematron_failures(xml) == []


def test_c31_source_line_with_empty_vat_category_is_refused(books, fx):
    source = books.source("lumiere.toml", fx.business_source + 'vat-category = ""\n')
    with pytest.raises(FacturXError, match="line 2"):
        issue_invoice(books.config(), source)
    assert "F-2026" not in books.ledger.read_text()


def test_c33_minimum_profile_leaves_out_the_buyer_address(fx):
    xml = facturx_xml.build_xml(c27_invoice(), "minimum", FRANCHISE)
    assert fx.xpath(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress") == []
    assert fx.xpath(xml, "//ram:IncludedNote") == []
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="minimum")
    assert fx.schematron_failures(xml, "minimum") == []


def test_basic_profile_passes_its_own_schematron(fx):
    xml = facturx_xml.build_xml(c27_invoice(), "basic", FRANCHISE)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="basic")
    assert fx.schematron_failures(xml, "basic") == []


OPTIONAL_BLOCKS = {
    # CASES.md C37: the placeholder IBAN.
    "iban": dict(seller=replace(SELLER, iban="FR7600000000000000000000000")),
    "iban_bic": dict(
        seller=replace(SELLER, iban="FR7630006000011234567890189", bic="AGRIFRPP882")
    ),
    "payment_terms": dict(payment_terms="30 jours fin de mois"),
    "no_due_date": dict(due=None, payment_terms="30 jours fin de mois"),
    "no_service_date": dict(service_date=None),
    "notes": dict(
        late_penalty="Pénalités de retard : 12,15 % par an",
        recovery_indemnity=Decimal(40),
    ),
    "emails": dict(
        seller=Party(**{**SELLER.__dict__, "email": "a@example.org"}),
        buyer=Party(**{**BUYER.__dict__, "email": "b@example.org"}),
    ),
    "trade_name": dict(seller=Party(**{**SELLER.__dict__, "trade_name": "Atelier"})),
    "vat_numbers": dict(
        buyer=Party(**{**BUYER.__dict__, "vat_number": "FR40552100554"})
    ),
    "individual_buyer": dict(buyer=Party("Jean Dupont", "1 rue A, 69001 Lyon")),
    "address_without_postcode": dict(
        buyer=Party(**{**BUYER.__dict__, "address": "Zone artisanale"})
    ),
    "deposit": dict(kind="deposit", service_date=None),
    "final_with_deposits": dict(
        kind="final",
        deductions=[
            Deduction("F-2026-0001", date(2026, 1, 5), Decimal("100.00"), "Income:A"),
            Deduction("F-2026-0002", date(2026, 2, 5), Decimal("50.00"), "Income:A"),
        ],
    ),
    "credit_note": dict(
        kind="credit-note",
        corrects="F-2025-0009",
        corrects_date=date(2025, 12, 1),
        due=None,
    ),
}


@pytest.mark.parametrize("block", sorted(OPTIONAL_BLOCKS))
@pytest.mark.parametrize("profile", ["en16931", "basic"])
def test_c37_each_optional_block_keeps_schema_order(fx, block, profile):
    doc = c27_invoice(**OPTIONAL_BLOCKS[block])
    xml = facturx_xml.build_xml(doc, profile, FRANCHISE)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level=profile)
    assert fx.schematron_failures(xml, profile) == []


def test_c37_every_optional_block_at_once(fx):
    merged = {}
    for name in (
        "iban_bic",
        "payment_terms",
        "notes",
        "emails",
        "trade_name",
        "vat_numbers",
        "final_with_deposits",
    ):
        merged.update(OPTIONAL_BLOCKS[name])
    xml = facturx_xml.build_xml(c27_invoice(**merged), "en16931", FRANCHISE)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert fx.schematron_failures(xml) == []
    assert fx.xpath(xml, "//ram:TotalPrepaidAmount/text()") == ["150.00"]
    assert fx.xpath(xml, "//ram:DuePayableAmount/text()") == ["350.00"]


def test_document_types_follow_the_kind(fx):
    codes = {
        kind: fx.xpath(
            facturx_xml.build_xml(c27_invoice(**extra), "en16931", FRANCHISE),
            "//rsm:ExchangedDocument/ram:TypeCode/text()",
        )[0]
        for kind, extra in [
            ("invoice", {}),
            ("deposit", OPTIONAL_BLOCKS["deposit"]),
            ("credit-note", OPTIONAL_BLOCKS["credit_note"]),
        ]
    }
    assert codes == {"invoice": "380", "deposit": "386", "credit-note": "381"}


def _rendered(doc: Document, variant: str | None) -> bytes:
    from beancount_micro.invoice import terms

    mentions = terms.required_mentions(doc, FRANCHISE)
    page = render.render_html(doc, mentions, FRANCHISE)
    pdf = render.write_pdf(page, pdf_variant=variant)
    xml = facturx_xml.build_xml(doc, "en16931", FRANCHISE)
    return facturx_xml.embed(pdf, xml, "en16931", doc)


def test_c35_plain_pdf_is_refused_after_embedding():
    with pytest.raises(FacturXError, match="output intent"):
        check_facturx_pdf(
            _rendered(c27_invoice(**OPTIONAL_BLOCKS["notes"]), None), "F-2026-0001"
        )


def test_c35_pdfa_render_passes_the_post_check(fx):
    import pikepdf

    pdf = _rendered(c27_invoice(**OPTIONAL_BLOCKS["notes"]), "pdf/a-3b")
    check_facturx_pdf(pdf, "F-2026-0001")
    with pikepdf.open(__import__("io").BytesIO(pdf)) as document:
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        xmp = str(meta)
        assert "ConformanceLevel" in xmp and "EN 16931" in xmp
        assert len(document.Root.OutputIntents) == 1
        assert [str(spec.F) for spec in document.Root.AF] == ["factur-x.xml"]
