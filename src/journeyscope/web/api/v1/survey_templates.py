"""`/v1/survey-templates`: the ready-made surveys, keyed to journey stages and channels."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from journeyscope import surveys
from journeyscope.surveys import SurveyTemplate
from journeyscope.web.deps import WorkspaceDep
from journeyscope.web.openapi import PROBLEM_RESPONSES
from journeyscope.web.pagination import ListAll

router = APIRouter(prefix="/v1/survey-templates", tags=["surveys"], responses=PROBLEM_RESPONSES)


class TemplateSummary(BaseModel):
    """A template without its definition."""

    key: str
    name: str
    description: str
    stage: str
    channel: str


@router.get("")
def list_templates(workspace_id: WorkspaceDep) -> ListAll[TemplateSummary]:
    """List the template library (the same for every workspace)."""
    return ListAll(
        data=[
            TemplateSummary(**t.model_dump(exclude={"definition"}))
            for t in surveys.list_templates()
        ]
    )


@router.get("/{template_key}")
def get_template(workspace_id: WorkspaceDep, template_key: str) -> SurveyTemplate:
    """Get one template with its full definition."""
    return surveys.get_template(template_key)
