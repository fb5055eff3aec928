"""The shared PDF toolkit: Chinese text embedded and extractable, the QR code decodable."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from config.pdf import paragraph_style, pdf_canvas, qr_draw


def _pdf_with_text_and_qr() -> bytes:
    buffer = io.BytesIO()
    canvas = pdf_canvas(buffer, title="测试")
    canvas.drawString(72, 770, "徐泾镇安全生产培训合格证明")
    paragraph = Paragraph("重大事故隐患判定标准学习" * 6, paragraph_style(size=12))
    paragraph.wrapOn(canvas, 200, 400)
    paragraph.drawOn(canvas, 72, 600)
    qr_draw(canvas, "https://example.org/verify/AbC123/", x=300, y=300, size=120)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_chinese_text_comes_back_out_and_the_font_is_embedded():
    reader = PdfReader(io.BytesIO(_pdf_with_text_and_qr()))
    text = reader.pages[0].extract_text()
    assert "徐泾镇安全生产培训合格证明" in text
    assert "判定标准" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    assert names and all("Helvetica" not in n for n in names), names
    for font in fonts.values():
        font = font.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program is inside the PDF


def test_qr_code_decodes_from_the_rendered_page():
    document = pypdfium2.PdfDocument(_pdf_with_text_and_qr())
    image = document[0].render(scale=2).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == ["https://example.org/verify/AbC123/"]
