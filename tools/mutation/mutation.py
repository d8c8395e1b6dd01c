"""Mutation testing (`make mutation`): mutmut 3 over the modules where a silent regression
hurts most, each against the tests that are about it.

Every target runs in its own private copy of the working tree (tools/mutation/workspace.py),
never in the shared one: mutmut rewrites the source it mutates. Within a module, `scope`
names the functions to mutate (the rest gets `# pragma: no mutate`, in the copy only); a
mutant counts as killed when a test fails or times out, and every other mutant (survived,
or reached by no test of the target) counts against the score. Tests that start
`python -m oversight` see the same mutant: PYTHONPATH puts the mutated copy first, and
mutmut's MUTANT_UNDER_TEST is in their environment.

    python tools/mutation/mutation.py [TARGET...]   # default: all; MUTATION_JOBS=1 (processes)
    MUTATION_RESUME=1 python tools/mutation/mutation.py gate   # go on with an interrupted run
    MUTATION_RECHECK=1 python tools/mutation/mutation.py gate  # survivors against today's tests
    MUTATION_COLLECT=1 python tools/mutation/mutation.py gate  # the results of a stopped run

Writes build/mutation/TARGET.json (every mutant's status) and prints each survivor's diff;
once every target has a result, build/mutation/report.json and `mutation_score` in
benchmarks/results.json (only that key). docs/mutation.md triages the survivors.
"""

from __future__ import annotations

import ast
import datetime as dt
import fcntl
import io
import json
import os
import re
import subprocess
import sys
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workspace

ROOT = workspace.ROOT
WORK = ROOT / "build" / "mutation"
RESULTS = ROOT / "benchmarks" / "results.json"
MUTMUT = Path(sys.executable).with_name("mutmut")
KILLED = {"killed", "timeout", "killed on recheck"}
# For the processes tests start: mutmut's own phases ("stats": which tests reach which
# function; "fail": a forced failure) are for the test process only; in a child they would
# look for mutmut's configuration in the child's folder. A mutant's name passes through.
SITECUSTOMIZE = """import os
if os.environ.get("MUTANT_UNDER_TEST") in ("stats", "fail"):
    del os.environ["MUTANT_UNDER_TEST"]
"""


@dataclass(frozen=True)
class Target:
    module: str  # path in the repository
    tests: tuple[str, ...]  # pytest arguments: the tests about this module
    scope: tuple[str, ...] = ()  # functions to mutate (Class.method or name); () = all


TARGETS = {
    # Without the 39 attacks through `python -m oversight` (40 of the file's 44 s); the same
    # texts go through the gate in-process in its other tests.
    "gate": Target(
        "graph/gate.py",
        ("tests/test_gate.py", "tests/test_gate_edges.py", "-k", "not attacks_are_refused"),
    ),
    "embedded-writes": Target(
        "graph/embedded.py",
        (
            "tests/test_embedded_writes.py",
            "tests/test_store.py",
            "tests/test_crash_replay.py",
            "tests/test_faults.py",
            "tests/test_atomic.py::test_a_failing_statement_mid_load_changes_nothing",
            "-k",
            "not neo4j",  # the Neo4j half of test_store.py is another store
        ),
        scope=(
            "WriteInterrupted.__init__",
            "EmbeddedStore.__init__",
            "EmbeddedStore._atomic",
            "EmbeddedStore._after_failed_write",
            "EmbeddedStore._list_tables",
            "EmbeddedStore._rewrite_relationship_lists",
            "EmbeddedStore.load",
            "EmbeddedStore._run_in_write_transaction",
            "EmbeddedStore._write",
            "EmbeddedStore._rollback",
            "_open",
            "_fold_log",
            "_check_is_database",
            "_take_write_lock",
            "_check_free_space",
            "_copy_for_writing",
            "_remove_strays",
            "_remove",
        ),
    ),
    # Tests that run `oversight verify` or open a browser reach these modules only in other
    # processes, which mutmut's test selection cannot see; these read them in-process.
    "verify": Target(
        "loaders/verify.py",
        ("tests/test_verify.py",),
        scope=(  # quotes against their own sources; the claims summary is loaders/claims.py's
            "normalise",
            "fold_marks",
            "Failure.__str__",
            "source_texts",
            "raw_source_texts",
            "_read_text",
            "verify",
            "verification",
            "_verification",
            "_in_file_order",
            "_clip",
        ),
    ),
    "html": Target(
        "visualise/html.py",
        ("tests/test_view_html.py",),
        # The escaping and the template, as issue #18 names them: what reaches the page and
        # how. The view's data shaping (tenure captions, edge colours, timeline days, layout
        # positions) is checked by tests/test_view_queries.py in a browser, out of reach of
        # mutmut's in-process test selection.
        scope=(
            "_safe_json",
            "_hover",
            "_shown",
            "_detail",
            "_mark_passages",
            "result_table",
            "_elements_only",
            "_cell",
            "check_size",
            "render_page",
            "write_view",
        ),
    ),
    "runner": Target(
        "queries/runner.py",
        ("tests/test_runner.py", "tests/test_queries.py"),
        scope=("bind", "example_values", "parse_text_values", "_from_text", "_finite", "run"),
    ),
}


