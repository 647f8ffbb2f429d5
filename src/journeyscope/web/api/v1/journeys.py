"""`/v1/journeys`: journeys, their stages and touchpoints, and journey-as-code apply/export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from journeyscope import journey, orchestration
from journeyscope.journey import (
    ApplyResult,
    JourneyPatch,
    JourneySpec,
    JourneySummary,
    JourneyView,
    StageCreate,
    StagePatch,
    StageView,
    TouchpointCreate,
    TouchpointPatch,
    TouchpointView,
)
from journeyscope.web.deps import Cursor, DbDep, Limit, WorkspaceDep, require_same_key
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListAll, ListPage
from journeyscope.web.serialize import model_response

router = APIRouter(prefix="/v1/journeys", tags=["journeys"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=ListPage[JourneySummary])
def list_journeys(
    db: DbDep, workspace_id: WorkspaceDep, cursor: Cursor = None, limit: Limit = 100
) -> Response:
    """List the workspace's journeys, oldest first."""
    page = journey.list_journeys(db, workspace_id=workspace_id, cursor=cursor, limit=limit)
    listed = ListPage[JourneySummary](data=list(page.items), next_cursor=page.next_cursor)
    return model_response(listed)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_journey(db: DbDep, workspace_id: WorkspaceDep, spec: JourneySpec) -> JourneyView:
    """Create a journey with its stages, touchpoints and rules; 409 if the key is taken."""
    return orchestration.create_journey_with_rules(db, workspace_id=workspace_id, spec=spec)


@router.put("/{journey_key}")
def apply_journey(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    spec: JourneySpec,
    prune: Annotated[
        bool,
        Query(description="Delete stages, touchpoints and rules that the spec leaves out."),
    ] = False,
) -> ApplyResult:
    """Apply a journey spec (the JSON form of a journey YAML file), idempotently.

    Creates the journey or updates what differs and reports the rest as unchanged; stages,
    touchpoints and (when the spec has `rules`) rules missing from the spec are deleted only
    with `prune=true`. The journey and its rules are applied together or not at all. The
    spec's `key` must equal the key in the path.
    """
    require_same_key(spec.key, journey_key, route="PUT /v1/journeys/{key}")
    return orchestration.apply_journey_with_rules(
        db, workspace_id=workspace_id, spec=spec, prune=prune
    )


@router.get("/{journey_key}")
def get_journey(db: DbDep, workspace_id: WorkspaceDep, journey_key: str) -> JourneyView:
    """Get a journey with its stages and touchpoints in order."""
    return journey.get_journey(db, workspace_id=workspace_id, key=journey_key)


@router.get(
    "/{journey_key}/export",
    response_model=JourneySpec,
    responses={200: {"content": {"application/yaml": {"schema": {"type": "string"}}}}},
)
def export_journey(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    format: Annotated[Literal["json", "yaml"], Query(description="json or yaml")] = "json",
) -> JourneySpec | Response:
    """Export a journey, with its rules, as a spec that applies back to it unchanged."""
    spec = orchestration.export_journey_with_rules(db, workspace_id=workspace_id, key=journey_key)
    if format == "yaml":
        text = journey.dump_journey_yaml(spec)
        return Response(text, media_type="application/yaml")
    return spec


@router.patch("/{journey_key}")
def update_journey(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, patch: JourneyPatch
) -> JourneyView:
    """Change a journey's name or description."""
    return journey.update_journey(
        db, workspace_id=workspace_id, key=journey_key, changes=patch.changes()
    )


@router.delete("/{journey_key}", status_code=status.HTTP_204_NO_CONTENT)
def delete_journey(db: DbDep, workspace_id: WorkspaceDep, journey_key: str) -> None:
    """Delete a journey with all its stages and touchpoints."""
    journey.delete_journey(db, workspace_id=workspace_id, key=journey_key)


