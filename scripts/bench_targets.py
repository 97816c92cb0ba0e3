"""Issue 13's targets, printed by scripts/bench.py as one section, "Issue 13 targets": each as MET
or MISSED with its figure (or "not measured" when this run did not measure it). Reported, never
asserted.

The targets are for 1M events: they are judged at the largest size of the run. Throughput ratios
are to the signed-in constant view (`/bench/constant`) in the same run, from the benchmark's own
client: the median over the page's blocks of requests of its throughput to the constant view's,
driven in blocks just before and after each, so that the machine's load drifting during a run
moves both alike; wrk's ratio for the same page (to wrk's one run of the constant view) is
printed beside it.
"""

SIZE_ORDER = ("1k", "10k", "100k", "1m")

# (page label in tests/pages.py, what the target says, the lowest ratio to the constant view)
RATIO_TARGETS = [
    ("dashboard", "dashboard", 0.25),
    ("dashboard as of a past date", "dashboard as of a past date", 0.25),
    ("dashboard htmx results (as of)", "dashboard htmx partial: results (as of)", 0.4),
    ("dashboard htmx status table", "dashboard htmx partial: status table", 0.4),
    ("dashboard htmx country panel", "dashboard htmx partial: country panel", 0.4),
    ("event log", "event log first page", 0.2),
    ("event log page 200", "event log page 200", 0.2),
    ("event log search (Kosovo)", "event log search", 0.1),
    ("event log search htmx", "event log search (htmx fragment)", 0.1),
    ("country page (Serbia)", "country page (Serbia)", 0.2),
    ("country page (Serbia) timeline last page", "country page (Serbia), last timeline page", 0.2),
    ("scheme page (UK)", "scheme page (UK)", 0.2),
]
# "As cheap as the first": the deep page's throughput at least AS_CHEAP of the first page's.
AS_CHEAP = 0.8
DEEP_PAGES = [
    ("event log last page", "event log", "event log last page"),
    ("API events last page (cursor)", "API events (first page)", "API events last page"),
]
CSV_ROWS_PER_SECOND = 150_000
CSV_GROWTH_MB = 20
XLSX_TIMES_CSV = 5
PDF_WARM_SECONDS = 1.0
FIRST_VISIT_BYTES = 300_000
LIGHTHOUSE_SCORE = 95


def largest_size(runs: dict) -> str:
    return max(runs, key=SIZE_ORDER.index)


def _line(ok: bool | None, text: str, detail: str) -> str:
    mark = "not measured" if ok is None else ("MET" if ok else "MISSED")
    return f"[{mark}] {text}: {detail}"


def _entry(run: dict, label: str):
    return run.get("results", {}).get(label)


def _rps(run: dict, label: str) -> float | None:
    entry = _entry(run, label)
    return entry[1].rps if entry else None


def _wrk_rps(run: dict, label: str) -> float | None:
    result = run.get("wrk", {}).get(label)
    return result.rps if result else None


def _ratio_line(run: dict, size: str, label: str, text: str, target: float) -> str:
    rps, const = _rps(run, label), _rps(run, "constant view")
    text = f"{size} {text} >= {target}x constant"
    if not (rps and const):
        return _line(None, text, "page not driven in this run (--only)")
    wrk, wrk_const = _wrk_rps(run, label), _wrk_rps(run, "constant view")
    beside = f"; wrk {wrk / wrk_const:.2f}x" if wrk and wrk_const else ""
    statuses = _entry(run, label)[1].statuses
    errors = "" if set(statuses) <= {200} else f" (statuses {statuses})"
    ratio = run.get("ratios", {}).get(label) or rps / const
    return _line(
        ratio >= target and not errors, text, f"{ratio:.2f}x ({rps:.0f} req/s){beside}{errors}"
    )


def _deep_line(run: dict, size: str, deep_label: str, first_label: str, text: str) -> str:
    deep, first = _rps(run, deep_label), _rps(run, first_label)
    text = f"{size} {text} as cheap as the first (>= {AS_CHEAP}x its throughput)"
    if not (deep and first):
        return _line(None, text, "pages not driven in this run (--only)")
    return _line(
        deep / first >= AS_CHEAP, text, f"{deep:.0f} vs {first:.0f} req/s ({deep / first:.2f}x)"
    )


