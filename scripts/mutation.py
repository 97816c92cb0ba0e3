"""Run mutmut over the modules that hold the rules, each with the tests that state them.

Called by scripts/mutation. For each module it copies the checkout's tracked files into
var/mutation/<module>/, appends a [tool.mutmut] table naming the module and its tests to the
copy's pyproject.toml, runs `mutmut run` there and reports killed / total and the survivors.
"""

import fnmatch
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "mutation"

# module -> the tests that state its rules (mutmut runs, per mutant, those of them that call it).
MODULES: dict[str, list[str]] = {
    "talks/rules/statuses.py": [
        "tests/talks/test_transition_table.py",
        "tests/talks/test_service_rules.py",
    ],
    "talks/rules/dates.py": [
        "tests/talks/test_date_rules.py",
        "tests/talks/test_service_rules.py",
        "tests/talks/test_status_rule.py",
        "tests/talks/test_bad_input.py",
    ],
    "talks/selectors/status.py": [
        "tests/talks/test_status_rule.py",
        "tests/talks/test_service_rules.py",
    ],
    "talks/services/events.py": [
        "tests/talks/test_service_rules.py",
        "tests/talks/test_services.py",
        "tests/talks/test_status_rule.py",
        "tests/talks/test_write_permissions.py",
    ],
    "talks/access.py": [
        "tests/clearance/test_gate_rules.py",
        "tests/clearance/test_gate.py",
        "tests/clearance/test_leaks.py",
        "tests/talks/test_service_rules.py",
    ],
    "talks/documents/exports.py": [
        "tests/talks/test_neutralising.py",
        "tests/talks/test_exports.py",
    ],
    "talks/rules/event_csv.py": [
        "tests/talks/test_neutralising.py",
        "tests/talks/test_event_csv_round_trip.py",
    ],
}

# Where only part of a module holds the rules, the functions scored (mutmut mutant-name patterns);
# the rest of the module is not mutated. The export writers are not rules: the neutralising is.
ONLY: dict[str, list[str]] = {
    "talks/documents/exports.py": ["talks.documents.exports.x_neutralise__mutmut_*"],
}


def copy_checkout(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def configure(target: Path, module: str, tests: list[str]) -> None:
    selection = ", ".join(f'"{test}"' for test in tests if (target / test).exists())
    with (target / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["hubtracker", "countries", "talks"]\n'
            f'only_mutate = ["{module}"]\n'
            'also_copy = ["templates", "static", "manage.py"]\n'
            f"pytest_add_cli_args_test_selection = [{selection}]\n"
            'pytest_add_cli_args = ["-p", "no:randomly", "-q", "-x"]\n'
        )


def results(target: Path, only: list[str]) -> list[tuple[str, str]]:
    """(mutant, status) for every mutant of the module (of the scored functions, if `only`)."""
    mutmut = [str(ROOT / ".venv" / "bin" / "mutmut")]
    text = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=target, capture_output=True, text=True
    ).stdout
    rows = [line.strip().rsplit(": ", 1) for line in text.splitlines() if ": " in line]
    pairs = [(row[0], row[1]) for row in rows]
    if only:
        pairs = [pair for pair in pairs if any(fnmatch.fnmatch(pair[0], n) for n in only)]
    return pairs


def run(module: str) -> tuple[int, int, list[str]]:
    target = SCRATCH / module.replace("/", "_").removesuffix(".py")
    copy_checkout(target)
    configure(target, module, MODULES[module])
    mutmut = [str(ROOT / ".venv" / "bin" / "mutmut")]
    only = ONLY.get(module, [])
    subprocess.run([*mutmut, "run", "--max-children", "2", *only], cwd=target, check=False)
    rows = results(target, only)
    # On a busy machine a test run can outlast mutmut's timeout without the mutant being the
    # cause: run each timed-out mutant once more, alone, before counting it.
    timed_out = [name for name, status in rows if status == "timeout"]
    if timed_out:
        subprocess.run([*mutmut, "run", "--max-children", "1", *timed_out], cwd=target, check=False)
        rows = results(target, only)
    survivors = [f"survived: {name}" for name, status in rows if status == "survived"]
    timeouts = [name for name, status in rows if status == "timeout"]
    killed = sum(1 for _, status in rows if status in {"killed", "timeout", "caught by type check"})
    return (
        killed,
        len(rows),
        survivors + [f"timed out twice (counted killed): {name}" for name in timeouts],
    )


def main(modules: list[str]) -> int:
    unknown = [module for module in modules if module not in MODULES]
    if unknown:
        print(f"Not in the table: {', '.join(unknown)}. Known: {', '.join(MODULES)}")
        return 2
    scores = {module: run(module) for module in modules or MODULES}
    print("\nmodule                               killed / mutants   score")
    for module, (killed, total, survivors) in scores.items():
        score = f"{100 * killed / total:.0f}%" if total else "-"
        print(f"{module:<36} {killed:>6} / {total:<7}  {score}")
        for survivor in survivors:
            print(f"    {survivor}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