@router.get("/{journey_key}/stages")
def list_stages(db: DbDep, workspace_id: WorkspaceDep, journey_key: str) -> ListAll[StageView]:
    """List a journey's stages in order (the whole list: order matters, and it is short)."""
    view = journey.get_journey(db, workspace_id=workspace_id, key=journey_key)
    return ListAll(data=view.stages)


@router.post("/{journey_key}/stages", status_code=status.HTTP_201_CREATED)
def create_stage(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, body: StageCreate
) -> StageView:
    """Add a stage at `position` (default: last); later stages move down one."""
    return journey.create_stage(
        db,
        workspace_id=workspace_id,
        journey_key=journey_key,
        spec=body.spec(),
        position=body.position,
    )


@router.get("/{journey_key}/stages/{stage_key}")
def get_stage(db: DbDep, workspace_id: WorkspaceDep, journey_key: str, stage_key: str) -> StageView:
    """Get one stage with its touchpoints."""
    return journey.get_stage(db, workspace_id=workspace_id, journey_key=journey_key, key=stage_key)


@router.patch("/{journey_key}/stages/{stage_key}")
def update_stage(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, stage_key: str, patch: StagePatch
) -> StageView:
    """Change a stage; `position` moves it."""
    return journey.update_stage(
        db,
        workspace_id=workspace_id,
        journey_key=journey_key,
        key=stage_key,
        changes=patch.changes(),
    )


@router.delete("/{journey_key}/stages/{stage_key}", status_code=status.HTTP_204_NO_CONTENT)
def delete_stage(db: DbDep, workspace_id: WorkspaceDep, journey_key: str, stage_key: str) -> None:
    """Delete a stage and its touchpoints."""
    journey.delete_stage(db, workspace_id=workspace_id, journey_key=journey_key, key=stage_key)


@router.get("/{journey_key}/touchpoints")
def list_touchpoints(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    stage: Annotated[str | None, Query(description="Only this stage's touchpoints.")] = None,
) -> ListAll[TouchpointView]:
    """List a journey's touchpoints in stage order."""
    view = journey.get_journey(db, workspace_id=workspace_id, key=journey_key)
    points = [t for s in view.stages if stage in (None, s.key) for t in s.touchpoints]
    return ListAll(data=points)


@router.post("/{journey_key}/touchpoints", status_code=status.HTTP_201_CREATED)
def create_touchpoint(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, body: TouchpointCreate
) -> TouchpointView:
    """Add a touchpoint to stage `stage_key` at `position` (default: last)."""
    return journey.create_touchpoint(
        db,
        workspace_id=workspace_id,
        journey_key=journey_key,
        stage_key=body.stage_key,
        spec=body.spec(),
        position=body.position,
    )


@router.get("/{journey_key}/touchpoints/{touchpoint_key}")
def get_touchpoint(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, touchpoint_key: str
) -> TouchpointView:
    """Get one touchpoint."""
    return journey.get_touchpoint(
        db, workspace_id=workspace_id, journey_key=journey_key, key=touchpoint_key
    )


@router.patch("/{journey_key}/touchpoints/{touchpoint_key}")
def update_touchpoint(
    db: DbDep,
    workspace_id: WorkspaceDep,
    journey_key: str,
    touchpoint_key: str,
    patch: TouchpointPatch,
) -> TouchpointView:
    """Change a touchpoint; `stage_key` moves it to another stage, `position` reorders it."""
    return journey.update_touchpoint(
        db,
        workspace_id=workspace_id,
        journey_key=journey_key,
        key=touchpoint_key,
        changes=patch.changes(),
    )


@router.delete(
    "/{journey_key}/touchpoints/{touchpoint_key}", status_code=status.HTTP_204_NO_CONTENT
)
def delete_touchpoint(
    db: DbDep, workspace_id: WorkspaceDep, journey_key: str, touchpoint_key: str
) -> None:
    """Delete a touchpoint."""
    journey.delete_touchpoint(
        db, workspace_id=workspace_id, journey_key=journey_key, key=touchpoint_key
    )
