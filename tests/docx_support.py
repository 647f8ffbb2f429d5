"""Word documents for transcript tests: a Teams-style DOCX made from plain paragraphs."""

from __future__ import annotations

import io

import docx


def make_docx(paragraphs: list[str]) -> bytes:
    """A .docx whose body is the given paragraphs, in order."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
