"""Interview guides as files: Markdown, DOCX (python-docx) and PDF (fpdf2).

PDF and Unicode: fpdf2's built-in fonts (Helvetica…) know only Latin-1, so a stage called
“Zwiększenie” or a typographic quote would fail. The PDF therefore embeds **Open Sans**, a TTF
that ships inside the ``ttf-opensans`` PyPI package (Apache-2.0; Latin, Greek and Cyrillic),
found on disk through the import system — nothing is downloaded at run time. When that package
is not installed, the PDF falls back to Helvetica and replaces typographic quotes, dashes and
ellipses with their ASCII forms and any other non-Latin-1 character with "?", so an export
never fails; the docstring of :func:`render_guide` repeats this.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from journeyscope.errors import InvalidInput
from journeyscope.interviews.guides import Guide, GuideQuestion, GuideSection

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from fpdf import FPDF

GuideFormat = Literal["md", "docx", "pdf"]
_ASCII = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def render_guide(guide: Guide, fmt: GuideFormat) -> bytes:
    """Render ``guide`` as a Markdown (UTF-8), DOCX or PDF file.

    The PDF embeds the Open Sans font from the ``ttf-opensans`` package when it is
    installed (full Unicode for Latin, Greek and Cyrillic scripts); without it, Helvetica
    with typographic punctuation made ASCII and other characters outside Latin-1 shown as "?".

    Raises:
        InvalidInput: ``fmt`` is not one of ``md``, ``docx``, ``pdf``.
    """
    if fmt == "md":
        return render_markdown(guide).encode("utf-8")
    if fmt == "docx":
        return _render_docx(guide)
    if fmt == "pdf":
        return _render_pdf(guide, font_dir=open_sans_dir())
    raise InvalidInput(
        f"unknown guide format {fmt!r}", field="format", hint="use one of md, docx, pdf"
    )


def render_markdown(guide: Guide) -> str:
    """The guide as Markdown: a heading per section, numbered questions, notes in italics."""
    lines = [f"# {guide.title}", ""]
    for section in guide.sections:
        lines += [f"## {section.title}", ""]
        if section.intro:
            lines += [f"> {section.intro}", ""]
        lines += [f"{i}. {_md_question(q)}" for i, q in enumerate(section.questions, 1)]
        if section.probes:
            lines += ["", "**Probes**", ""]
            lines += [f"- {_md_question(q)}" for q in section.probes]
        lines.append("")
    return "\n".join(lines)


def _md_question(question: GuideQuestion) -> str:
    text = question.text.replace("[", "\\[").replace("]", "\\]")
    return f"{text} *({question.note})*" if question.note else text


def _render_docx(guide: Guide) -> bytes:
    import docx  # python-docx; imported here so the module loads fast

    document = docx.Document()
    document.add_heading(guide.title, level=0)
    for section in guide.sections:
        document.add_heading(section.title, level=1)
        if section.intro:
            document.add_paragraph().add_run(section.intro).italic = True
        for question in section.questions:
            _docx_question(document.add_paragraph(style="List Number"), question)
        if section.probes:
            document.add_paragraph().add_run("Probes").bold = True
            for question in section.probes:
                _docx_question(document.add_paragraph(style="List Bullet"), question)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_question(paragraph: Paragraph, question: GuideQuestion) -> None:
    paragraph.add_run(question.text)
    if question.note:
        paragraph.add_run(f" ({question.note})").italic = True


def _render_pdf(guide: Guide, *, font_dir: Path | None, compress: bool = True) -> bytes:
    """The PDF, in Open Sans from ``font_dir``, or in Helvetica when it is ``None``."""
    import fpdf  # fpdf2

    pdf = fpdf.FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(auto=True, margin=15)
    clean = _use_font(pdf, font_dir)
    pdf.add_page()
    pdf.set_font(size=18, style="B")
    pdf.multi_cell(0, 9, clean(guide.title), new_x="LMARGIN", new_y="NEXT")
    for kind, text in _pdf_lines(guide):
        size, style, height = {"h": (14, "B", 8), "i": (10, "I", 5), "q": (11, "", 6)}[kind]
        pdf.set_font(size=size, style=style)
        if kind == "h":
            pdf.ln(3)
        pdf.multi_cell(0, height, clean(text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_lines(guide: Guide) -> Iterator[tuple[str, str]]:
    """(kind, text) per line: "h" heading, "i" intro or note, "q" question."""
    for section in guide.sections:
        yield "h", section.title
        if section.intro:
            yield "i", section.intro
        yield from _pdf_questions(section)


def _pdf_questions(section: GuideSection) -> Iterator[tuple[str, str]]:
    for i, question in enumerate(section.questions, 1):
        yield "q", f"{i}. {question.text}"
        if question.note:
            yield "i", f"    {question.note}"
    if section.probes:
        yield "q", "Probes:"
        for question in section.probes:
            yield "q", f"  \u2022 {question.text}"


def open_sans_dir() -> Path | None:
    """The folder of the Open Sans TTF files of ``ttf-opensans``, if that is installed."""
    spec = importlib.util.find_spec("ttf_opensans")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "ttf"
    return folder if (folder / "OpenSans-Regular.ttf").is_file() else None


def _use_font(pdf: FPDF, font_dir: Path | None) -> Callable[[str], str]:
    """Select Open Sans from ``font_dir`` (or Helvetica) and return the text cleaner for it."""
    if font_dir is None:
        pdf.set_font("helvetica")
        return _latin1
    for style, suffix in (("", "Regular"), ("B", "Bold"), ("I", "Italic")):
        pdf.add_font("OpenSans", style, font_dir / f"OpenSans-{suffix}.ttf")
    pdf.set_font("OpenSans")
    return _as_is


def _as_is(text: str) -> str:
    return text


def _latin1(text: str) -> str:
    """Typographic punctuation as ASCII; anything else outside Latin-1 as "?"."""
    ascii_text = text.translate(_ASCII).replace("\u2022", "-")
    return ascii_text.encode("latin-1", "replace").decode("latin-1")
