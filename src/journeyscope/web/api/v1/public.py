"""Placeholder: the public (anonymous) widget and native-app API."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1/public", tags=["public"])
