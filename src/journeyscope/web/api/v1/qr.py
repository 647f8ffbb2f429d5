"""Placeholder: QR codes for survey and kiosk links."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["qr"])
