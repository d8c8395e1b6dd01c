"""`make bench`: load, query, render and start-up speed on England-sized synthetic data.

Writes benchmarks/results.json and prints the tables. Medians of several runs; each ratio is
measured side by side in the same run. Benchmarks, not tests: nothing here fails the build.

- load_elements_per_s: nodes + relationships per second loading N authorities (153) into a
  fresh embedded store, end to end as `oversight load DIR` does it: read and validate the YAML,
  make the rows, write them in one transaction. Each run is a fresh process.
- load_vs_copy_ratio: the store-write phase (validated records in memory -> rows ->
  committed) over raw LadybugDB `COPY FROM` of the same rows (prepared Arrow tables, one
  transaction), both into a database whose tables exist and are empty, alternately. The
  JSON also has the ratio without making the rows (`store_load_only_ratio`).
- query_p50_ms_max: the largest median over all saved queries, run with their examples
  (Tower Hamlets ids swapped for synthetic ones, loaders/synth.py `examples`) at N, on one open
  store after a first run: its plan is kept (graph/plans.py), as in `oversight serve` or a
  session. The JSON has each query's first run too (`first_ms`: parsed and planned, as a
  fresh `oversight query run` process pays).
- render_1000_s: visualise.html.write_view of a 1,000-node result (evidence included).
- help_vs_python_ratio: `oversight --help` wall time over `python -c pass`, alternately.
- pace: the machine's speed at the start and end of the run (a Python loop; first touch of
  256 MiB), to tell a slow run from slow code.
- bounds: what limits three targets here, from the same run. copy_elements_per_s is the
  engine's own COPY of the rows, which no load can pass; copy_and_parse_elements_per_s adds
  the fastest parse of the YAML (yaml-rs, nothing checked), one after the other. The click
  ratios (`import click`, a bare click group's --help, over `python -c pass`) are the floor
  under help_vs_python_ratio for any click command line.
- peak_rss_mb: the largest peak resident memory of the load runs.
- big_file_vs_split_ratio: the same N records loaded from one file over from N+1 files
  (fresh processes, alternately, medians).
- load_time_exponent, load_rss_exponent: k in cost ~ elements^k, a least-squares fit of the
  load time and peak memory at N = 38, 76, 153, 306 (below 1: a fixed cost is in the sum).
- big_file_peak_rss_mb: the peak resident memory loading one ~50 MB dataset file.
- neo4j_load_elements_per_s, neo4j_query_p50_ms_max: the same load (end to end, fresh process)
  and the same saved queries on a real Neo4j 5.26 Community server on loopback (tools/neo4j/,
  G1 and a 2 GB heap), the peer a user would pick instead. `--no-neo4j` leaves it out.
- serve_p50_ms, serve_p95_ms, serve_errors: `oversight serve` on the loaded store, 20 clients x
  200 requests over a mix of routes (benchmarks/serve_load.py).
- atomic_write_overhead_s: copying and syncing the loaded N-authority store file, which every
  write to a store of that size pays for its scratch copy (graph/embedded.py); the load figures
  above already include it for an empty store.

    .venv/bin/python benchmarks/run.py [--authorities 153] [--runs 3] [--query-runs 9]
        [--no-neo4j] [--no-scaling]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results.json"
# The targets of issue #20 ("England scale in two seconds").
TARGETS: dict[str, tuple[str, float] | None] = {
    "load_elements_per_s": (">=", 50_000),
    "load_vs_copy_ratio": ("<=", 1.5),
    "query_p50_ms_max": ("<=", 50),
    "render_1000_s": ("<=", 0.3),
    "help_vs_python_ratio": ("<=", 2.0),
    "big_file_vs_split_ratio": ("<=", 1.5),
    "load_time_exponent": ("<=", 1.1),  # time ~ elements^k: 1 is linear
    "load_rss_exponent": None,
    "big_file_peak_rss_mb": ("<=", 500),
    "peak_rss_mb": None,
    "atomic_write_overhead_s": None,
    "neo4j_load_elements_per_s": None,
    "neo4j_query_p50_ms_max": None,
    "serve_p50_ms": None,
    "serve_p95_ms": None,
    "serve_errors": ("<=", 0),
}
SCALES = (38, 76, 153, 306)  # authorities for the scaling curve
BIG_FILE_MB = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--authorities", type=int, default=153)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="load runs (fresh processes)")
    parser.add_argument("--write-runs", type=int, default=5, help="write vs COPY pairs")
    parser.add_argument("--query-runs", type=int, default=9, help="timed runs per query")
    parser.add_argument("--help-runs", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--no-neo4j", dest="neo4j", action="store_false", help="skip the Neo4j side by side"
    )
    parser.add_argument(
        "--no-scaling",
        dest="scaling",
        action="store_false",
        help="skip the scaling curve and the one-big-file loads",
    )
    parser.add_argument("--child", choices=("load", "write", "load-neo4j"), help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sample-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "load":
        print(json.dumps(_load_once(args.data, args.db, args.sample_memory)))
        return
    if args.child == "load-neo4j":
        print(json.dumps(_load_neo4j_once(args.data, args.uri)))
        return
    if args.child == "write":
        print(json.dumps(_write_vs_copy(args.data, args.db, args.write_runs)))
        return
    started = time.perf_counter()
    results = _run(args)
    results["bench_wall_s"] = round(time.perf_counter() - started, 1)
    results |= _kept(args.output)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _print(results, args.output)


# Keys other tools keep in the same file, carried over when the benchmarks rewrite it.
KEPT = ("mutation_score",)  # tools/mutation/mutation.py (make mutation)


def _kept(path: Path) -> dict[str, Any]:
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: earlier[key] for key in KEPT if isinstance(earlier, dict) and key in earlier}


def _run(args: argparse.Namespace) -> dict[str, Any]:
    from oversight.loaders.synth import write_dataset

    pace_before = _pace()
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        folder = Path(tmp)
        data = folder / "england"
        began = time.perf_counter()
        written = write_dataset(data, args.authorities, args.years, args.seed)
        synth_s = time.perf_counter() - began
        _say(f"synthetic data: {written.records} records, {written.files} files ({synth_s:.1f} s)")
        loads = []
        for run in range(args.runs):
            loads.append(_child("load", data, folder / f"load-{run}.lbug"))
            _say(f"load {run + 1}/{args.runs}: {loads[-1]['total_s']:.2f} s")
        write = _child("write", data, folder, extra=["--write-runs", str(args.write_runs)])
        _say(f"write vs COPY: {write['ratio']:.2f}")
        shape = _one_file_vs_split(data, folder, args.runs) if args.scaling else {}
        scaling = _scaling(folder, args) if args.scaling else {}
        big = _big_file(data, folder, args) if args.scaling else {}
        db = folder / "load-0.lbug"
        scratch = _scratch_copy(db)
        _say(f"atomic write overhead: {scratch['median_s']:.3f} s for {scratch['file_mb']} MB")
        queries = _queries(db, args)
        from serve_load import serve_load  # benchmarks/ is sys.path[0] when run as a script

        serve = serve_load(db, args.authorities, args.years, args.seed)
        _say(f"serve: p50 {serve['p50_ms']} ms, p95 {serve['p95_ms']} ms, {serve['errors']} errors")
        render = _render(db, folder)
        helps = _help(args.help_runs)
        neo4j = _neo4j(data, folder, args) if args.neo4j else {"skipped": "--no-neo4j"}
    elements = loads[0]["elements"]
    total = statistics.median(load["total_s"] for load in loads)
    metrics = {
        "load_elements_per_s": round(elements / total),
        "load_vs_copy_ratio": round(write["ratio"], 2),
        "query_p50_ms_max": round(max(q["p50_ms"] for q in queries.values()), 1),
        "render_1000_s": round(render["write_view_s"], 3),
        "help_vs_python_ratio": round(helps["ratio"], 2),
        "peak_rss_mb": round(max(load["peak_rss_mb"] for load in loads), 1),
        "atomic_write_overhead_s": scratch["median_s"],
        "serve_p50_ms": serve["p50_ms"],
        "serve_p95_ms": serve["p95_ms"],
        "serve_errors": serve["errors"],
    }
    if shape:
        metrics["big_file_vs_split_ratio"] = shape["ratio"]
    if scaling:
        metrics["load_time_exponent"] = scaling["time_exponent"]
        metrics["load_rss_exponent"] = scaling["rss_exponent"]
    if big:
        metrics["big_file_peak_rss_mb"] = big["peak_mb"]
    if "load" in neo4j:
        metrics["neo4j_load_elements_per_s"] = round(elements / neo4j["load"]["total_s"])
        metrics["neo4j_query_p50_ms_max"] = round(
            max(q["p50_ms"] for q in neo4j["queries"].values()), 1
        )
    return {
        "metrics": metrics,
        "targets": {k: list(v) if v else None for k, v in TARGETS.items()},
        "held": {k: _holds(k, v) for k, v in metrics.items()},
        "dataset": {
            "authorities": args.authorities,
            "years": args.years,
            "seed": args.seed,
            "records": written.records,
            "files": written.files,
            "nodes": loads[0]["nodes"],
            "relationships": loads[0]["relationships"],
            "yaml_mb": loads[0]["yaml_mb"],
            "synth_s": round(synth_s, 2),
        },
        "load_runs": loads,
        "load_phases_median_s": {
            phase: round(statistics.median(load[phase] for load in loads), 3)
            for phase in ("read_s", "rows_s", "store_s", "total_s")
        },
        "write_vs_copy": write,
        "one_file_vs_split": shape,
        "scaling": scaling,
        "big_file": big,
        "atomic_scratch_copy": scratch,
        "queries": queries,
        "render": render,
        "serve": serve,
        "help": helps,
        "neo4j": neo4j,
        "bounds": _bounds(write, helps),
        "pace": {"before": pace_before, "after": _pace()},
        "machine": _machine(),
    }


def _bounds(write: dict[str, Any], helps: dict[str, Any]) -> dict[str, Any]:
    """What limits three targets on this machine, measured in this run: the engine's own
    COPY bounds load_elements_per_s (and with the fastest parse of the YAML before it, one
    after the other, shows what reading must share); a bare click group's --help bounds
    help_vs_python_ratio from below."""
    floor_s = write["copy_median_s"] + write["fast_parse_only_s"]
    return {
        "copy_elements_per_s": round(write["elements"] / write["copy_median_s"]),
        "copy_and_parse_elements_per_s": round(write["elements"] / floor_s),
        "import_click_vs_python_ratio": helps["import_click_ratio"],
        "click_group_help_vs_python_ratio": helps["click_group_help_ratio"],
    }


def _holds(metric: str, value: float) -> bool | None:
    target = TARGETS.get(metric)
    if target is None:
        return None
    op, bound = target
    return value >= bound if op == ">=" else value <= bound


# --- load: a fresh process per run ----------------------------------------------------------------


def _child(kind: str, data: Path, db: Path, extra: list[str] | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    command += ["--data", str(data), "--db", str(db), *(extra or [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load_once(data: Path, db: Path, sample: bool = False) -> dict[str, Any]:
    """What `oversight load DATA` does, timed by phase, in this fresh process: a dataset of
    4 MB or more is read in a child process (loaders/child_read.py). `sample`: also follow
    the machine's memory (this process and its child, proportional set sizes summed)."""
    from oversight.graph.embedded import EmbeddedStore
    from oversight.loaders.child_read import dataset_rows

    sampler = _MemorySampler() if sample else None
    began = time.perf_counter()
    with dataset_rows([data], db.parent) as rows:
        made = time.perf_counter()
        with EmbeddedStore(db) as store:
            store.load(rows.nodes, rows.relationships)
        done = time.perf_counter()
        node_count = sum(map(len, rows.nodes.values()))
        rel_count = sum(map(len, rows.relationships.values()))
    read = rows.seconds["read"]
    result = {
        "nodes": node_count,
        "relationships": rel_count,
        "elements": node_count + rel_count,
        "yaml_mb": round(sum(p.stat().st_size for p in data.glob("*.yaml")) / 2**20, 2),
        "read_in_child": rows.child is not None,
        "read_s": round(read, 3),
        "rows_s": round(made - began - read, 3),  # rows, and in a child its files and exit
        "store_s": round(done - made, 3),
        "total_s": round(done - began, 3),
        "child_seconds": {k: round(v, 3) for k, v in rows.seconds.items()},
        "peak_rss_mb": max(_peak_mb(), _peak_mb(resource.RUSAGE_CHILDREN)),
        "parent_peak_rss_mb": _peak_mb(),
        "child_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }
    if sampler:
        result["machine_peak_mb"] = sampler.stop()
    return result


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory of this process, or of the largest child it waited for."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


class _MemorySampler:
    """The peak of this process's and its children's proportional set sizes, summed, read
    from /proc every 20 ms: what the machine gave the load (pages a fork shares count once)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            pids = [os.getpid(), *_children()]
            self.peak = max(self.peak, sum(_pss_mb(pid) for pid in pids))
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return round(self.peak, 1)


def _children() -> list[int]:
    found = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def _pss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- cost linear in size, one file or many -------------------------------------------------------


def _one_file(source: Path, target: Path) -> Path:
    """The same records as `source`'s files, in the order they are read, in one file."""
    target.mkdir(parents=True, exist_ok=True)
    with (target / "all.yaml").open("w", encoding="utf-8") as out:
        for path in sorted(source.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            out.write(text if text.endswith("\n") else text + "\n")
    return target


def _one_file_vs_split(data: Path, folder: Path, runs: int) -> dict[str, Any]:
    """big_file_vs_split_ratio: the same records in one file over in N+1 files, loaded
    alternately (fresh processes), medians."""
    one = _one_file(data, folder / "england-one-file")
    times: dict[str, list[float]] = {"split": [], "one": []}
    for run in range(runs):
        for kind in ("split", "one") if run % 2 == 0 else ("one", "split"):
            source = data if kind == "split" else one
            load = _child("load", source, folder / f"shape-{kind}-{run}.lbug")
            times[kind].append(load["total_s"])
    split, whole = statistics.median(times["split"]), statistics.median(times["one"])
    _say(f"one file vs {len(list(data.glob('*.yaml')))} files: {whole:.2f} s vs {split:.2f} s")
    return {"split_s": times["split"], "one_s": times["one"], "ratio": round(whole / split, 2)}


def _scaling(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Load time and peak memory at N = SCALES (fresh processes, median of two), with the
    exponent k of a least-squares fit of log(cost) = k log(elements) + c."""
    from oversight.loaders.synth import write_dataset

    points = []
    for authorities in SCALES:
        data = folder / f"scale-{authorities}"
        write_dataset(data, authorities, args.years, args.seed)
        loads = [_child("load", data, folder / f"scale-{authorities}-{run}.lbug") for run in (0, 1)]
        point = {
            "authorities": authorities,
            "elements": loads[0]["elements"],
            "yaml_mb": loads[0]["yaml_mb"],
            "total_s": round(statistics.median(load["total_s"] for load in loads), 3),
            "peak_rss_mb": max(load["peak_rss_mb"] for load in loads),
        }
        points.append(point)
        _say(f"scaling N={authorities}: {point['total_s']} s, {point['peak_rss_mb']} MB")
    elements = [point["elements"] for point in points]
    return {
        "points": points,
        "time_exponent": round(_exponent(elements, [p["total_s"] for p in points]), 2),
        "rss_exponent": round(_exponent(elements, [p["peak_rss_mb"] for p in points]), 2),
    }


def _exponent(sizes: list[float], costs: list[float]) -> float:
    """The slope of the least-squares line through (log size, log cost)."""
    import math

    xs, ys = [math.log(x) for x in sizes], [math.log(y) for y in costs]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def _big_file(data: Path, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One dataset file of about BIG_FILE_MB (synthetic authorities, all in one file), loaded
    once in a fresh process: its time and peak resident memory. The number of authorities
    comes from the size of `data`, the N-authority dataset already written."""
    from oversight.loaders.synth import write_dataset

    per_authority = sum(p.stat().st_size for p in data.glob("*.yaml")) / 2**20 / args.authorities
    authorities = round(BIG_FILE_MB / per_authority) + 1
    data = folder / "big-split"
    write_dataset(data, authorities, args.years, args.seed)
    one = _one_file(data, folder / "big-one-file")
    load = _child("load", one, folder / "big.lbug")  # timed
    sampled = _child("load", one, folder / "big-sampled.lbug", ["--sample-memory"])
    peak = max(load["peak_rss_mb"], sampled["peak_rss_mb"], sampled["machine_peak_mb"])
    _say(f"one {load['yaml_mb']} MB file: {load['total_s']:.1f} s, {peak} MB")
    return {
        "authorities": authorities,
        **load,
        "machine_peak_mb": sampled["machine_peak_mb"],
        "sampled_run": sampled,
        "peak_mb": peak,
    }


# --- the write phase against raw COPY FROM --------------------------------------------------------


def _write_vs_copy(data: Path, folder: Path, runs: int) -> dict[str, Any]:
    """Store-write phase vs raw COPY of the same rows, in turn into fresh databases. The write
    phase is everything after the records are validated: as `oversight load` takes it for
    this dataset (in a child process: rows, Arrow files, the child's exit, then the store
    write from them) and, beside it, in one process (a dataset under 4 MB)."""
    from oversight.graph.embedded import EmbeddedStore
    from oversight.loaders.child_read import dataset_rows
    from oversight.loaders.dataset import graph_rows, read_dataset
    from oversight.loaders.yamlfile import read_yaml

    began = time.perf_counter()
    for path in sorted(data.glob("*.yaml")):
        read_yaml(path)
    yaml_s = time.perf_counter() - began
    fast_s = _fast_parse_s(data)
    dataset = read_dataset([data], lines=False)
    writes, stores, copies, counts, childs = [], [], [], [], []
    kinds = ["write", "child", "copy"]
    for run in range(runs):
        for kind in kinds[run % 3 :] + kinds[: run % 3]:
            gc.collect()
            path = folder / f"{kind}-{run}.lbug"
            with EmbeddedStore(path) as store:
                store.apply_schema()
                if kind == "write":  # as `oversight load` writes: scratch copy, then rename
                    began = time.perf_counter()
                    nodes, rels = graph_rows(dataset)
                    made = time.perf_counter()
                    store.load(nodes, rels)
                    writes.append(time.perf_counter() - began)
                    stores.append(time.perf_counter() - made)
                if kind == "child":  # the same, the rows made in a child (its read not counted)
                    began = time.perf_counter()
                    with dataset_rows([data], folder) as rows:
                        assert rows.child is not None, "not read in a child"
                        store.load(rows.nodes, rows.relationships)
                        done = time.perf_counter()
                    childs.append(done - began - rows.seconds["read"])
            if kind == "copy":  # the engine alone, in place, no atomic rename
                copies.append(_raw_copy(path, *graph_rows(dataset)))
            with EmbeddedStore(path, read_only=True) as store:
                totals = store.counts()
            counts.append(sum(totals["nodes"].values()) + sum(totals["relationships"].values()))
    write, copy = statistics.median(writes), statistics.median(copies)
    child = statistics.median(childs)
    return {
        "yaml_parse_only_s": round(yaml_s, 3),
        "fast_parse_only_s": round(fast_s, 3),
        "write_s": [round(x, 3) for x in writes],
        "child_write_s": [round(x, 3) for x in childs],
        "copy_s": [round(x, 3) for x in copies],
        "write_median_s": round(write, 3),
        "child_write_median_s": round(child, 3),
        "store_load_only_median_s": round(statistics.median(stores), 3),
        "copy_median_s": round(copy, 3),
        "ratio": child / copy,  # the path `oversight load` takes for this dataset
        "in_process_ratio": round(write / copy, 2),
        "store_load_only_ratio": round(statistics.median(stores) / copy, 2),
        "same_counts": len(set(counts)) == 1,
        "elements": counts[0],
    }


def _fast_parse_s(data: Path) -> float:
    """The files as `load` parses them (yaml-rs where it reads as PyYAML, loaders/fastyaml.py),
    nothing checked or made after: the least any read of this YAML costs here."""
    from oversight.loaders.yamlfile import read_yaml_parts

    began = time.perf_counter()
    for path in sorted(data.glob("*.yaml")):
        for _ in read_yaml_parts(path, lines=False):
            pass
    return time.perf_counter() - began


def _scratch_copy(db: Path, runs: int = 5) -> dict[str, Any]:
    """What atomicity adds to every write on a store of this size: copying the file to the
    scratch copy and syncing it (graph/embedded.py `_atomic`; the rename costs ~nothing)."""
    import shutil

    times = []
    for _ in range(runs):
        target = db.with_name("scratch-copy.lbug")
        began = time.perf_counter()
        shutil.copyfile(db, target)
        fd = os.open(target, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        times.append(time.perf_counter() - began)
        target.unlink()
    return {
        "file_mb": round(db.stat().st_size / 1024 / 1024, 1),
        "median_s": round(statistics.median(times), 3),
    }


def _raw_copy(path: Path, nodes: dict, rels: dict) -> float:
    """COPY the rows from Arrow tables prepared beforehand: only the COPYs and COMMIT count."""
    import real_ladybug as lb
    from oversight.graph import bulk

    db = lb.Database(str(path))
    conn = lb.Connection(db)

    def columns(table: str) -> list[tuple[str, str]]:
        return conn.execute(f"CALL table_info('{table}') RETURN name, type").get_all()

    ends = [("from_id", "STRING"), ("to_id", "STRING")]
    work = [
        (f"COPY {label} FROM $rows", bulk.arrow_table(columns(label), rows))
        for label, rows in nodes.items()
    ]
    work += [
        (
            f"COPY {type_} FROM $rows (from='{start}', to='{end}')",
            bulk.arrow_table(ends + columns(type_), rows),
        )
        for (type_, start, end), rows in rels.items()
    ]
    began = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    for text, table in work:
        conn.execute(text, {"rows": table})
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    db.close()
    return elapsed


# --- Neo4j side by side ---------------------------------------------------------------------------

NEO4J_PASSWORD = "oversight-bench"


def _neo4j(data: Path, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The same load (a fresh process) and the same queries on a real Neo4j 5.26 server on
    loopback (tools/neo4j/), started here with full JIT and a 2 GB heap."""
    sys.path.insert(0, str(ROOT / "tools" / "neo4j"))
    import server
    from oversight.graph.neo4j_store import Neo4jStore

    os.environ.setdefault("NEO4J_JAVA_OPTS", "-XX:+UseG1GC")
    began = time.perf_counter()
    try:
        uri, proc = server.start(
            data_dir=folder / "neo4j", password=NEO4J_PASSWORD, wipe=True, heap="2g"
        )
    except (server.Neo4jStartError, OSError) as error:
        _say(f"Neo4j did not start: {str(error).splitlines()[0]}")
        return {"error": str(error).splitlines()[0]}
    started = time.perf_counter() - began
    _say(f"Neo4j {uri} started in {started:.1f} s")
    try:
        command = [sys.executable, str(Path(__file__).resolve()), "--child", "load-neo4j"]
        command += ["--data", str(data), "--uri", uri]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"benchmark child load-neo4j failed:\n{done.stderr}")
        load = json.loads(done.stdout.strip().splitlines()[-1])
        _say(f"Neo4j load: {load['total_s']:.2f} s (store write {load['store_s']:.2f} s)")
        with Neo4jStore(uri, user="neo4j", password=NEO4J_PASSWORD) as store:
            queries = _time_queries(store, args)
    finally:
        server.stop(proc)
    return {"start_s": round(started, 1), "load": load, "queries": queries}


def _load_neo4j_once(data: Path, uri: str) -> dict[str, Any]:
    """What `oversight --neo4j URI load DATA` does, timed by phase, in this fresh process."""
    from oversight.graph.neo4j_store import Neo4jStore
    from oversight.loaders.dataset import graph_rows, read_dataset

    began = time.perf_counter()
    nodes, rels = graph_rows(read_dataset([data], lines=False))
    rows = time.perf_counter()
    with Neo4jStore(uri, user="neo4j", password=NEO4J_PASSWORD) as store:
        store.load(nodes, rels)
    done = time.perf_counter()
    return {
        "read_and_rows_s": round(rows - began, 3),
        "store_s": round(done - rows, 3),
        "total_s": round(done - began, 3),
    }


# --- saved queries --------------------------------------------------------------------------------


def _queries(db: Path, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    from oversight.graph.embedded import EmbeddedStore

    with EmbeddedStore(db, read_only=True) as store:
        return _time_queries(store, args)


def _time_queries(store: Any, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every saved query with synthetic stand-ins for its examples, on an open store."""
    from oversight.loaders.synth import examples, plan_england, synthetic_parameters
    from oversight.queries import list_queries, run_query
    from oversight.queries.runner import example_values

    stand_ins = examples(plan_england(args.authorities, args.years, args.seed))
    timings: dict[str, dict[str, Any]] = {}
    for saved in list_queries():
        params = synthetic_parameters(example_values(saved), stand_ins)
        began = time.perf_counter()
        rows = len(run_query(store, saved, **params).rows)  # the first run: planned here
        first_ms = (time.perf_counter() - began) * 1000
        runs = []
        for _ in range(args.query_runs):
            began = time.perf_counter()
            run_query(store, saved, **params)
            runs.append((time.perf_counter() - began) * 1000)
        runs.sort()
        timings[saved.name] = {
            "rows": rows,
            "p50_ms": round(statistics.median(runs), 1),
            "p95_ms": round(runs[min(len(runs) - 1, round(0.95 * len(runs) + 0.5) - 1)], 1),
            "first_ms": round(first_ms, 1),
            "parameters": {k: str(v) for k, v in params.items()},
        }
        _say(f"query {saved.name}: {timings[saved.name]['p50_ms']} ms, {rows} rows")
    return timings


# --- rendering ------------------------------------------------------------------------------------


def _render(db: Path, folder: Path, size: int = 1000, runs: int = 5) -> dict[str, Any]:
    from oversight.graph.embedded import EmbeddedStore
    from oversight.graph.result import Result
    from oversight.visualise.html import ViewSpec, write_view

    try:
        from oversight.visualise.citations import citations
    except ImportError:  # an older tree: views without the evidence panel

        def citations(store: Any, result: Any) -> Any:
            return None

    text = (
        "MATCH (i:Inspection)-[r:FOUND]->(f:Finding)-[c:CONCERNS]->(x) "
        "RETURN i, r, f, c, x ORDER BY f.id LIMIT 3000"
    )
    with EmbeddedStore(db, read_only=True) as store:
        full = store.read(text)
        keep = dict(list(full.nodes.items())[:size])
        result = Result(
            columns=full.columns,
            rows=[row for row in full.rows if all(n.id in keep for n in row[::2])],
            nodes=keep,
            relationships={
                k: r for k, r in full.relationships.items() if r.start in keep and r.end in keep
            },
        )
        lookup, writes = [], []
        for run in range(runs):
            began = time.perf_counter()
            evidence = citations(store, result)
            lookup.append(time.perf_counter() - began)
            spec = ViewSpec(title="benchmark", query=text, limit=max(size, 1500))
            began = time.perf_counter()
            write_view(result, folder / f"view-{run}.html", spec, evidence)
            writes.append(time.perf_counter() - began)
    return {
        "nodes": len(result.nodes),
        "relationships": len(result.relationships),
        "write_view_s": statistics.median(writes),
        "citations_lookup_s": round(statistics.median(lookup), 3),
        "html_mb": round((folder / "view-0.html").stat().st_size / 2**20, 2),
    }


# --- start-up -------------------------------------------------------------------------------------


def _help(runs: int) -> dict[str, Any]:
    oversight = Path(sys.executable).parent / "oversight"
    commands = {
        "oversight --help": [str(oversight), "--help"],
        "python -c pass": [sys.executable, "-c", "pass"],
        # What click alone costs: the floor under any click command line's --help.
        "import click": [sys.executable, "-c", "import click"],
        "click group --help": [sys.executable, "-c", CLICK_GROUP_HELP],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            began = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            walls[name].append(time.perf_counter() - began)
    medians = {name: statistics.median(values) for name, values in walls.items()}
    python = medians["python -c pass"]
    return {
        "median_s": {name: round(value, 4) for name, value in medians.items()},
        "ratio": medians["oversight --help"] / python,
        "import_click_ratio": round(medians["import click"] / python, 2),
        "click_group_help_ratio": round(medians["click group --help"] / python, 2),
    }


# A click group with one command and nothing else, asked for --help.
CLICK_GROUP_HELP = (
    "import click\n"
    "@click.group()\n"
    "def cli():\n"
    "    'A group.'\n"
    "@cli.command()\n"
    "def one():\n"
    "    'A command.'\n"
    "cli(['--help'])"
)


# --- report ---------------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    import pyarrow
    import real_ladybug
    import yaml

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next((line.split()[1] for line in _lines("/proc/meminfo") if "MemTotal" in line), 0)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 2**20, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "real_ladybug": getattr(real_ladybug, "__version__", "?"),
        "pyarrow": pyarrow.__version__,
        "pyyaml": f"{yaml.__version__} (libyaml: {yaml.__with_libyaml__})",
    }


# A fixed piece of work of each kind the benchmarks do, timed in a fresh process: Python
# arithmetic, and touching fresh memory (each new page faulted in). On this machine the second
# varies run to run by several times, and loads and queries allocate a lot.
PACE = """
import time
began = time.perf_counter()
total = 0
for number in range(5_000_000):
    total += number
python_s = time.perf_counter() - began
began = time.perf_counter()
fresh = bytearray(256 * 2**20)
for offset in range(0, len(fresh), 4096):
    fresh[offset] = 1
print(python_s, time.perf_counter() - began)
"""


def _pace() -> dict[str, float]:
    """How fast the machine is now (see PACE): to tell a slow run from slow code."""
    done = subprocess.run([sys.executable, "-c", PACE], capture_output=True, text=True, check=True)
    python_s, memory_s = (float(x) for x in done.stdout.split())
    return {"python_loop_s": round(python_s, 3), "touch_256_mib_s": round(memory_s, 3)}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _print(results: dict[str, Any], path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    machine = results["machine"]
    dataset = results["dataset"]
    table = Table(
        title=f"oversight bench: N={dataset['authorities']} ({dataset['nodes']:,} nodes, "
        f"{dataset['relationships']:,} relationships, {dataset['yaml_mb']} MiB YAML)",
        caption=f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; "
        f"Python {machine['python']}, LadybugDB {machine['real_ladybug']}",
    )
    for column in ("metric", "value", "target", "holds"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for metric, value in results["metrics"].items():
        target = results["targets"][metric]
        held = results["held"][metric]
        table.add_row(
            metric,
            f"{value:,}",
            f"{target[0]} {target[1]:,}" if target else "-",
            "-" if held is None else ("yes" if held else "[red]no[/red]"),
        )
    console.print(table)
    phases = Table(title="load phases, median of runs (s)")
    for column in ("read + validate YAML", "rows", "store write", "total", "raw COPY"):
        phases.add_column(column, justify="right")
    median = results["load_phases_median_s"]
    phases.add_row(
        str(median["read_s"]),
        str(median["rows_s"]),
        str(median["store_s"]),
        str(median["total_s"]),
        str(results["write_vs_copy"]["copy_median_s"]),
    )
    console.print(phases)
    queries = Table(title="saved queries with synthetic examples (ms)")
    for column in ("query", "rows", "p50", "p95"):
        queries.add_column(column, justify="left" if column == "query" else "right")
    for name, timing in results["queries"].items():
        slow = timing["p50_ms"] > TARGETS["query_p50_ms_max"][1]  # type: ignore[index]
        queries.add_row(
            name,
            str(timing["rows"]),
            f"[red]{timing['p50_ms']}[/red]" if slow else str(timing["p50_ms"]),
            str(timing["p95_ms"]),
        )
    console.print(queries)
    console.print(f"wrote {path} ({results['bench_wall_s']} s)")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
