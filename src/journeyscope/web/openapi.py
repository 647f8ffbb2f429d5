"""OpenAPI descriptions of our error responses, so clients (and the fuzzer) know every status."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from journeyscope.web.problems import PROBLEM_JSON


class ProblemItem(BaseModel):
    """One bad field."""

    field: str | None = Field(description="Dotted path of the field, e.g. events[3].type.")
    location: str = Field(description="body, query, path or header.")
    problem: str
    fix: str | None
    index: int | None = Field(default=None, description="For batches: the bad item's index.")


class ProblemDetails(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=["urn:journeyscope:problem:invalid-input"])
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemItem]
    hint: str | None = None


def problem_response_doc(description: str) -> dict[str, Any]:
    """The OpenAPI ``responses`` entry of a problem+json answer."""
    return {
        "description": description,
        "model": ProblemDetails,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: problem_response_doc("The body could not be read as JSON"),
    401: problem_response_doc("Missing, malformed, unknown or revoked API key"),
    404: problem_response_doc("Not found in the caller's workspace"),
    409: problem_response_doc("Conflicts with the current state (e.g. a key already taken)"),
    413: problem_response_doc("The body is larger than JOURNEYSCOPE_MAX_BODY_BYTES"),
    422: problem_response_doc("Invalid input: each bad field with the problem and the fix"),
}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON body that a route reads and validates itself.

    The model's nested types are referenced from ``components/schemas``, where the other
    routes that take them put them.
    """
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
