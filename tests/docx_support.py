"""Word documents for transcript tests: a Teams-style DOCX made from plain paragraphs."""

from __future__ import annotations

import io
import zipfile

import docx


def make_docx(paragraphs: list[str]) -> bytes:
    """A .docx whose body is the given paragraphs, in order."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """``data`` (a .docx) with the named parts replaced or added, deflated like Word does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        for name, content in parts.items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def make_docx_bomb(paragraphs: int, text: str = "Hello") -> bytes:
    """A small .docx whose ``word/document.xml`` inflates to ``paragraphs`` paragraphs."""
    document = make_docx(["x"])
    with zipfile.ZipFile(io.BytesIO(document)) as source:
        xml = source.read("word/document.xml").decode()
    head, _, rest = xml.partition("<w:body>")
    _, _, tail = rest.partition("<w:sectPr")
    body = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * paragraphs
    inflated = f"{head}<w:body>{body}<w:sectPr{tail}"
    return rewrite_parts(document, {"word/document.xml": inflated.encode()})
