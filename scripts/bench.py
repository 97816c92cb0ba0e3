"""HubTracker benchmark: gunicorn against PostgreSQL with generated data, driven over 127.0.0.1.

    scripts/bench                           # 1k, 100k and 1M events
    scripts/bench --sizes 1k --requests 200 # quicker
    scripts/bench --help

For each size it creates (or reuses, unless --fresh) the PostgreSQL database hub_bench_<size>,
migrates it, loads the demo data, adds the synthetic events, collects static files (hashed and
compressed), starts gunicorn on 127.0.0.1 with production settings (DEBUG off; only HTTPS redirect
and Secure cookies off, since the run is plain http), signs in through the login page, and sends a
fixed number of requests at a fixed concurrency to each page from this process (threads, keep-alive
connections). A child process counts each page's queries in-process (CaptureQueriesContext) on
the same database, measures the fixed costs of a request and the CSV, XLSX and PDF exports
(scripts/measure_exports.py). The report ends with one section, "Issue 13 targets", each MET or
MISSED with its figure (scripts/bench_targets.py); targets are reported, never asserted.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_lighthouse  # noqa: E402
import bench_targets  # noqa: E402
import bench_wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BENCH_USERS = {"bench_viewer": "Viewers", "bench_manager": "Managers", "bench_admin": None}
CONSTANT = "constant view"  # the yardstick page's label (tests/pages.py)


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


# --- The database -------------------------------------------------------------------------------


def server_env(database_url: str, password: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 50),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATICFILES_MODE": "manifest",
        "BENCHMARK": "true",
        # The benchmark signs in with a password only; MFA enrolment is not what it measures.
        "MFA_REQUIRED": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "BENCH_PASSWORD": password,
        "API_RATE_LIMIT_PER_MINUTE": "100000000",
        "LOG_LEVEL": "WARNING",
    }


def psql(base_url: str, sql: str, database: str = "postgres") -> str:
    url = urllib.parse.urlsplit(base_url)
    result = subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres"]
        + ["-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"psql failed: {result.stderr}")
    return result.stdout.strip()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def bench_events(base_url: str, database: str) -> int:
    sql = "SELECT count(*) FROM talks_talkevent WHERE summary LIKE '%(bench data).'"
    try:
        return int(psql(base_url, sql, database) or 0)
    except SystemExit:
        return -1


def prepare_database(base_url: str, size: str, env: dict, fresh: bool, prefix: str) -> dict:
    """Create hub_bench_<size> with the demo data and `size` synthetic events; reuse it if it
    already holds exactly that many. Returns timings."""
    database = f"{prefix}{size}"
    events = SIZES[size]
    exists = psql(base_url, f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    timings: dict = {"database": database}
    if exists and not fresh and bench_events(base_url, database) == events:
        say(f"Reusing {database} ({events:,} synthetic events); --fresh rebuilds it")
        manage(env, "migrate", "--no-input", "-v", "0")
        psql(base_url, "ANALYZE", database)  # planner statistics as autovacuum would keep them
        timings["reused"] = True
        return timings
    say(f"Creating {database}")
    psql(base_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql(base_url, f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo_data")
    say(f"Generating {events:,} events")
    started = time.perf_counter()
    manage(env, "generate_bulk_data", "--events", str(events))
    timings["generate_seconds"] = round(time.perf_counter() - started, 1)
    psql(base_url, "VACUUM ANALYZE", database)
    say(f"Generated {events:,} events in {timings['generate_seconds']} s")
    return timings


# --- gunicorn ------------------------------------------------------------------------------------


def collect_static(env: dict) -> None:
    say("Collecting static files (hashed, gzip + brotli)")
    manage(env, "collectstatic", "--no-input", "--clear", "-v", "0")


def port_answers(port: int) -> bool:
    """Whether a server already accepts connections on 127.0.0.1:`port`."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def start_gunicorn(env: dict, port: int, workers: int, threads: int, log: Path):
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESS_LOG": str(log),
        "GUNICORN_ERROR_LOG": str(log.with_suffix(".err")),
    }
    if port_answers(port):
        raise SystemExit(f"Port {port} is in use by another server: stop it or pass --port.")
    output = log.with_suffix(".out").open("w")  # Django's own log lines (errors during drills)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "hubtracker.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {log.with_suffix('.err')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}; see {log.with_suffix('.err')}")


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# --- The client ----------------------------------------------------------------------------------


