"""Drill: restart PostgreSQL under load; the app recovers by itself and nothing is corrupt.

    scripts/drill-postgres-restart            # see --help

1. Starts a throwaway PostgreSQL cluster under var/drill-postgres on its own port (never the
   shared server), migrates a database and loads the demo data.
2. Starts gunicorn (production settings) against it and drives it with readers (/healthz and a
   signed-in page) and a writer process that records status changes through talks.services.events.
3. Restarts PostgreSQL (pg_ctl restart -m fast: every connection is cut) while the load runs.
4. Reports the errors during the outage, the time until the app answered again, that every
   request after recovery succeeded, and that the data is consistent: each candidacy's version,
   cached status and audit trail agree with its events; every write the writer saw committed is
   there.
Exit status 0 only if all of that holds.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

ROOT = bench.ROOT
BINDIR = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None)


def as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else list(command)


def start_cluster(data: Path, port: int) -> None:
    if BINDIR is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql).")
    data.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0:
        subprocess.run(["chown", "-R", "postgres", str(data)], check=True)
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            as_postgres(str(BINDIR / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
            check=True,
            capture_output=True,
        )
    running = subprocess.run(
        [str(BINDIR / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    ).returncode
    if running != 0:
        pg_ctl(data, port, "start")


def pg_ctl(data: Path, port: int, action: str, *extra: str) -> None:
    subprocess.run(
        as_postgres(
            str(BINDIR / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(data / "server.log"),
            "-w",
            "-o",
            f"-h 127.0.0.1 -p {port} -k {data}",
            action,
            *extra,
        ),
        check=True,
        capture_output=True,
    )


class Readers:
    """Threads that GET a path in a loop and log (time, status) until stopped."""

    def __init__(self, port: int, paths: list[tuple[str, str | None]], per_path: int) -> None:
        self.port, self.stop, self.log = port, threading.Event(), []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.loop, args=(path, cookie))
            for path, cookie in paths
            for _ in range(per_path)
        ]

    def loop(self, path: str, cookie: str | None) -> None:
        import http.client

        connection = None
        while not self.stop.is_set():
            try:
                connection = connection or http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=10
                )
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                status, connection = 0, None
            with self.lock:
                self.log.append((time.monotonic(), path, status))
            time.sleep(0.01)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def writer(env: dict, seconds: float) -> subprocess.Popen:
    code = f"""
import json, time, django
django.setup()
from django.db import connection, OperationalError, InterfaceError
from django.contrib.auth import get_user_model
from talks.models import Candidacy
from talks.services.events import record_event, EventDetails, StaleVersion
from django.utils import timezone
user = get_user_model().objects.get(username="bench_admin")
candidacy = Candidacy.objects.filter(status="shortlisted").select_related("scheme").first()
flip = {{"shortlisted": "open", "open": "shortlisted"}}
acknowledged = ambiguous = failed = 0
end = time.monotonic() + {seconds}
while time.monotonic() < end:
    try:
        candidacy.refresh_from_db()
        record_event(scheme=candidacy.scheme, candidacy=candidacy, by=user,
            expected_version=candidacy.version,
            details=EventDetails(occurred_on=timezone.localdate(), precision="day",
                kind="statement", title="drill write", new_status=flip[candidacy.status]))
        acknowledged += 1
    except (OperationalError, InterfaceError):
        ambiguous += 1  # the connection died: the commit may or may not have happened
        connection.close()
        time.sleep(0.1)
    except StaleVersion:
        failed += 1
    time.sleep(0.02)
print(json.dumps({{"candidacy": candidacy.pk, "acknowledged": acknowledged,
                  "ambiguous": ambiguous, "stale": failed}}))
"""
    return subprocess.Popen(
        [bench.PYTHON, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hubtracker.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )


CONSISTENCY = """
import json, django
django.setup()
from django.utils import timezone
from talks.models import AuditEntry, Candidacy, TalkEvent
from talks.selectors.status import status_on
problems = []
for c in Candidacy.objects.all():
    rule = status_on(candidacy=c, on=timezone.localdate(), include_sensitive=True)
    if (c.status, c.status_since) != (rule.status, rule.since):
        problems.append(f"{c}: cached status {c.status} != rule {rule.status}")
    audits = AuditEntry.objects.filter(candidacy=c).count()
    if c.version != 1 + audits:
        problems.append(f"{c}: version {c.version} but {audits} audit rows")
