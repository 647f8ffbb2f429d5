"""`/u/{token}`: unsubscribe from a channel, from the link or header of an invitation.

``GET`` shows a page with one button (mail scanners open links; they must not unsubscribe
anyone); ``POST`` unsubscribes, which is also the RFC 8058 one-click request a mail client
sends with ``List-Unsubscribe=One-Click``. The signed token names the contact and channel.
The link works for ever, also after the survey link it came with has expired (RFC 8058 asks
for one-click links that keep working); only a tampered token is refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from journeyscope import collection, orchestration
from journeyscope.errors import NotFound
from journeyscope.web.deps import DbDep
from journeyscope.web.pages import templates
from journeyscope.web.pages.hosted_security import secure
from journeyscope.web.ratelimit import PublicRateLimit

router = APIRouter(include_in_schema=False)
CHANNEL_NAMES = {"email": "emails", "sms": "text messages", "call_center": "calls"}


def _page(request: Request, heading: str, help_text: str, status: int = 200) -> Response:
    context = {"lang": "en", "heading": heading, "help": help_text, "action": None}
    page = templates.TemplateResponse(request, "unsubscribe.html", context, status_code=status)
    return secure(page)


def _read(request: Request, token: str) -> collection.Invitation | None:
    try:
        return collection.read_signed_invitation(token, request.app.state.secret_key)
    except collection.InvalidToken:
        return None


@router.get("/u/{token}")
def confirm(request: Request, token: str) -> Response:
    """A page with one button that unsubscribes."""
    invitation = _read(request, token)
    if invitation is None or invitation.contact_id is None:
        return _page(request, "This link is not valid", "Ask us for a new one.", 403)
    what = CHANNEL_NAMES.get(invitation.channel.value, "messages")
    context = {
        "lang": "en",
        "heading": f"Stop survey {what}?",
        "help": f"You will not receive survey invitations as {what} from us any more.",
        "action": request.url.path,
    }
    return secure(templates.TemplateResponse(request, "unsubscribe.html", context))


@router.post("/u/{token}")
def unsubscribe(request: Request, db: DbDep, token: str, _: PublicRateLimit) -> Response:
    """Unsubscribe the contact from the invitation's channel (one click, RFC 8058)."""
    invitation = _read(request, token)
    if invitation is None or invitation.contact_id is None:
        return _page(request, "This link is not valid", "Ask us for a new one.", 403)
    try:
        orchestration.set_channel_status(
            db,
            workspace_id=invitation.workspace_id,
            contact_id=invitation.contact_id,
            channel=invitation.channel.value,
            status="unsubscribed",
            source=f"unsubscribe link of invitation {invitation.nonce}",
        )
    except NotFound:
        return _page(request, "You are unsubscribed", "We have no record of you any more.")
    return _page(request, "You are unsubscribed", "You will not be asked again this way.")
