"""The signed-in pages: ``/app`` (who you are), ``/app/password``, ``/app/people`` (owners).

Each route names the lowest role it needs (``signed_in.require_role``) and passes
``person.workspace.id`` to every service it calls, so nothing of another workspace is
reachable: a person id of another workspace is simply not found (404). POSTs are checked
for CSRF by the same dependency before the handler runs.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from journeyscope import workspaces
from journeyscope.errors import JourneyscopeError
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.pages.signed_in import (
    APP_HOME,
    Owner,
    Viewer,
    page_context,
    redirect,
)
from journeyscope.workspaces import ROLES, Role, SignedIn

router = APIRouter(include_in_schema=False)
PEOPLE = "/app/people"
Field = Annotated[str, Form(max_length=1024)]


@router.get(APP_HOME)
def home(request: Request, person: Viewer) -> Response:
    """Who is signed in: the person, their workspace and their role."""
    context = page_context(
        person, may_manage_people=workspaces.can(person.role, workspaces.Action.MANAGE_PEOPLE)
    )
    return secure(templates.TemplateResponse(request, "app/home.html", context))


@router.get("/app/password")
def password_form(request: Request, person: Viewer) -> Response:
    """The form to choose a new password."""
    return _password_page(request, person)


def _password_page(
    request: Request, person: SignedIn, *, status: int = 200, error: str | None = None
) -> Response:
    context = page_context(person, error=error, min_length=workspaces.PASSWORD_MIN_LENGTH)
    page = templates.TemplateResponse(request, "app/password.html", context, status_code=status)
    return secure(page)


@router.post("/app/password")
def change_password(
    request: Request,
    person: Viewer,
    current_password: Field = "",
    new_password: Field = "",
    confirm_password: Field = "",
) -> Response:
    """Replace the person's password; their other sessions end."""
    if new_password != confirm_password:
        return _password_page(
            request, person, status=422, error="The two new passwords are not the same."
        )
    try:
        workspaces.change_own_password(
            request.app.state.db,
            user=person.user,
            session_id=person.session_id,
            current=current_password,
            new=new_password,
        )
    except JourneyscopeError as exc:
        return _password_page(request, person, status=exc.status, error=exc.message)
    return redirect(APP_HOME)


def _people_page(
    request: Request,
    person: SignedIn,
    *,
    status: int = 200,
    error: str | None = None,
    invited: workspaces.NewUser | None = None,
) -> Response:
    people = workspaces.list_users(request.app.state.db, workspace_id=person.workspace.id)
    context = page_context(person, people=people, roles=ROLES, error=error, invited=invited)
    page = templates.TemplateResponse(request, "app/people.html", context, status_code=status)
    return secure(page)


@router.get(PEOPLE)
def people(request: Request, person: Owner) -> Response:
    """The workspace's people and their roles, with the owner's actions."""
    return _people_page(request, person)


@router.post(PEOPLE)
def invite(
    request: Request,
    person: Owner,
    email: Field = "",
    role: Annotated[str, Form(max_length=32)] = Role.VIEWER.value,
) -> Response:
    """Add a person; their one-time password is shown on this answer only."""
    try:
        added = workspaces.add_user(
            request.app.state.db,
            workspace_id=person.workspace.id,
            email=email,
            role=workspaces.parse_role(role),
        )
    except JourneyscopeError as exc:
        return _people_page(request, person, status=exc.status, error=exc.message)
    return _people_page(request, person, status=201, invited=added)


@router.post(PEOPLE + "/{user_id}/role")
def change_role(
    request: Request,
    person: Owner,
    user_id: uuid.UUID,
    role: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Give a person of the workspace another role."""
    try:
        workspaces.set_role(
            request.app.state.db,
            workspace_id=person.workspace.id,
            user_id=user_id,
            role=workspaces.parse_role(role),
        )
    except JourneyscopeError as exc:
        return _people_page(request, person, status=exc.status, error=exc.message)
    return redirect(PEOPLE)


@router.post(PEOPLE + "/{user_id}/remove")
def remove(request: Request, person: Owner, user_id: uuid.UUID) -> Response:
    """Remove a person from the workspace; their sessions end at once."""
    try:
        workspaces.remove_user(
            request.app.state.db, workspace_id=person.workspace.id, user_id=user_id
        )
    except JourneyscopeError as exc:
        return _people_page(request, person, status=exc.status, error=exc.message)
    return redirect(PEOPLE)
