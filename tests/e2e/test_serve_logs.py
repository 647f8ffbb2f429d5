"""What a real ``journeyscope serve`` writes to its log, and the files it leaves on disk.

One server runs for the module (SQLite in a fresh data folder, behind a "proxy" on
127.0.0.1 via ``--forwarded-allow-ips``); the requests below carry a personal link's token,
an unsubscribe token, an answer, an e-mail address and an API key in their URLs. The log is
read once the server has logged a final marker request, so every earlier line is in it.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from browser_support import free_port

SCRIPT = Path(sys.executable).parent / "journeyscope"
INVITATION_TOKEN = "eyJ3IjoiNGYxYyJ9.personalLinkSignature"
UNSUBSCRIBE_TOKEN = "eyJ3IjoiNGYxYyJ9.unsubscribeSignature"
EMAIL = "ann.private@example.com"
MARKER = "/healthz?marker=done"


@dataclass(frozen=True)
class Served:
    """The server's whole log, its data folder and the API key it was called with."""

    log: str
    data: Path
    key: str
    exit_code: int


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYSCOPE_")}
    return env | {"JOURNEYSCOPE_DATA_DIR": str(data)}


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not start:\n{log.read_text()}")


def _requests(url: str, key: str) -> None:
    with httpx.Client(base_url=url) as client:
        client.get(f"/i/{INVITATION_TOKEN}", params={"nps": "9"})
        client.get(f"/u/{UNSUBSCRIBE_TOKEN}")
        bearer = {"Authorization": f"Bearer {key}"}
        assert client.get("/v1/contacts", params={"email": EMAIL}, headers=bearer).is_success
        assert client.get("/v1/journeys", params={"api_key": key}).status_code == 401
        client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
        client.get(MARKER)


def _log_with(log: Path, text: str) -> None:
    deadline = time.monotonic() + 10
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    folder = tmp_path_factory.mktemp("serve")
    data, log = folder / "data", folder / "serve.log"
    env = _env(data)
    init = subprocess.run(
        [str(SCRIPT), "init", "--json"], env=env, capture_output=True, text=True, check=False
    )
    assert init.returncode == 0, init.stderr
    key = json.loads(init.stdout)["api_key"]
    port = free_port()
    command = [str(SCRIPT), "serve", "--port", str(port), "--forwarded-allow-ips", "127.0.0.1"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out, umask=0o022)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server, log)
        _requests(f"http://127.0.0.1:{port}", key)
        _log_with(log, MARKER)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C
        server.wait(timeout=30)
    written = log.read_text()
    assert MARKER in written, written
    return Served(log=written, data=data, key=key, exit_code=server.returncode)


def test_link_tokens_and_answers_stay_out_of_the_access_log(served: Served) -> None:
    assert '"GET /i/[token]?nps=[redacted] HTTP/1.1" 403' in served.log
    assert '"GET /u/[token] HTTP/1.1" 403' in served.log
    assert INVITATION_TOKEN not in served.log and UNSUBSCRIBE_TOKEN not in served.log


def test_emails_and_api_keys_in_urls_stay_out_of_the_access_log(served: Served) -> None:
    assert '"GET /v1/contacts?email=[redacted] HTTP/1.1" 200' in served.log
    assert '"GET /v1/journeys?api_key=[redacted] HTTP/1.1" 401' in served.log
    assert EMAIL not in served.log and "ann.private%40example.com" not in served.log
    assert served.key not in served.log and served.key.split("_")[2] not in served.log


def test_the_named_proxys_forwarded_address_is_the_client(served: Served) -> None:
    assert '203.0.113.9:0 - "GET /healthz HTTP/1.1" 200' in served.log


def test_the_data_folder_and_database_files_are_private(served: Served) -> None:
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in served.data.iterdir()}
    assert stat.S_IMODE(served.data.stat().st_mode) == 0o700
    assert modes["journeyscope.db"] == 0o600 and modes["secret_key"] == 0o600
    assert {name: mode for name, mode in modes.items() if mode != 0o600} == {}


def test_ctrl_c_stops_the_server_cleanly(served: Served) -> None:
    assert served.exit_code == 0
    assert "Application shutdown complete." in served.log and "Traceback" not in served.log
