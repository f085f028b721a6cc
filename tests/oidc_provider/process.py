"""Starting the test provider as its own process for a test: ``started(tmp_path)`` picks a free
port, writes the config (clients for the relying party's two callbacks, the users below), starts
``tests/oidc_provider/run.py`` and waits for its ``/.well-known/openid-configuration``."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
STAFF_CLIENT = ("familievaerft-staff", "staff-secret-for-tests")
CITIZEN_CLIENT = ("familievaerft-mitid", "mitid-secret-for-tests")
PASSWORD = "provider-password"
SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
LOW = "https://data.gov.dk/concept/core/nsis/loa/Low"


@dataclass
class RunningProvider:
    url: str
    issuer: str
    config_path: Path
    config: dict[str, Any] = field(default_factory=dict)

    def set_user(self, username: str, claims: dict[str, Any], misbehave: str = "") -> None:
        """Add or change a user (its claims are read again at every token)."""
        self.config["users"][username] = {
            "password": PASSWORD,
            "claims": claims,
            "misbehave": misbehave,
        }
        self.config_path.write_text(json.dumps(self.config))

    def settings(self) -> dict[str, Any]:
        """The relying party's settings for this provider (both clients)."""
        return {
            "OIDC_STAFF_ISSUER": self.issuer,
            "OIDC_STAFF_CLIENT_ID": STAFF_CLIENT[0],
            "OIDC_STAFF_CLIENT_SECRET": STAFF_CLIENT[1],
            "OIDC_STAFF_SCOPES": "openid profile email groups",
            "OIDC_CITIZEN_ISSUER": self.issuer,
            "OIDC_CITIZEN_CLIENT_ID": CITIZEN_CLIENT[0],
            "OIDC_CITIZEN_CLIENT_SECRET": CITIZEN_CLIENT[1],
            "OIDC_CITIZEN_SCOPES": "openid mitid",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(client: tuple[str, str], callback: str) -> dict[str, Any]:
    return {
        "client_id": client[0],
        "client_secret": client[1],
        # The test client's host, and any port of localhost (Chromium against the live server).
        "redirect_uris": [f"http://testserver{callback}", f"http://localhost{callback}"],
        "post_logout_redirect_uris": ["http://testserver/login/", "http://localhost/login/"],
    }


@contextlib.contextmanager
def started(directory: Path, users: dict[str, dict[str, Any]]) -> Iterator[RunningProvider]:
    """The provider running, with ``users`` (username → {claims, misbehave})."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    config = {
        "port": port,
        "issuer": f"{url}/o",
        "database": str(directory / "provider.sqlite3"),
        "clients": [
            _client(STAFF_CLIENT, "/login/medarbejder/svar/"),
            _client(CITIZEN_CLIENT, "/login/mitid/svar/"),
        ],
        "users": {
            name: {"password": PASSWORD, "misbehave": "", **spec} for name, spec in users.items()
        },
    }
    config_path = directory / "provider.json"
    config_path.write_text(json.dumps(config))
    env = {**os.environ, "FV_OP_CONFIG": str(config_path), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_file = (directory / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.run"],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    provider = RunningProvider(url=url, issuer=f"{url}/o", config_path=config_path, config=config)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    "the test provider exited: " + (directory / "provider.log").read_text()
                )
            try:
                if requests.get(
                    f"{provider.issuer}/.well-known/openid-configuration", timeout=2
                ).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test provider did not start within 60 s")
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()