def log_in(port: int, username: str, password: str) -> str:
    """Sign in through the login page like a browser; return the Cookie header to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    html = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {
            "login": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/healthz",
        }
    )
    connection.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    session = next((c.split(";")[0] for c in cookies if c.startswith("sessionid=")), None)
    if response.status != 302 or not session:
        raise SystemExit(f"Login as {username} failed (HTTP {response.status}).")
    return f"{session}; csrftoken={csrf_cookie}"


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float] = field(repr=False)
    statuses: dict[int, int]
    body_bytes: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def drive(
    port: int,
    path: str,
    headers: dict,
    requests: int,
    cookies: list[str | None],
    max_seconds: float = 1e9,
) -> LoadResult:
    """Send `requests` GETs over one keep-alive connection per cookie (one signed-in user each,
    as real users have their own sessions), as fast as they are answered."""
    len(cookies)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker(cookie: str | None) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent = {**headers, "Cookie": cookie} if cookie else headers
        while time.perf_counter() < deadline:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                sizes.append(len(body))

    threads = [threading.Thread(target=worker, args=(cookie,)) for cookie in cookies]
    started = time.perf_counter()
    deadline = started + max_seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return LoadResult(len(latencies), seconds, latencies, statuses, int(statistics.median(sizes)))


def drive_between(
    page, constant, *, requests: int, rounds: int, max_seconds: float
) -> tuple[LoadResult, float]:
    """Drive a page's `requests` in `rounds` blocks, each between two blocks of the constant
    view's: `page(n, seconds)` and `constant(n)` send n requests. Returns the page's blocks as
    one result and the median over blocks of its throughput to the mean of the constant view's
    beside it, so that load that comes and goes during a run moves both sides of each ratio."""
    per = max(30, requests // rounds)
    loads, ratios = [], []
    before = constant(per)
    for _ in range(rounds):
        loads.append(page(per, max_seconds / rounds))
        after = constant(per)
        ratios.append(loads[-1].rps / ((before + after) / 2))
        before = after
    merged = LoadResult(
        requests=sum(load.requests for load in loads),
        seconds=sum(load.seconds for load in loads),
        latencies=[latency for load in loads for latency in load.latencies],
        statuses={
            status: sum(load.statuses.get(status, 0) for load in loads)
            for status in {status for load in loads for status in load.statuses}
        },
        body_bytes=loads[0].body_bytes,
    )
    return merged, statistics.median(ratios)


# --- In-process measurements (child process: Django set up against the bench database) -----------


def child_main() -> None:
    """Print JSON: the pages to drive (those that exist), their query counts and checks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubtracker.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
    import django

    django.setup()
    from bench_pages import measure_in_process

    exports = os.environ.get("BENCH_EXPORTS") == "true"
    print(json.dumps(measure_in_process(os.environ["BENCH_PASSWORD"], exports=exports)))


