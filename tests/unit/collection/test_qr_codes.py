"""QR codes: real PNG and SVG images whose modules are the QR code of the URL."""

from __future__ import annotations

import struct
import zlib
from typing import Any
from xml.etree import ElementTree

import pytest
import segno

from journeyscope.collection import qr_codes, urls

URL = "https://feedback.example.com/k/AbCdEfGhIjKlMnOp"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _png_pixels(data: bytes) -> list[list[int]]:
    """Decode a 1-bit greyscale PNG (what segno writes) into rows of 0 (black) / 1 (white)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, header, compressed = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        compressed += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) == (1, 0)
    stride = (width + 7) // 8
    raw, rows, previous = zlib.decompress(compressed), [], bytes(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - 1] if x else 0
            line[x] = (line[x] + (left if kind == 1 else previous[x] if kind == 2 else 0)) & 0xFF
        assert kind in (0, 1, 2)
        previous = bytes(line)
        rows.append([(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return rows


def _modules(pixels: list[list[int]], scale: int) -> list[list[int]]:
    """Sample the centre of each module inside the quiet zone; 1 for dark."""
    size = len(pixels) // scale - 2 * qr_codes.QUIET_ZONE
    border = qr_codes.QUIET_ZONE * scale
    return [
        [
            1 - pixels[border + r * scale + scale // 2][border + c * scale + scale // 2]
            for c in range(size)
        ]
        for r in range(size)
    ]


def test_png_modules_are_the_qr_code_of_the_url() -> None:
    png = qr_codes.qr_png(URL, scale=3)
    expected = [list(row) for row in segno.make(URL, error="m", micro=False).matrix]
    assert _modules(_png_pixels(png), 3) == expected


def test_png_size_follows_the_scale() -> None:
    small, big = (
        _png_pixels(qr_codes.qr_png(URL, scale=2)),
        _png_pixels(qr_codes.qr_png(URL, scale=6)),
    )
    assert len(big) == 3 * len(small)


def test_svg_is_xml_with_a_title() -> None:
    svg = qr_codes.qr_svg(URL, scale=4)
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    assert title.text == f"QR code: {URL}"


def test_svg_title_is_escaped() -> None:
    svg = qr_codes.qr_svg(URL, title="<Gate & till>")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert root.find(f"{SVG_NS}title").text == "<Gate & till>"  # type: ignore[union-attr]


def test_svg_draws_the_same_code_as_segno() -> None:
    expected = segno.make(URL, error="m", micro=False)
    ours = ElementTree.fromstring(qr_codes.qr_svg(URL, scale=1))  # noqa: S314 - our own output
    size = expected.symbol_size(scale=1, border=qr_codes.QUIET_ZONE)[0]
    assert ours.get("width") == str(size)
    path = ours.find(f"{SVG_NS}path")
    assert path is not None
    text = qr_codes.make_code(URL).svg_inline(scale=1, border=qr_codes.QUIET_ZONE)
    assert f'd="{path.get("d")}"' in text


def test_links_have_the_public_shapes() -> None:
    assert urls.survey_url("https://x.test/", "abc") == "https://x.test/s/abc"
    assert urls.kiosk_url("https://x.test", "tp1") == "https://x.test/k/tp1"


def test_scale_for_width_aims_at_the_width() -> None:
    scale = qr_codes.scale_for_width(URL, 512)
    width = qr_codes.make_code(URL).symbol_size(scale=scale, border=qr_codes.QUIET_ZONE)[0]
    assert abs(width - 512) <= width / scale
    assert qr_codes.scale_for_width(URL, 1) == 1


def test_render_qr_picks_the_format() -> None:
    assert qr_codes.render_qr(URL, "png").startswith(b"\x89PNG")
    assert b"<svg" in qr_codes.render_qr(URL, "svg")


def test_render_qr_to_a_width_builds_the_code_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = qr_codes.make_code

    def counted(url: str) -> Any:
        built.append(url)
        return real(url)

    monkeypatch.setattr(qr_codes, "make_code", counted)
    png = qr_codes.render_qr(URL, "png", width=512)
    assert built == [URL]
    monkeypatch.undo()
    assert png == qr_codes.qr_png(URL, scale=qr_codes.scale_for_width(URL, 512))
    svg = qr_codes.render_qr(URL, "svg", width=512)
    assert svg == qr_codes.qr_svg(URL, scale=qr_codes.scale_for_width(URL, 512))
