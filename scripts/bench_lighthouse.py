"""Lighthouse (desktop preset, performance only) on one page, signed in, with Debian's Chromium.

    bench_lighthouse.py URL COOKIE_HEADER

Runs scripts/lighthouse's pinned Lighthouse (installed by `scripts/bootstrap --dev`) headless with
/usr/bin/chromium (CHROME_PATH) and the Cookie header on every request. Prints JSON: the
performance score (0-100), total blocking time, the longest main-thread task, and the page's
other lab metrics. scripts/bench calls `desktop_performance` for the map page.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def run(url: str, cookie: str) -> dict:
    """Lighthouse's report (lhr) for `url`."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} not found: run scripts/bootstrap --dev")
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--preset=desktop",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={FLAGS}",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            cwd=work,
            check=True,
            timeout=300,
        )
        return json.loads(report.read_text(encoding="utf-8"))


def summary(lhr: dict) -> dict:
    """The figures issue 13 names, from a Lighthouse report."""
    audits = lhr["audits"]

    def value(name: str) -> float | None:
        return audits.get(name, {}).get("numericValue")

    tasks = (audits.get("long-tasks", {}).get("details") or {}).get("items", [])
    longest = max(tasks, key=lambda task: task["duration"], default=None)
    return {
        "performance": round(lhr["categories"]["performance"]["score"] * 100),
        "total_blocking_time_ms": round(value("total-blocking-time") or 0),
        "longest_task_ms": round(longest["duration"]) if longest else 0,
        "longest_task_url": longest["url"] if longest else "",
        "largest_contentful_paint_ms": round(value("largest-contentful-paint") or 0),
        "first_contentful_paint_ms": round(value("first-contentful-paint") or 0),
        "cumulative_layout_shift": round(value("cumulative-layout-shift") or 0, 3),
        "final_url": lhr.get("finalDisplayedUrl", ""),
        "lighthouse": lhr["lighthouseVersion"],
    }


def desktop_performance(*, port: int, cookie: str, path: str) -> dict | None:
    """`summary` of the page at `path` on the local server, or None (with the reason on stderr)
    when Lighthouse is not installed or fails."""
    try:
        return summary(run(f"http://127.0.0.1:{port}{path}", cookie))
    except (SystemExit, subprocess.SubprocessError, OSError, ValueError, KeyError) as error:
        print(f"Lighthouse not measured: {error}", file=sys.stderr)
        return None


def main() -> None:
    url, cookie = sys.argv[1], sys.argv[2]
    print(json.dumps(summary(run(url, cookie))))


if __name__ == "__main__":
    main()
