"""Drive one page with wrk (Debian's `wrk`), an established load generator, beside the
benchmark's own client: the same URL, headers and signed-in sessions, so the two sets of figures
can be read side by side. scripts/bootstrap --dev installs wrk.

Each request takes the next session of the list (a Lua script), as the benchmark's own client
gives each connection its own session: one shared session would make every request wait for the
same session row's write.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx responses plus socket errors

    def short(self) -> str:
        return f"{self.rps:.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def script(path: str, headers: dict, cookies: list[str | None]) -> str:
    """A wrk Lua script: GET `path` with `headers`, each request with the next cookie."""
    header_lines = "\n".join(
        f"  h[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()
    )
    sessions = ", ".join(_lua_string(c) for c in cookies if c)
    return f"""
local cookies = {{{sessions}}}
local i = 0
request = function()
  local h = {{}}
{header_lines}
  i = i + 1
  if #cookies > 0 then h["Cookie"] = cookies[(i % #cookies) + 1] end
  return wrk.format("GET", {_lua_string(path)}, h)
end
"""


def _milliseconds(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def parse(output: str) -> WrkResult | None:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps:
        return None
    latency = {
        share: _milliseconds(value, unit)
        for share, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    total = re.search(r"(\d+) requests in", output)
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        bad += sum(int(n) for n in errors.groups())
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=latency.get("50", float("nan")),
        p99_ms=latency.get("99", float("nan")),
        requests=int(total.group(1)) if total else 0,
        bad=bad,
    )


def run(
    *,
    port: int,
    path: str,
    headers: dict,
    cookies: list[str | None],
    seconds: float,
    work_dir: Path,
    threads: int = 2,
    connections: int = 8,
) -> WrkResult | None:
    """wrk -t2 -c8 for `seconds` against one page; None when wrk is missing or failed."""
    if not available() or seconds <= 0:
        return None
    lua = work_dir / "wrk-request.lua"
    lua.write_text(script(path, headers, cookies))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(lua),
        f"http://127.0.0.1:{port}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    return parse(result.stdout) if result.returncode == 0 else None
