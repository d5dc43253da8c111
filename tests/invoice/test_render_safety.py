"""Rendering: fonts and glyphs (C24), images (C26), inert hostile text."""

import base64
import io
import logging
import shutil
import subprocess

import pytest
from beancount_micro.invoice import issue_invoice, render
from pypdf import PdfReader

# A 1×1 PNG, red.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def image_xobjects(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    count = 0
    for page in reader.pages:
        objects = page["/Resources"].get("/XObject", {})
        for ref in objects.values():
            if ref.get_object()["/Subtype"] == "/Image":
                count += 1
    return count


def c24_source(fx):
    # 1 × 1234.56: "Total HT 1 234,56 €" and "Net à payer 1 234,56 €".
    return fx.business_source.split('[[lines]]\nitem = "atelier"')[0]


def test_c24_euro_and_narrow_space_are_extractable_text(books, fx):
    source = books.source("c24.toml", c24_source(fx))
    pdf = issue_invoice(books.config(), source).pdf.read_bytes()
    text = fx.pdf_text(pdf)
    assert "1\u202f234,56\u00a0€" in text or "1\u202f234,56 €" in text
    assert "\u20ac" in text
    assert "TVA non applicable, art. 293 B du CGI" in text


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils absent")
def test_c24_every_font_is_embedded(books, fx):
    source = books.source("c24.toml", c24_source(fx))
    path = issue_invoice(books.config(), source).pdf
    table = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True)
    rows = table.stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), table.stdout
    assert all("DejaVu" in row for row in rows)


def test_c24_structure_check_passes(books, fx):
    """libqpdf's own check (what ``qpdf --check`` runs), through pikepdf."""
    import pikepdf

    source = books.source("c24.toml", c24_source(fx))
    path = issue_invoice(books.config(), source).pdf
    with pikepdf.open(path) as document:
        assert document.check_pdf_syntax() == []


def test_c26_relative_images_of_the_template_and_logo_render(books, fx, tmp_path,
                                                             caplog):  # fmt: skip
    folder = tmp_path / "modele"
    folder.mkdir()
    (folder / "logo.png").write_bytes(PNG)
    (folder / "tampon.png").write_bytes(PNG)
    default = render.DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    page = default.replace(
        "<body>",
        '<body><img src="logo.png" alt=""><div style="background-image: '
        'url(tampon.png); width: 10mm; height: 10mm"></div>',
    ).replace('<link rel="stylesheet" href="document.css">', "")
    (folder / "modele.html").write_text(page, encoding="utf-8")
    source = books.source("lumiere.toml", fx.business_source)

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = issue_invoice(books.config(template=folder / "modele.html"), source)

    assert caplog.records == []
    assert image_xobjects(result.pdf.read_bytes()) == 2


def test_configured_logo_renders(books, fx, tmp_path, caplog):
    logo = tmp_path / "mon-logo.png"
    logo.write_bytes(PNG)
    source = books.source("lumiere.toml", fx.business_source)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = issue_invoice(books.config(logo=logo), source)
    assert caplog.records == []
    assert image_xobjects(result.pdf.read_bytes()) == 1


def test_fetcher_refuses_files_that_are_not_assets(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    fetcher = render.AssetFetcher([])
    for url in (secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x.png",
                "https://example.org/logo.png"):  # fmt: skip
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    allowed = render.AssetFetcher([secret])
    assert allowed.fetch(secret.as_uri()).read() == PNG


def test_template_cannot_read_arbitrary_files(books, fx, tmp_path, caplog):
    """Even a template asking for /etc/passwd or a remote image gets nothing."""
    folder = tmp_path / "modele"
    folder.mkdir()
    default = render.DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    page = default.replace(
        "<body>",
        '<body><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">',
    )
    (folder / "modele.html").write_text(page, encoding="utf-8")
    source = books.source("lumiere.toml", fx.business_source)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = issue_invoice(books.config(template=folder / "modele.html"), source)
    refused = [r.getMessage() for r in caplog.records]
    assert any("/etc/passwd" in m and "refused" in m for m in refused), refused
    assert "root:" not in fx.pdf_text(result.pdf.read_bytes())
    assert image_xobjects(result.pdf.read_bytes()) == 0


# Each hostile description, and the text the PDF must show for it.
HOSTILE = [
    ('<img src="file:///etc/passwd">', '<imgsrc="file:///etc/passwd">'),
    ("{{ 7*7 }} {% raw %}", "{{7*7}}{%raw%}"),
    ("<script>alert(1)</script><b>gras</b>", "<script>alert(1)</script><b>gras</b>"),
    ("\u202eevil\u202c \u200f(rtl) مرحبا", "(rtl)"),
    ("file:///etc/passwd", "file:///etc/passwd"),
]


@pytest.mark.parametrize("text, shown", HOSTILE)
def test_hostile_description_renders_as_inert_text(books, fx, text, shown, caplog):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    source = books.source(
        "hostile.toml",
        fx.business_source.replace(
            'item = "atelier"', f'item = "atelier"\ndescription = "{escaped}"'
        ),
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        result = issue_invoice(books.config(), source)

    assert caplog.records == []
    pdf = result.pdf.read_bytes()
    flat = "".join(fx.pdf_text(pdf).split())
    assert shown in flat
    assert "root:" not in flat
    assert image_xobjects(pdf) == 0
    lines = fx.xpath(
        fx.embedded_xml(pdf), "//ram:SpecifiedTradeProduct/ram:Name/text()"
    )
    assert lines[1] == " ".join(text.split())


def test_hostile_client_name_is_inert_in_pdf_xml_and_ledger(books, fx):
    from beancount import loader

    books.ledger.write_text(
        books.ledger.read_text(encoding="utf-8").replace(
            'client: "Lumière Bio SAS"',
            'client: "Lumière <b>Bio</b> {{ 7*7 }} \\"SAS\\""',
        ),
        encoding="utf-8",
    )
    source = books.source("lumiere.toml", fx.business_source)
    result = issue_invoice(books.config(), source)
    text = fx.pdf_text(result.pdf.read_bytes())
    assert 'Lumière <b>Bio</b> {{ 7*7 }} "SAS"' in text
    _, errors, _ = loader.load_file(str(books.ledger))
    assert errors == []


def test_very_long_description_wraps_instead_of_failing(books, fx):
    long_text = "Abcdefghij" * 150
    source = books.source(
        "long.toml",
        fx.business_source.replace(
            'item = "atelier"', f'item = "atelier"\ndescription = "{long_text}"'
        ),
    )
    pdf = issue_invoice(books.config(), source).pdf.read_bytes()
    assert long_text in "".join(fx.pdf_text(pdf).split())
