"""QR codes for survey and kiosk links, drawn by segno as PNG or SVG bytes.

Posters, receipts and table tents carry a QR code of a hosted survey link (``/s/{public_id}``)
or of a touchpoint's kiosk page (``/k/{public_id}``). Pure code: it builds URLs from strings
and draws codes; looking up what to link to is the caller's job. Error correction level M
(15 % of the code may be damaged or covered) is the usual choice for printed codes; segno
raises it for free when the URL leaves room in the chosen size.
"""

from __future__ import annotations

import io
from typing import Literal

import segno

QrFormat = Literal["png", "svg"]
"""The image formats we draw."""

MEDIA_TYPES: dict[QrFormat, str] = {"png": "image/png", "svg": "image/svg+xml"}
"""The content type of each format."""

QUIET_ZONE = 4
"""Blank modules around the code: the ISO/IEC 18004 minimum, which scanners rely on."""


def make_code(url: str) -> segno.QRCode:
    """The QR code (never a Micro QR, which phone cameras do not read) of ``url``."""
    return segno.make(url, error="m", micro=False)


def scale_for_width(url: str, width: int) -> int:
    """Pixels per module so the image (quiet zone included) is about ``width`` pixels wide."""
    return _scale(make_code(url), width)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A black-on-white PNG of ``url``'s QR code, ``scale`` pixels per module."""
    return _png(make_code(url), scale)


def qr_svg(url: str, *, scale: int = 8, title: str | None = None) -> bytes:
    """An SVG of ``url``'s QR code with a ``<title>`` so screen readers can name it.

    The title defaults to "QR code: {url}"; segno escapes it. ``role="img"`` makes browsers
    expose the drawing as one image rather than as an anonymous group of paths.
    """
    return _svg(make_code(url), scale, title or f"QR code: {url}")


def render_qr(url: str, fmt: QrFormat, *, scale: int = 8, width: int | None = None) -> bytes:
    """``url``'s QR code in ``fmt`` (``png`` or ``svg``), the code built once.

    ``width`` (pixels, quiet zone included, approximate) overrides ``scale``.
    """
    code = make_code(url)
    if width is not None:
        scale = _scale(code, width)
    if fmt == "png":
        return _png(code, scale)
    return _svg(code, scale, f"QR code: {url}")


def _scale(code: segno.QRCode, width: int) -> int:
    modules, _ = code.symbol_size(scale=1, border=QUIET_ZONE)
    return max(1, round(width / modules))


def _png(code: segno.QRCode, scale: int) -> bytes:
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def _svg(code: segno.QRCode, scale: int, title: str) -> bytes:
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        title=title,
        xmldecl=True,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue().replace(b"<svg ", b'<svg role="img" ', 1)
