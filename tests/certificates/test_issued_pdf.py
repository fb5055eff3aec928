"""The certificate PDF read back: Chinese text, masked ID, embedded font, QR to /verify/<code>/."""

import io

import pypdfium2
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from certificates.pdf import certificate_content, certificate_pdf_write


def _pdf(certificate) -> bytes:
    buffer = io.BytesIO()
    certificate_pdf_write(buffer, certificate_content(certificate))
    return buffer.getvalue()


def test_text_comes_back_with_the_id_number_masked(town, issue):
    holder = town["person_a"]
    cert = issue(holder, title="有限空间作业安全培训", hours=16)
    reader = PdfReader(io.BytesIO(_pdf(cert)))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    for expected in (
        "张三",
        cert.number,
        "有限空间作业安全培训",
        "16 学时",
        "2026年3月20日",
        "安全生产培训合格证书",
        "徐泾镇安全生产委员会办公室",
        holder.id_number[:3] + "*" * 11 + holder.id_number[-4:],
    ):
        assert expected in text, expected
    assert holder.id_number not in text


def test_only_the_embedded_truetype_font_is_used(town, issue):
    reader = PdfReader(io.BytesIO(_pdf(issue(town["person_a"]))))
    fonts = {}

    def collect(resources):
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                collect(xobject["/Resources"].get_object())

    collect(reader.pages[0]["/Resources"])
    assert fonts and not any("Helvetica" in name for name in fonts), list(fonts)
    for font in fonts.values():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_qr_decodes_to_the_absolute_verification_url(town, issue, settings):
    settings.SITE_URL = "https://aq.xujing.example"
    cert = issue(town["person_a"])
    image = pypdfium2.PdfDocument(_pdf(cert))[0].render(scale=2).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    path = reverse("certificates_verify:detail", args=[cert.code])
    assert decoded == [f"https://aq.xujing.example{path}"]
    assert path == f"/verify/{cert.code}/"


def test_holder_downloads_own_pdf_and_others_get_404(client, town, accounts, issue):
    from directory.constants import AccountRole

    own = issue(town["person_a"])
    other = issue(town["person_b"])
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get(reverse("certificates_issued:download", args=[own.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert own.number in PdfReader(io.BytesIO(response.getvalue())).pages[0].extract_text()
    assert client.get(reverse("certificates_issued:download", args=[other.pk])).status_code == 404


def test_qr_rectangles_cover_exactly_the_dark_modules():
    from config.pdf import _qr_blocks, _qr_matrix

    matrix = _qr_matrix("https://aq.xujing.example/verify/" + "x" * 32 + "/", 0)
    covered = [[0] * len(row) for row in matrix]
    for column, row, width, height in _qr_blocks(matrix):
        for r in range(row, row + height):
            for c in range(column, column + width):
                assert covered[r][c] == 0  # no overlaps
                covered[r][c] = 1
    assert covered == [list(row) for row in matrix]


def test_downloaded_qr_points_to_the_requests_host_when_no_address_is_set(
    client, town, accounts, issue, settings
):
    from directory.constants import AccountRole

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["aq.xujing.example"]
    cert = issue(town["person_a"])
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get(
        reverse("certificates_issued:download", args=[cert.pk]), HTTP_HOST="aq.xujing.example"
    )
    assert response.status_code == 200
    image = pypdfium2.PdfDocument(response.getvalue())[0].render(scale=2).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [f"http://aq.xujing.example/verify/{cert.code}/"]
    assert "localhost" not in decoded[0]
