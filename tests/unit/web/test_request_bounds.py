"""Every body the server takes is bounded, so no request costs more than a small error.

Lists need a ``max_length`` (pydantic then stops at the first item past it), maps one too
(with :func:`journeyscope.inputs.at_most` where their entries are checked), and the anonymous
doors also bound every string and sit under the smaller public body limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from journeyscope.settings import Settings
from journeyscope.web.app import create_app
from journeyscope.web.deps import get_principal, get_workspace_id
from journeyscope.web.safety import PUBLIC_PATHS

UNBOUNDED_ON_PURPOSE = {"EventIn.properties"}
"""The company's own event data, whatever its shape: bounded by the API's body limit only
(its entries are not checked one by one, so a large one costs no error list)."""
BOUNDED_FORMATS = {"uuid", "date-time", "date", "time", "email", "binary"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data = tmp_path_factory.mktemp("data")
    return create_app(
        Settings(data_dir=data, database={"url": "sqlite://"}, security={"secret_key": "k"})
    )


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)
        elif isinstance(route, APIRoute):
            yield route


def _calls(dependant: Any) -> set[Any]:
    found = {dependant.call}
    for dependency in dependant.dependencies:
        found |= _calls(dependency)
    return found


def _anonymous_writes(app: FastAPI) -> list[APIRoute]:
    return [
        route
        for route in _routes(app.routes)
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}
        and not _calls(route.dependant) & {get_principal, get_workspace_id}
    ]


def _is_unbounded(node: dict[str, Any], *, strings: bool) -> bool:
    """Whether this one schema node is a list, map or (with ``strings``) text without a limit."""
    kind = node.get("type")
    if kind == "array":
        return "maxItems" not in node
    if kind == "object" and node.get("additionalProperties") not in (None, False):
        return not {"maxProperties", "maxLength"} & node.keys()  # pydantic writes maxLength
    if kind == "string" and strings:
        bounded = {"maxLength", "pattern", "enum", "const"} & node.keys()
        return not bounded and node.get("format") not in BOUNDED_FORMATS
    return False


def _children(node: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str]]:
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            yield option, path
    for name, field in node.get("properties", {}).items():
        yield field, f"{path}.{name}"
    if isinstance(node.get("items"), dict):
        yield node["items"], f"{path}[]"
    if isinstance(node.get("additionalProperties"), dict):
        yield node["additionalProperties"], f"{path}{{}}"


def _unbounded(schema: dict[str, Any], defs: dict[str, Any], *, strings: bool) -> list[str]:
    """Paths (``Model.field[]``) of the lists, maps and, with ``strings``, texts without a limit."""
    found: list[str] = []
    seen: set[str] = set()
    todo = [(schema, "body")]
    while todo:
        node, path = todo.pop()
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen and name != "JsonValue":  # any JSON: only inside bounded maps
                seen.add(name)
                todo.append((defs[name], name))
            continue
        if _is_unbounded(node, strings=strings) and path not in UNBOUNDED_ON_PURPOSE:
            found.append(path)
        todo.extend(_children(node, path))
    return sorted(found)


def _body_model(route: APIRoute) -> type[BaseModel] | None:
    field = route.body_field
    annotation = getattr(field.field_info, "annotation", None) if field else None
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def test_every_anonymous_route_taking_a_body_is_under_the_public_body_limit(app: FastAPI) -> None:
    anonymous = _anonymous_writes(app)
    assert len(anonymous) >= 8  # widget, kiosk, hosted pages, unsubscribe, phone
    assert [r.path for r in anonymous if not r.path.startswith(PUBLIC_PATHS)] == []


def test_every_string_list_and_map_of_an_anonymous_body_is_bounded(app: FastAPI) -> None:
    models = {m for route in _anonymous_writes(app) if (m := _body_model(route)) is not None}
    assert len(models) >= 4  # eligibility, display, widget and kiosk answers
    for model in models:
        schema = model.model_json_schema()
        assert _unbounded(schema, schema.get("$defs", {}), strings=True) == [], model.__name__


def test_every_list_and_map_of_an_api_body_is_bounded(app: FastAPI) -> None:
    document = app.openapi()
    defs = document["components"]["schemas"]
    found = [
        f"{method.upper()} {path}: {where}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for media in operation.get("requestBody", {}).get("content", {}).values()
        for where in _unbounded(media["schema"], defs, strings=False)
    ]
    assert found == []