writes = TalkEvent.objects.filter(title="drill write").count()
audited = AuditEntry.objects.filter(event__title="drill write").count()
if writes != audited:
    problems.append(f"{writes} drill events but {audited} audit rows for them")
print(json.dumps({"problems": problems, "drill_writes": writes}))
"""


def summarise(log: list, restart_at: float, back_at: float) -> dict:
    before = [s for t, _, s in log if t < restart_at]
    during = [s for t, _, s in log if restart_at <= t < back_at]
    after = [s for t, _, s in log if t >= back_at]
    first_ok_after = next((t for t, _, s in sorted(log) if t >= back_at and s == 200), None)
    return {
        "requests_before": len(before),
        "errors_before": sum(s != 200 for s in before),
        "requests_during_restart": len(during),
        "errors_during_restart": sum(s != 200 for s in during),
        "recovered_after_s": round(first_ok_after - back_at, 2) if first_ok_after else None,
        "requests_after": len(after),
        "errors_after_first_success": sum(
            s != 200 for t, _, s in log if first_ok_after and t > first_ok_after + 1.0
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-port", type=int, default=8118)
    parser.add_argument("--app-port", type=int, default=8117)
    parser.add_argument("--seconds", type=float, default=12, help="load before/after (12)")
    args = parser.parse_args()
    data = ROOT / "var" / "drill-postgres"
    start_cluster(data, args.pg_port)
    base = f"postgres://postgres@127.0.0.1:{args.pg_port}"
    env = bench.server_env(f"{base}/hub_drill", password := "drill-password-0123456789")
    bench.psql(base, 'DROP DATABASE IF EXISTS "hub_drill" WITH (FORCE)')
    bench.psql(base, 'CREATE DATABASE "hub_drill"')
    bench.manage(env, "migrate", "--no-input", "-v", "0")
    bench.manage(env, "load_demo_data")
    bench.in_process(env)  # creates the bench users
    bench.collect_static(env)
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = bench.start_gunicorn(env, args.app_port, 2, 4, log_dir / "drill.log")
    try:
        cookie = bench.log_in(args.app_port, "bench_viewer", password)
        paths = [("/healthz", None), ("/bench/constant", cookie)]
        write = writer(env, args.seconds * 2 + 5)
        with Readers(args.app_port, paths, per_path=2) as readers:
            time.sleep(args.seconds)
            restart_at = time.monotonic()
            bench.say("Restarting PostgreSQL (fast shutdown: every connection is cut)")
            pg_ctl(data, args.pg_port, "restart", "-m", "fast")
            back_at = time.monotonic()
            bench.say(f"PostgreSQL back after {back_at - restart_at:.1f} s")
            time.sleep(args.seconds)
        writes = json.loads(write.communicate(timeout=120)[0].strip().splitlines()[-1])
    finally:
        bench.stop(server)
        write.kill() if write.poll() is None else None
    check = subprocess.run(
        [bench.PYTHON, "-c", CONSISTENCY],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hubtracker.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    consistency = json.loads(check.stdout.strip().splitlines()[-1])
    pg_ctl(data, args.pg_port, "stop", "-m", "fast")
    summary = summarise(readers.log, restart_at, back_at)
    low = writes["acknowledged"]
    high = writes["acknowledged"] + writes["ambiguous"]
    lost = not low <= consistency["drill_writes"] <= high
    report = {**summary, "writer": writes, "data": consistency, "acknowledged_writes_lost": lost}
    print(json.dumps(report, indent=2))
    ok = (
        summary["recovered_after_s"] is not None
        and summary["recovered_after_s"] < 5
        and summary["errors_after_first_success"] == 0
        and not consistency["problems"]
        and not lost
    )
    print("DRILL PASSED" if ok else "DRILL FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