def export_lines(size: str, figures: dict | None) -> list[str]:
    """The CSV, XLSX and PDF targets from `measure_exports.export_figures`' figures."""
    texts = [
        f"{size} CSV of all events >= {CSV_ROWS_PER_SECOND // 1000}k rows/s",
        f"{size} CSV memory growth < {CSV_GROWTH_MB} MB",
        f"{size} CSV formula safety kept",
        f"{size} XLSX of the same within {XLSX_TIMES_CSV}x of the CSV's time, streamed to disk",
        f"{size} PDF briefing (UK) warm < {PDF_WARM_SECONDS:.0f} s",
    ]
    if not figures:
        return [_line(None, text, "exports not measured in this run") for text in texts]
    csv, xlsx, pdf = figures["csv"], figures["xlsx"], figures["pdf"]
    rate = csv["rows"] / csv["seconds"]
    probes = figures["formula_probes"]
    xlsx_times = xlsx["seconds"] / csv["seconds"]
    return [
        _line(
            rate >= CSV_ROWS_PER_SECOND,
            texts[0],
            f"{csv['rows']:,} rows, {csv['mb']:.0f} MB in {csv['seconds']:.1f} s = "
            f"{rate / 1000:.0f}k rows/s",
        ),
        _line(csv["growth_mb"] < CSV_GROWTH_MB, texts[1], f"{csv['growth_mb']:.1f} MB (RSS)"),
        _line(
            probes["neutralised"] == probes["cells"],
            texts[2],
            f"{probes['neutralised']} of {probes['cells']} formula-like cells neutralised "
            f"in the database-written CSV",
        ),
        _line(
            xlsx_times <= XLSX_TIMES_CSV and xlsx["on_disk"],
            texts[3],
            f"{xlsx['rows']:,} rows in {xlsx['seconds']:.1f} s = {xlsx_times:.1f}x, "
            f"{xlsx['mb']:.0f} MB {'on disk' if xlsx['on_disk'] else 'in memory'}, "
            f"RSS growth {xlsx['growth_mb']:.1f} MB",
        ),
        _line(
            pdf["warm_seconds"] < PDF_WARM_SECONDS,
            texts[4],
            f"{pdf['warm_seconds']:.2f} s (first {pdf['first_seconds']:.2f} s, "
            f"{pdf['events']:,} events in the scheme)",
        ),
    ]


def _browser_lines(run: dict, size: str) -> list[str]:
    visits = run.get("visits") or {}
    text = f"{size} first visit to the map <= {FIRST_VISIT_BYTES // 1000} KB"
    if "first_visit_bytes" in visits:
        first = visits["first_visit_bytes"]
        lines = [_line(first <= FIRST_VISIT_BYTES, text, f"{first / 1000:.0f} KB")]
    else:
        lines = [_line(None, text, visits.get("error", "no browser in this run (--no-browser)"))]
    found = run.get("lighthouse")
    text = f"{size} Lighthouse desktop performance on the map >= {LIGHTHOUSE_SCORE}"
    if found is None:
        lines.append(_line(None, text, "not measured"))
    else:
        score = found["performance"]
        detail = (
            f"{score}: total blocking time {found['total_blocking_time_ms']} ms, "
            f"longest task {found['longest_task_ms']} ms"
        )
        lines.append(_line(score >= LIGHTHOUSE_SCORE, text, detail))
    return lines


def _count_line(runs: dict) -> str:
    """Each driven page's query count, the same at every size of the run. A numbered page that
    does not exist at a size (page 200 of a 1k event log is answered with the last page, one
    query more) is compared only over the sizes where it exists, and the line says so."""
    text = "query counts per page the same at every size"
    if len(runs) < 2:
        return _line(None, text, "one size in this run")
    counts: dict[str, dict[str, int]] = {}
    absent: dict[str, dict[str, int]] = {}
    for size, run in runs.items():
        for label, (page, _load) in run.get("results", {}).items():
            if page.get("exists", True):
                counts.setdefault(label, {})[size] = page["queries"]
            else:
                absent.setdefault(label, {})[size] = page["queries"]
    differ = {label: sizes for label, sizes in counts.items() if len(set(sizes.values())) > 1}
    compared = sum(len(sizes) > 1 for sizes in counts.values())
    detail = f"{compared} pages compared over {', '.join(runs)}"
    for label, sizes in absent.items():
        where = [size for size in runs if size in counts.get(label, {})]
        over = f"compared at {', '.join(where)} only" if len(where) > 1 else "not compared"
        answered = ", ".join(f"{queries} queries at {size}" for size, queries in sizes.items())
        detail += (
            f"; {label} {over} (the page does not exist at {', '.join(sizes)}: the last page "
            f"answers, {answered})"
        )
    if differ:
        detail += f"; differ: {differ}"
    return _line(not differ and compared > 0, text, detail)


def _fixed_cost_line(run: dict, size: str) -> str:
    costs = run.get("measured", {}).get("fixed_costs")
    text = f"{size} fixed costs per request measured and reported"
    if not costs:
        return _line(None, text, "not measured")
    return _line(True, text, costs)


def issue_13_targets(runs: dict) -> list[str]:
    """The one targets section of the report."""
    size = largest_size(runs)
    run = runs[size]
    lines = [
        "",
        f"## Issue 13 targets (at {size}, the largest size of this run; reported, not asserted)",
    ]
    lines += [_ratio_line(run, size, *target) for target in RATIO_TARGETS]
    lines += [_deep_line(run, size, *pages) for pages in DEEP_PAGES]
    lines += export_lines(size, run.get("measured", {}).get("exports"))
    lines += _browser_lines(run, size)
    lines.append(_count_line(runs))
    lines.append(_fixed_cost_line(run, size))
    return lines
