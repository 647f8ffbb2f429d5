"""Placeholder: filled in by the channel work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["workspace"])
