"""Answer a pydantic model as JSON in one pass, for the routes that run on every request.

FastAPI validates a returned model against the route's ``response_model`` before it
serializes it; for a model the route has just built from checked values that second pass
costs more than the serialization itself (bench/requests.py). Routes that answer this way
still name their ``response_model`` in the decorator, so the OpenAPI document is unchanged.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel

JSON = "application/json"


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as compact JSON (``by_alias``, as FastAPI writes it), with ``status_code``."""
    return Response(model.model_dump_json(by_alias=True), status_code=status_code, media_type=JSON)
