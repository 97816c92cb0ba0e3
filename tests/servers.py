"""Real processes for tests that need them: the app under gunicorn, an OpenID Connect provider.

Both listen on 127.0.0.1 and are stopped when the `with` block ends. The app runs with the
production settings (DEBUG off) against the test database, so it sees what the test wrote; that
needs a database server both processes reach (PostgreSQL), and a transactional test.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PROVIDER_DIR = ROOT / "tests" / "oidc_provider"
ARTIFACTS = ROOT / "test-artifacts"


def test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def app_server(port: int, env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """gunicorn serving HubTracker at http://127.0.0.1:PORT; its access log lines start with the
    worker's process id (ARTIFACTS/gunicorn-PORT-access.log)."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"gunicorn-{port}.log"
    access_log = ARTIFACTS / f"gunicorn-{port}-access.log"
    access_log.write_text("")
    full_env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DATABASE_URL": test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "SECRET_KEY": "tests-only-not-a-secret",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATICFILES_MODE": "plain",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "LOG_LEVEL": "WARNING",
        **env,
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "hubtracker.wsgi",
        "--access-logformat",
        '%(p)s %(s)s "%(r)s"',
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


class ProviderControl:
    """What the test provider reads on every request: users' claims and how it behaves."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.users: dict[str, dict] = {}
        self.mode = "honest"
        self.save()

    def save(self) -> None:
        self.path.write_text(json.dumps({"mode": self.mode, "users": self.users}))

    def set_user(self, username: str, **claims) -> None:
        self.users[username] = claims
        self.save()

    def misbehave(self, mode: str) -> None:
        self.mode = mode
        self.save()


def ensure_provider_installed() -> None:
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        npm = shutil.which("npm")
        if not npm:
            raise RuntimeError("npm not found: run scripts/bootstrap --dev")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True)


@contextmanager
def oidc_provider(
    port: int, client_id: str, client_secret: str, app_url: str, control: ProviderControl
) -> Iterator[str]:
    """node oidc-provider at http://127.0.0.1:PORT with one client: HubTracker at app_url."""
    ensure_provider_installed()
    log = ARTIFACTS / f"oidc-provider-{port}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
        "OIDC_REDIRECT_URI": f"{app_url}/accounts/department/login/callback/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{app_url}/signed-out/",
    }
    node = shutil.which("node") or "node"
    with log.open("w") as output:
        process = subprocess.Popen(
            [node, "provider.mjs", str(port), str(control.path)],
            cwd=PROVIDER_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{issuer}/.well-known/openid-configuration", process, log)
        yield issuer
    finally:
        stop(process)
