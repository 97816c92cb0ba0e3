"""The lockout holds across processes: gunicorn with 3 workers, real HTTP, state in PostgreSQL.

Every request comes through a reverse proxy at 127.0.0.1 (TRUSTED_PROXIES) that appends the
client's address to X-Forwarded-For, as the README's production set-up does. The figures are
written to test-artifacts/throttle-figures.json.
"""

import http.client
import json
import re
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory
from tests.servers import ARTIFACTS, app_server

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PORT = 8242
ATTACKER = "203.0.113.66"
VICTIM_AT_HOME = "192.0.2.10"


class Client:
    """One browser-like client: a CSRF cookie and token, a new connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        response, body = self.request("GET", "/login/", forwarded_for=VICTIM_AT_HOME)
        self.csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie"))[1]
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]

    def request(self, method, path, body=None, headers=None, forwarded_for=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Connection": "close", **(headers or {})}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        return response, text

    def sign_in(self, username: str, password: str, forwarded_for: str) -> int:
        body = urllib.parse.urlencode(
            {
                "login": username,
                "password": password,
                "next": "/healthz",
                "csrfmiddlewaretoken": self.token,
            }
        )
        response, text = self.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf_cookie}",
            },
            forwarded_for=forwarded_for,
        )
        if response.status == 200 and "Too many failed attempts" in text:
            return 429  # allauth's own count for this username and address: also a refusal
        return response.status


def user_the_server_can_check(username: str):
    """Tests hash passwords with MD5 for speed; the server only knows the production hashers."""
    user = UserFactory(username=username)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def worker_pids(access_log) -> Counter:
    pids = Counter()
    for line in access_log.read_text().splitlines():
        if '"POST /login/' in line:
            pids[line.split()[0]] += 1
    return pids


def test_the_lockout_holds_across_three_gunicorn_workers():
    cache.clear()
    user_the_server_can_check("victim")
    user_the_server_can_check("colleague")
    env = {"TRUSTED_PROXIES": "127.0.0.1", "MFA_REQUIRED": "false"}
    with app_server(PORT, env, workers=3):
        client = Client(PORT)
        statuses = []
        for _ in range(10):
            statuses.append(client.sign_in("victim", "wrong", ATTACKER))
            if statuses[-1] == 429:
                break
        first_lockout = len(statuses)

        # The right password from the attacker's address, 12 times, 3 at a time: if any worker
        # kept its own count, the right password would get through there.
        with ThreadPoolExecutor(max_workers=3) as pool:
            after = list(
                pool.map(lambda _: client.sign_in("victim", PASSWORD, ATTACKER), range(12))
            )
        look_alikes = {
            name: client.sign_in(name, PASSWORD, ATTACKER) for name in ["ｖictim", "𝐯𝐢𝐜𝐭𝐢𝐦"]
        }
        forged = client.sign_in("victim", PASSWORD, f"{VICTIM_AT_HOME}, {ATTACKER}")
        colleague = client.sign_in("colleague", PASSWORD, ATTACKER)
        victim_at_home = client.sign_in("victim", PASSWORD, VICTIM_AT_HOME)
        admin_login, _ = client.request("GET", "/admin/login/?next=/admin/")
        pids = worker_pids(ARTIFACTS / f"gunicorn-{PORT}-access.log")

    figures = {
        "workers": 3,
        "statuses_until_lockout": statuses,
        "attempts_before_lockout": first_lockout,
        "right_password_after_lockout": {
            "tries": len(after),
            "got_through": sum(status == 302 for status in after),
        },
        "look_alikes_after_lockout": look_alikes,
        "forged_forwarded_for": forged,
        "colleague_same_address": colleague,
        "victim_from_own_address": victim_at_home,
        "sign_in_posts_per_worker_pid": dict(pids),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "throttle-figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))

    assert statuses == [200, 200, 200, 200, 429]
    assert after == [429] * 12
    assert look_alikes == {"ｖictim": 429, "𝐯𝐢𝐜𝐭𝐢𝐦": 429}
    assert forged == 429
    assert colleague == 302
    assert victim_at_home == 302
    assert admin_login.status == 302 and admin_login.getheader("Location").startswith("/login/")
    assert len(pids) >= 2, f"all sign-ins went to one worker: {pids}"
