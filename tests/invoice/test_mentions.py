"""The PDF carries every mandatory mention (REGIME.md §6.1), read back."""

from datetime import date

import pytest
from beancount_micro.invoice import issue_invoice, issue_quote
from beancount_micro.invoice.errors import MissingMentionError


def test_business_invoice_prints_every_mandatory_mention(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    result = issue_invoice(books.config(), source)
    text = " ".join(fx.pdf_text(result.pdf.read_bytes()).split())

    for mention in [
        "Camille Durand EI",
        "73282932000074",
        "12 rue des Lilas, 69003 Lyon",
        "Lumière Bio SAS",
        "4 quai des Célestins, 69002 Lyon",
        "SIREN : 732829320",
        "Facture n° F-2026-0001",
        "Date d'émission 30 avril 2026",
        "Date de la prestation 30 avril 2026",
        "Animation réseaux sociaux (forfait mensuel)",
        "Atelier stratégie éditoriale",
        "2,5",
        "80,00 €",
        "Total HT 1 434,56 €",
        "TVA non applicable, art. 293 B du CGI",
        "Date d'échéance 30 mai 2026",
        # 2026 H1: ECB 2.15 % + 10 points (REGIME.md §6.4).
        "Pénalités de retard : 12,15 % par an",
        "indemnité forfaitaire pour frais de recouvrement de 40 €",
        "aucun escompte",
        "prestations de services",
    ]:
        assert mention in text, mention


def test_individual_invoice_has_no_b2b_mentions(books, fx):
    source = books.source("martin.toml", fx.individual_source)
    result = issue_invoice(books.config(), source)
    text = " ".join(fx.pdf_text(result.pdf.read_bytes()).split())

    for mention in [
        "Camille Durand EI",
        "73282932000074",
        "Julie Martin",
        "3 place Bellecour, 69002 Lyon",
        "F-2026-0001",
        "4 mai 2026",
        "Audit de compte Instagram",
        "150,00 €",
        "TVA non applicable, art. 293 B du CGI",
        "paiement à réception",
    ]:
        assert mention in text, mention
    assert "Pénalités" not in text
    assert "recouvrement" not in text
    assert "SIREN" not in text


def test_second_half_year_uses_its_own_penalty_rate(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    result = issue_invoice(books.config(), source, issued=date(2026, 7, 15))
    text = " ".join(fx.pdf_text(result.pdf.read_bytes()).split())
    # 2026 H2: ECB 2.40 % + 10 points.
    assert "Pénalités de retard : 12,40 % par an" in text


def test_configured_penalty_rate_under_the_floor_is_refused(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    # 2026 H1 floor: 3 × 2.62 % = 7.86 %.
    with pytest.raises(Exception, match="under the legal floor of 7,86 %"):
        issue_invoice(books.config(late_penalty_percent=7), source)
    assert "F-2026" not in books.ledger.read_text()


def test_configured_penalty_rate_is_printed(books, fx):
    source = books.source("lumiere.toml", fx.business_source)
    config = books.config(late_penalty_percent=__import__("decimal").Decimal("10"))
    result = issue_invoice(config, source)
    assert "10,00 % par an (taux convenu)" in fx.pdf_text(result.pdf.read_bytes())


def test_template_without_the_franchise_mention_stops_the_build(books, fx, tmp_path):
    template = tmp_path / "mine.html"
    template.write_text(
        "<html><body>{{ doc.seller.name }} EI {{ doc.number }}</body></html>"
    )
    source = books.source("lumiere.toml", fx.business_source)
    with pytest.raises(MissingMentionError, match="mandatory mention missing"):
        issue_invoice(books.config(template=template), source)
    assert "F-2026" not in books.ledger.read_text()
    assert not (books.root / "documents").exists()


def test_quote_prints_validity_and_requested_deposit(books, fx):
    source = books.source(
        "devis.toml",
        fx.business_source.replace(
            "\ndate = 2026-04-30", "\ndate = 2026-04-01"
        ).replace("title =", 'valid-until = 2026-05-01\ndeposit = "30%"\ntitle ='),
    )
    result = issue_quote(books.config(), source)
    text = " ".join(fx.pdf_text(result.pdf.read_bytes()).split())
    assert result.number == "D-2026-0001"
    assert "Devis n° D-2026-0001" in text
    assert "Valable jusqu'au 1 mai 2026" in text
    # 30 % of 1 434,56 € = 430,368 -> 430,37 €.
    assert "Acompte à la commande 430,37 €" in text