def functions(tree: ast.Module) -> dict[str, tuple[int, int]]:
    """Qualified name -> (first line, last line) of every function, decorators included."""
    found: dict[str, tuple[int, int]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found[prefix + node.name] = (first, node.end_lineno or node.lineno)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def keep_out(source: str, scope: tuple[str, ...]) -> str:
    """`source` with `# pragma: no mutate` on every line outside the functions in `scope`
    that can carry a comment (not inside a multi-line string)."""
    if not scope:
        return source
    spans = functions(ast.parse(source))
    missing = set(scope) - set(spans)
    if missing:
        raise SystemExit(f"mutation scope names no function: {', '.join(sorted(missing))}")
    inside = {line for name in scope for line in range(spans[name][0], spans[name][1] + 1)}
    ends = set()  # lines a comment may end: those with a NEWLINE or NL token
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            ends.add(token.start[0])
    lines = source.splitlines()
    for number in sorted(ends - inside):
        text = lines[number - 1]
        if text.strip():
            lines[number - 1] = f"{text}  # pragma: no mutate"
    return "\n".join(lines) + "\n"


def configure(src: Path, target: Target) -> None:
    module = src / "oversight" / target.module  # the copy the tests import
    module.write_text(keep_out(module.read_text(encoding="utf-8"), target.scope), "utf-8")
    settings = {
        "source_paths": ["oversight"],
        "only_mutate": [str(module.relative_to(src))],
        "pytest_add_cli_args_test_selection": list(target.tests),
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q", "-x"],
        "use_git_change_detection": False,
        # A mutant that loops (the gate's lexer has many loops) is a kill, but the default
        # wait for one is 15 times the tests' own time: 3 times and 5 s is plenty.
        "timeout_multiplier": 3.0,
        "timeout_constant": 5.0,
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    with (src / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("\n".join(lines) + "\n")


def run_target(name: str, target: Target, jobs: int) -> dict[str, str]:
    folder = WORK / name
    src = folder / "src"
    (WORK / f"{name}.json").unlink(missing_ok=True)
    going_on = os.environ.get("MUTATION_RESUME") or os.environ.get("MUTATION_COLLECT")
    if going_on and (src / "mutants").is_dir():
        env = {"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}  # mutmut goes on from
    else:  # the results it has
        env = workspace.make(folder, copies=True)
        configure(src, target)
        # before Python starts: a path entry that is missing then is skipped for good
        (src / "mutants").mkdir()
    shim = folder / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(map(str, (src / "mutants", src, shim)))
    env = os.environ | env
    started = time.monotonic()
    log = folder / "mutmut.log"
    collect = bool(os.environ.get("MUTATION_COLLECT"))  # only read what a stopped run found
    with log.open("a" if collect else "w") as out:
        code = (
            0
            if collect
            else subprocess.run(
                [str(MUTMUT), "run", "--max-children", str(jobs)],
                cwd=src,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode
        )
    if code != 0:
        raise SystemExit(f"{name}: mutmut run failed ({code}); see {log}")
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    statuses = dict(re.findall(r"^\s*(\S+): (.+)$", listed, flags=re.MULTILINE))
    (WORK / f"{name}.json").write_text(json.dumps(statuses, indent=2) + "\n", encoding="utf-8")
    killed = sum(status in KILLED for status in statuses.values())
    took = time.monotonic() - started
    print(f"{name}: {killed}/{len(statuses)} killed in {took:.0f} s", flush=True)
    for mutant, status in sorted(statuses.items()):
        if status not in KILLED:
            shown = subprocess.run(
                [str(MUTMUT), "show", mutant], cwd=src, env=env, capture_output=True, text=True
            ).stdout
            print(f"--- {status}: {mutant}\n{shown}", flush=True)
    return statuses


def recheck(name: str, target: Target) -> dict[str, str]:
    """The survivors of an earlier run again, against the tests as they are now: each
    mutant's diff (`mutmut show`) applied to a fresh copy of the tree, the target's tests run
    there. What fails now counts as killed ("killed on recheck").

    The timeouts too: on a loaded machine a mutant's tests can outrun mutmut's wait (3 times
    their own time plus 5 s) without any loop. Each gets 5 times the clean run's time (at
    least 60 s): still out of time, it stays a timeout; passing, it is "survived".

    MUTATION_RECHECK_TESTS (pytest arguments, space-separated) runs only some of the target's
    tests, for a target whose whole set is slow: a failure there is a kill all the same, but a
    pass proves nothing, so a survivor stays a survivor and a timeout a timeout (and says so).
    MUTATION_RECHECK_ONLY (a substring) rechecks only the mutants whose name holds it;
    MUTATION_RECHECK_UNCHECKED=1 also runs those a stopped run never reached ("not checked")."""
    folder = WORK / name
    src = folder / "src"
    statuses = json.loads((WORK / f"{name}.json").read_text(encoding="utf-8"))
    shim = folder / "shim"
    env = os.environ | {"PYTHONPATH": os.pathsep.join(map(str, (src / "mutants", src, shim)))}
    check = folder / "recheck"
    check_env = os.environ | workspace.make(check)
    module = check / "src" / target.module
    original = module.read_text(encoding="utf-8")
    started = time.monotonic()
    tests = list(target.tests)
    some = os.environ.get("MUTATION_RECHECK_TESTS", "").split()
    if some:
        files = {arg.split("::")[0] for arg in target.tests if arg.startswith("tests/")}
        outside = [a for a in some if a.startswith("tests/") and a.split("::")[0] not in files]
        if outside:
            raise SystemExit(f"{name}: not among the target's tests: {', '.join(outside)}")
        tests = some
    only = os.environ.get("MUTATION_RECHECK_ONLY", "")
    pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-rf", "-p", "no:cacheprovider", *tests]
    clean = subprocess.run(pytest, cwd=check / "src", env=check_env, capture_output=True)
    if clean.returncode != 0:  # else every mutant would look killed
        raise SystemExit(f"{name}: the tests fail without a mutant:\n{clean.stdout.decode()}")
    hang = max(60.0, 5 * (time.monotonic() - started))  # a timeout's second chance
    unchecked = bool(os.environ.get("MUTATION_RECHECK_UNCHECKED"))
    for mutant, status in sorted(statuses.items()):
        if status in KILLED - {"timeout"} or (status == "not checked" and not unchecked):
            continue
        if only not in mutant:
            continue
        shown = subprocess.run(
            [str(MUTMUT), "show", mutant], cwd=src, env=env, capture_output=True, text=True
        )
        if shown.returncode != 0 or "\n@@" not in shown.stdout:
            print(f"--- {mutant}: mutmut cannot show it; left {status}", flush=True)
            continue
        try:
            mutated = apply_diff(shown.stdout, original, mutant)
        except ValueError as error:  # the source changed there since the run: left as it was
            print(f"--- {error}; left {status}", flush=True)
            continue
        try:
            module.write_text(mutated, encoding="utf-8")
            wait = hang if status == "timeout" else 600
            ran = subprocess.run(
                pytest, cwd=check / "src", env=check_env, capture_output=True, timeout=wait
            )
            if ran.returncode not in (0, 5):
                statuses[mutant] = "killed on recheck"
                failed = re.findall(r"^FAILED (\S+)", ran.stdout.decode(), flags=re.MULTILINE)
                print(f"--- killed on recheck: {mutant} by {failed[:1] or '?'}", flush=True)
            elif status in ("timeout", "not checked") and not some:
                statuses[mutant] = "survived"  # it was only slow, or never run
            elif status == "timeout":
                print(f"--- {mutant}: a timeout that passes these tests; left {status}", flush=True)
        except subprocess.TimeoutExpired:
            if status != "timeout":
                statuses[mutant] = "killed on recheck"  # a loop: a timeout, as mutmut counts it
        finally:
            module.write_text(original, encoding="utf-8")
            results = json.dumps(statuses, indent=2) + "\n"  # as it goes: a recheck may be
            (WORK / f"{name}.json").write_text(results, encoding="utf-8")  # stopped
    (WORK / f"{name}.json").write_text(json.dumps(statuses, indent=2) + "\n", encoding="utf-8")
    killed = sum(status in KILLED for status in statuses.values())
    took = time.monotonic() - started
    print(f"{name}: {killed}/{len(statuses)} killed after recheck in {took:.0f} s", flush=True)
    for mutant, status in sorted(statuses.items()):
        if status not in KILLED:
            print(f"--- still {status}: {mutant}", flush=True)
    return statuses


def apply_diff(diff: str, source: str, mutant: str) -> str:
    """`source` with the one hunk of `mutmut show`'s diff applied. mutmut shows a method
    without its class's indentation, but not the lines inside a multi-line string (a
    docstring's), so lines are matched without their indentation, the hunk must be found
    exactly once, and each added line gets the indentation of the source line it replaces."""
    body = diff.split("\n@@", 1)[1].split("\n", 1)[1]
    lines = [line or " " for line in body.rstrip("\n").splitlines()]  # "": a blank line
    lines = [line for line in lines if line[0] in " -+"]
    before = [line[1:] for line in lines if line[0] in " -"]
    source_lines = source.splitlines()
    found = [
        start
        for start in range(len(source_lines) - len(before) + 1)
        if all(source_lines[start + k].strip() == line.strip() for k, line in enumerate(before))
    ]
    if len(found) != 1:
        raise ValueError(f"{mutant}: its diff is found {len(found)} times in the source")
    at, out, shift = found[0], [], 0
    for line in lines:
        shown = line[1:]
        if line[0] == "+":
            out.append(" " * (len(shown) - len(shown.lstrip()) + shift) + shown.lstrip())
            continue
        original = source_lines[at]
        if shown.strip():
            shift = len(original) - len(original.lstrip()) - (len(shown) - len(shown.lstrip()))
        if line[0] == " ":
            out.append(original)
        at += 1
    changed = source_lines[: found[0]] + out + source_lines[at:]
    return "\n".join(changed) + ("\n" if source.endswith("\n") else "")


def record(report: dict[str, dict[str, str]]) -> dict[str, object]:
    everything = [status for statuses in report.values() for status in statuses.values()]
    checked = [status for status in everything if status != "not checked"]
    killed = sum(status in KILLED for status in checked)
    score: dict[str, object] = {
        "killed": killed,
        "total": len(checked),
        "score": round(killed / len(checked), 4) if checked else 0.0,
        "date": dt.date.today().isoformat(),
        "modules": sorted({TARGETS[name].module for name in report}),
    }
    if len(checked) < len(everything):  # a run stopped before its end (MUTATION_RESUME=1)
        score["not_checked"] = len(everything) - len(checked)
    targets: dict[str, dict[str, object]] = {}
    score["targets"] = targets  # not checked: left out of `total`, counted apart
    for name, statuses in report.items():
        ran = [status for status in statuses.values() if status != "not checked"]
        done = sum(status in KILLED for status in ran)
        targets[name] = {
            "module": TARGETS[name].module,
            "killed": done,
            "total": len(ran),
            "score": round(done / len(ran), 4) if ran else 0.0,
            "not_checked": len(statuses) - len(ran),
        }
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results["mutation_score"] = score  # the only key this touches (make bench keeps it)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return score


def main(argv: list[str]) -> None:
    names = argv or list(TARGETS)
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        raise SystemExit(f"unknown target {', '.join(unknown)} (one of {', '.join(TARGETS)})")
    jobs = int(os.environ.get("MUTATION_JOBS", "1"))
    WORK.mkdir(parents=True, exist_ok=True)
    lock = (WORK / ".lock").open("w")
    try:  # one mutmut run at a time: a starting mutmut ends the workers of any other one
        if not (os.environ.get("MUTATION_RECHECK") or os.environ.get("MUTATION_COLLECT")):
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"another mutation run holds {WORK / '.lock'}; wait for it") from None
    started = time.monotonic()
    for name in names:
        if os.environ.get("MUTATION_RECHECK"):
            recheck(name, TARGETS[name])
        else:
            run_target(name, TARGETS[name], jobs)
    print(f"took {time.monotonic() - started:.0f} s")
    done = {name: WORK / f"{name}.json" for name in TARGETS}
    if all(path.exists() for path in done.values()):  # this run's and earlier runs' targets
        report = {name: json.loads(path.read_text("utf-8")) for name, path in done.items()}
        (WORK / "report.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
        score = record(report)
        print(f"mutation_score: {score['killed']}/{score['total']} = {score['score']:.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])
