"""`journeyscope qr`: QR code images of survey links and kiosk pages, for posters and stands.

The format follows the file name (``.svg`` or ``.png``). The links follow the base-URL rule
(:mod:`journeyscope.base_url`): ``JOURNEYSCOPE_BASE_URL``, else the address of the last
``serve`` or ``demo``; set the variable to the public address before printing posters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeyscope import journey, surveys
from journeyscope.cli.context import WorkspaceOption, out, state
from journeyscope.collection import QrFormat, kiosk_url, render_qr, survey_url
from journeyscope.errors import InvalidInput

app = typer.Typer(help="QR codes of survey links and kiosk pages.", no_args_is_help=True)

OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Image file to write: NAME.svg or NAME.png.")
]
SizeOption = Annotated[
    int, typer.Option(min=64, max=4096, help="About how wide the image is, in pixels.")
]


def _format(path: Path) -> QrFormat:
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return "svg"
    if suffix == ".png":
        return "png"
    raise InvalidInput(
        f"Cannot tell the image format from {path.name!r}.",
        field="--out",
        hint="end the file name with .svg (print) or .png (screens)",
    )


def _write(url: str, path: Path, size: int) -> None:
    image = render_qr(url, _format(path), width=size)
    path.write_bytes(image)
    out.print(f"wrote {path} encoding {url}", markup=False)


@app.command()
def survey(
    key: Annotated[str, typer.Argument(help="The survey's key.")],
    out_path: OutOption,
    workspace: WorkspaceOption = None,
    size: SizeOption = 512,
) -> None:
    """Write a QR code of the survey's hosted link (the survey must be published, not archived)."""
    space = state.workspace(workspace)
    found = surveys.published_by_key(state.database(), space.id, key)
    _write(survey_url(state.link_base(), found.public_id), out_path, size)


@app.command()
def kiosk(
    journey_key: Annotated[str, typer.Argument(help="The journey's key.")],
    touchpoint_key: Annotated[str, typer.Argument(help="The touchpoint's key.")],
    out_path: OutOption,
    workspace: WorkspaceOption = None,
    size: SizeOption = 512,
) -> None:
    """Write a QR code of the touchpoint's kiosk page (stays valid across survey changes)."""
    space = state.workspace(workspace)
    point = journey.get_touchpoint(
        state.database(), workspace_id=space.id, journey_key=journey_key, key=touchpoint_key
    )
    _write(kiosk_url(state.link_base(), point.public_id), out_path, size)