def in_process(env: dict, exports: bool) -> dict:
    if exports:
        say("Measuring the CSV, XLSX and PDF exports (about a minute at 1M events)")
    result = subprocess.run(
        [PYTHON, str(Path(__file__)), "--child"],
        cwd=ROOT,
        env={**env, "BENCH_EXPORTS": "true" if exports else "false"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"In-process measurement failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Browser: first and repeat visit bytes -------------------------------------------------------


def visit_bytes(port: int, cookie: str, path: str) -> dict:
    """Bytes over the wire (headers + compressed bodies) for a first visit with an empty cache and
    a repeat visit to the same page, in headless Chromium."""
    script = ROOT / "scripts" / "bench_browser.py"
    result = subprocess.run(
        [PYTHON, str(script), f"http://127.0.0.1:{port}{path}", cookie],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr else "failed"}
    return json.loads(result.stdout)


# --- The run ------------------------------------------------------------------------------------


def run_size(args, size: str, password: str) -> dict:
    base = args.postgres.rstrip("/")
    env = server_env(f"{base}/{args.database_prefix}{size}", password)
    timings = prepare_database(base, size, env, args.fresh, args.database_prefix)
    measured = in_process(env, exports=not args.no_exports)
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = start_gunicorn(env, args.port, args.workers, args.threads, log_dir / f"{size}.log")
    try:
        cookies = {
            user: [log_in(args.port, user, password) for _ in range(args.concurrency)]
            for user in BENCH_USERS
        }
        cookies[None] = [None] * args.concurrency
        results, wrk, ratios = {}, {}, {}
        constant = next((p for p in measured["pages"] if p["label"] == CONSTANT), None)
        between: list[float] = []  # the constant view's throughput, in blocks between the pages'

        def drive_constant(requests: int) -> float:
            assert constant is not None
            headers = {"Accept-Encoding": "br, gzip", **constant.get("headers", {})}
            sessions = cookies[constant["user"]]
            load = drive(args.port, constant["path"], headers, requests, sessions, 5)
            between.append(load.rps)
            return load.rps

        for page in measured["pages"]:
            if args.only and not re.search(args.only, page["label"]):
                continue
            headers = {"Accept-Encoding": "br, gzip", **page.get("headers", {})}
            sessions = cookies[page["user"]]
            drive(args.port, page["path"], headers, args.warmup, sessions)
            if constant is None or page["label"] == CONSTANT:
                load = drive(
                    args.port, page["path"], headers, args.requests, sessions, args.max_seconds
                )
            else:
                load, ratios[page["label"]] = drive_between(
                    lambda n, seconds, path=page["path"], headers=headers, sessions=sessions: drive(
                        args.port, path, headers, n, sessions, seconds
                    ),
                    drive_constant,
                    requests=args.requests,
                    rounds=args.rounds,
                    max_seconds=args.max_seconds,
                )
            results[page["label"]] = (page, load)
            wrk[page["label"]] = bench_wrk.run(
                port=args.port,
                path=page["path"],
                headers=headers,
                cookies=sessions,
                seconds=args.wrk_seconds,
                work_dir=log_dir,
                connections=args.concurrency,
            )
            seen = f"; wrk {wrk[page['label']].short()}" if wrk[page["label"]] else ""
            say(f"{size} {page['label']}: {load.rps:.0f} req/s{seen}")
        visits, lighthouse = {}, None
        if measured.get("dashboard_path") and not args.no_browser:
            visits = visit_bytes(args.port, cookies["bench_viewer"][0], measured["dashboard_path"])
            lighthouse = bench_lighthouse.desktop_performance(
                port=args.port, cookie=cookies["bench_viewer"][0], path=measured["dashboard_path"]
            )
    finally:
        stop(server)
    return {
        "timings": timings,
        "measured": measured,
        "results": results,
        "ratios": ratios,
        "between": between,
        "visits": visits,
        "lighthouse": lighthouse,
        "wrk": wrk,
        "load": os.getloadavg(),
    }


def report(size: str, run: dict, args) -> list[str]:
    results = run["results"]
    constant = results.get(CONSTANT)
    ratios = run.get("ratios", {})
    lines = [
        "",
        f"## {SIZES[size]:,} synthetic events (database {run['timings']['database']}"
        + (
            f", generated in {run['timings']['generate_seconds']} s"
            if "generate_seconds" in run["timings"]
            else ", reused"
        )
        + ")",
        f"{'page':<34} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} "
        f"{'bytes':>8} {'x const':>8}  status",
    ]
    wrk = run.get("wrk", {})
    wrk_const = wrk.get(CONSTANT)
    for label, (page, load) in results.items():
        ratio = ratios.get(label) or (load.rps / constant[1].rps if constant else float("nan"))
        statuses = ",".join(f"{k}x{v}" for k, v in sorted(load.statuses.items()))
        lines.append(
            f"{label:<34} {load.rps:>7.0f} {load.percentile(0.5):>8.1f} "
            f"{load.percentile(0.95):>8.1f} {page['queries']:>7} {load.body_bytes:>8} "
            f"{ratio:>7.2f}x  {statuses}"
            + (f" (n={load.requests})" if load.requests < args.requests else "")
            + bench_wrk_column(wrk.get(label), wrk_const)
        )
    if run.get("between"):
        lines.append(
            f"constant view between the pages' blocks: {min(run['between']):.0f}-"
            f"{max(run['between']):.0f} req/s over {len(run['between'])} blocks"
        )
    lines.append(f"fixed cost per request: {run['measured']['fixed_costs']}")
    if run["visits"]:
        lines.append(f"browser visit of {run['measured']['dashboard_path']}: {run['visits']}")
    if run.get("lighthouse"):
        lines.append(
            f"Lighthouse (desktop) on {run['measured']['dashboard_path']}: {run['lighthouse']}"
        )
    return lines


def bench_wrk_column(result, constant) -> str:
    """wrk's figures for the same page, beside ours: req/s, p50, p99 and its own ratio."""
    if result is None:
        return ""
    ratio = f" {result.rps / constant.rps:.2f}x" if constant and constant.rps else ""
    bad = f", {result.bad} errors" if result.bad else ""
    return (
        f" | wrk {result.rps:.0f} req/s p50 {result.p50_ms:.1f} p99 {result.p99_ms:.1f}{ratio}{bad}"
    )


def main() -> None:
    if "--child" in sys.argv:
        child_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,100k,1m", help="comma-separated: 1k,10k,100k,1m")
    parser.add_argument("--requests", type=int, default=400, help="requests per page (400)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (20)")
    parser.add_argument("--concurrency", type=int, default=8, help="client connections (8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes (3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.add_argument(
        "--max-seconds", type=float, default=40, help="stop a page's run after this long (40)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="blocks each page's requests are sent in, between blocks of the constant view (5)",
    )
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument(
        "--database-prefix",
        "--prefix",
        default="hub_bench_",
        help="databases are <prefix><size> (hub_bench_1k, …); another prefix keeps runs apart",
    )
    parser.add_argument("--only", help="regular expression: drive only matching pages")
    parser.add_argument(
        "--wrk-seconds",
        type=float,
        default=8,
        help="drive each page with wrk for this long too (8; 0 skips wrk)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="skip first/repeat visit and Lighthouse"
    )
    parser.add_argument(
        "--no-exports", action="store_true", help="skip the CSV, XLSX and PDF export figures"
    )
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",")]
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown size {unknown}; choose from {', '.join(SIZES)}")
    if not shutil.which("psql"):
        raise SystemExit("psql not found: the benchmark needs PostgreSQL's client.")
    password = secrets.token_urlsafe(16)
    collect_static(server_env(f"{args.postgres}/postgres", password))
    runs = {}
    for size in sizes:
        runs[size] = run_size(args, size, password)
        print("\n".join(report(size, runs[size], args)), file=sys.stderr, flush=True)
    lines = [
        f"# HubTracker benchmark {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"command: scripts/bench {' '.join(sys.argv[1:])}",
        f"gunicorn: {args.workers} processes x {args.threads} threads (gthread); client: "
        f"{args.requests} requests per page, {args.concurrency} connections, keep-alive; "
        f"{os.cpu_count()} CPUs shared by server, client and PostgreSQL",
        "load average at the end (1, 5, 15 min): "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other work on the machine shares the CPUs: compare ratios, not absolute figures)",
        "bytes = median response body as sent (Accept-Encoding: br, gzip); "
        f"x const = median over {args.rounds} blocks of a page's requests of its throughput / the "
        "constant view's, driven in blocks just before and after each (the machine's load "
        "drifts during a run); req/s and latencies are over all the page's blocks",
        "wrk = the same page driven by wrk "
        + (
            f"({args.concurrency} connections, 2 threads, {args.wrk_seconds:.0f} s, "
            "one session per request in turn), its own ratio to the constant view"
            if bench_wrk.available() and args.wrk_seconds > 0
            else "(not run: install wrk, or --wrk-seconds was 0)"
        ),
        "load average while each size ran (1, 5, 15 min): "
        + "; ".join(
            f"{size} {', '.join(f'{x:.1f}' for x in run['load'])}" for size, run in runs.items()
        ),
    ]
    for size, run in runs.items():
        lines += report(size, run, args)
    lines += bench_targets.issue_13_targets(runs)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
