"""Check a finished Factur-X PDF before calling it one.

factur-x embeds the XML and writes the Factur-X XMP, but it does not make a
PDF conform to PDF/A when the input was not PDF/A. This post-check refuses a
result that lacks what PDF/A-3b and Factur-X need and what we can verify
without veraPDF: an sRGB output intent, XMP ``pdfaid:part`` 3 with
conformance B, the Factur-X XMP extension, ``factur-x.xml`` attached through
``/AF``, and every font embedded.
"""

import io

from beancount_micro.invoice.errors import FacturXError
from pypdf import PdfReader
from pypdf.generic import IndirectObject


def check_facturx_pdf(pdf: bytes, number: str) -> None:
    """Raise :class:`FacturXError` naming the first requirement not met."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    problems = []
    if "/OutputIntents" not in root:
        problems.append("no output intent (render with pdf_variant pdf/a-3b)")
    xmp = _xmp(root)
    if 'pdfaid:part="3"' not in xmp and "<pdfaid:part>3</pdfaid:part>" not in xmp:
        problems.append("XMP does not declare PDF/A part 3")
    if "conformance" not in xmp.lower() or "fx:ConformanceLevel" not in xmp:
        problems.append("XMP lacks the Factur-X extension schema")
    names = [str(_resolve(spec).get("/F")) for spec in _resolve(root.get("/AF", []))]
    if "factur-x.xml" not in names:
        problems.append("factur-x.xml is not attached through /AF")
    problems += _unembedded_fonts(reader)
    if problems:
        raise FacturXError(f"{number}: not a valid Factur-X PDF/A-3b: {problems[0]}")


def _xmp(root) -> str:
    metadata = root.get("/Metadata")
    if metadata is None:
        return ""
    return _resolve(metadata).get_data().decode("utf-8", "replace")


def _unembedded_fonts(reader: PdfReader) -> list[str]:
    missing = []
    for page in reader.pages:
        fonts = _resolve(_resolve(page.get("/Resources", {})).get("/Font", {}))
        for font in fonts.values():
            font = _resolve(font)
            for part in [font, *map(_resolve, font.get("/DescendantFonts", []))]:
                descriptor = _resolve(part.get("/FontDescriptor"))
                if descriptor is None:
                    continue
                if not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.append(f"font {part.get('/BaseFont')} is not embedded")
    return missing


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value
