"""PDFs with Chinese text: one embedded TrueType CJK font, registered once per process.

reportlab's built-in CID fonts are not embedded (viewers substitute) and its TTFont reader cannot
read CFF-outline fonts (Noto CJK), so the default is WenQuanYi Micro Hei, a TrueType face that pip
installs with `paperang-p2-fonts-cjk`. `PDF_CJK_FONT` / `PDF_CJK_FONT_INDEX` pick another face.
"""

from functools import cache, lru_cache
from pathlib import Path

import segno
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_NAME = "CJK"


def default_font_path() -> str:
    import paperang_p2_fonts_cjk

    return str(Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc")


@cache
def cjk_font() -> str:
    """Register the CJK font (0.1–0.2 s) the first time a process needs it; returns its name."""
    path = getattr(settings, "PDF_CJK_FONT", "") or default_font_path()
    index = getattr(settings, "PDF_CJK_FONT_INDEX", 0)
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    return FONT_NAME


class PagedCanvas(Canvas):
    """A canvas that holds its pages until saved, so that each can say "page x of y": `decorate`
    (canvas, page, total) draws on every page once the total is known (headers, footers)."""

    decorate = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, 1):
            self.__dict__.update(state)
            if self.decorate is not None:
                self.decorate(self, number, total)
            super().showPage()
        super().save()


def pdf_canvas(
    target,
    *,
    pagesize=A4,
    title: str = "",
    author: str = "",
    canvas_class: type[Canvas] = Canvas,
) -> Canvas:
    """A canvas whose only font is the embedded CJK face (no unembedded Helvetica sneaks in)."""
    canvas = canvas_class(target, pagesize=pagesize, initialFontName=cjk_font(), pageCompression=1)
    canvas.setCreator(str(getattr(settings, "PDF_CREATOR", "Xujing safety platform")))
    if title:
        canvas.setTitle(title)
    if author:
        canvas.setAuthor(author)
    return canvas


def paragraph_style(name: str = "body", *, size: float = 11, leading: float | None = None, **kw):
    """A Paragraph style in the CJK font that wraps Chinese text between any two characters."""
    return ParagraphStyle(
        name,
        fontName=cjk_font(),
        fontSize=size,
        leading=leading or size * 1.5,
        wordWrap="CJK",
        **kw,
    )


# Bounded: a batch draws thousands of different codes, and a worker lives long.
@lru_cache(maxsize=256)
def _qr_matrix(data: str, mask: int | None = None) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(row) for row in segno.make_qr(data, error="m", mask=mask).matrix)


def _qr_blocks(matrix) -> list[tuple[int, int, int, int]]:
    """Dark modules as (column, row, width, height) rectangles: runs along a row, stacked while
    the next rows repeat the same run (a sixth fewer rectangles than runs alone)."""
    blocks = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, end) -> first row
    for r, row in enumerate((*matrix, ())):
        runs = set()
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.add((start, c))
            else:
                c += 1
        for run in [run for run in open_runs if run not in runs]:
            first = open_runs.pop(run)
            blocks.append((run[0], first, run[1] - run[0], r - first))
        for run in runs:
            open_runs.setdefault(run, r)
    return blocks


def qr_draw(
    canvas: Canvas,
    data: str,
    *,
    x: float,
    y: float,
    size: float,
    border: int = 2,
    mask: int | None = None,
) -> None:
    """Draw a QR code as filled rectangles from segno's matrix (~7 ms; reportlab's widget ~75 ms).

    (x, y) is the lower-left corner; `border` modules of quiet zone are kept inside `size`.
    A fixed `mask` (0–7) skips segno's search for the best one (~6 of its ~8 ms): for codes
    made by the thousand, where every decoder reads any mask.
    """
    matrix = _qr_matrix(data, mask)
    modules = len(matrix) + 2 * border
    cell = size / modules
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for column, row, width, height in _qr_blocks(matrix):
        path.rect(
            x + (column + border) * cell,
            y + size - (row + height + border) * cell,
            width * cell,
            height * cell,
        )
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
