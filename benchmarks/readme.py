"""The README's benchmark section, written from benchmarks/results.json, never typed.

`make bench` runs this after benchmarks/run.py; tests/test_readme.py fails when the README's
section differs from what the committed results.json gives. The section sits between the
markers `<!-- bench:start -->` and `<!-- bench:end -->`.

    .venv/bin/python benchmarks/readme.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

LABELS = {
    "load_elements_per_s": "load_elements_per_s (end to end, YAML included)",
    "load_vs_copy_ratio": "load_vs_copy_ratio (validated records → committed, ÷ raw COPY)",
    "query_p50_ms_max": "query_p50_ms_max (slowest saved query)",
    "render_1000_s": "render_1000_s",
    "help_vs_python_ratio": "help_vs_python_ratio",
    "big_file_vs_split_ratio": "big_file_vs_split_ratio (N's records in one file ÷ in N+1 files)",
    "load_time_exponent": "load_time_exponent (k in load time ∝ elements^k, N=38…306)",
    "load_rss_exponent": "load_rss_exponent (k in peak memory ∝ elements^k)",
    "big_file_peak_rss_mb": "big_file_peak_rss_mb (one ~50 MB dataset file, both processes)",
    "peak_rss_mb": "peak_rss_mb",
    "atomic_write_overhead_s": "atomic_write_overhead_s (scratch copy of the loaded store)",
    "neo4j_load_elements_per_s": "neo4j_load_elements_per_s (same load, real Neo4j 5.26)",
    "neo4j_query_p50_ms_max": "neo4j_query_p50_ms_max (slowest saved query on Neo4j)",
    "serve_p50_ms": "serve_p50_ms (oversight serve, 20 clients x 200 requests, mixed routes)",
    "serve_p95_ms": "serve_p95_ms",
    "serve_errors": "serve_errors",
}


def _number(value: float) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value >= 1000):
        return f"{value:,.0f}"
    return f"{value:g}"


def _target(target: list[Any] | None, held: bool | None) -> str:
    if not target:
        return "—"
    text = f"{'≥' if target[0] == '>=' else '≤'} {_number(target[1])}"
    return text if held is not False else f"{text} — not met"


def section(results: dict[str, Any]) -> str:
    """The Markdown between the markers."""
    data, machine = results["dataset"], results["machine"]
    lines = [
        f"One run of `make bench` (N={data['authorities']}: {data['nodes']:,} nodes, "
        f"{data['relationships']:,} relationships, {data['yaml_mb']} MiB of YAML) on "
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, Python "
        f"{machine['python']}, LadybugDB {machine['real_ladybug']}:",
        "",
        "| metric | value | target |",
        "|---|---|---|",
    ]
    for metric, value in results["metrics"].items():
        if value is None:
            continue
        target = results["targets"].get(metric)
        held = results["held"].get(metric)
        lines.append(
            f"| {LABELS.get(metric, metric)} | {_number(value)} | {_target(target, held)} |"
        )
    phases = results["load_phases_median_s"]
    child = all(load.get("read_in_child") for load in results["load_runs"])
    lines += [
        "",
        f"Of the {phases['total_s']:g} s load, reading and validating the YAML takes "
        f"{phases['read_s']:g} s{' (in a child process)' if child else ''}, making rows "
        f"{phases['rows_s']:g} s{' (with their Arrow files and the child exit)' if child else ''}"
        f" and the store write {phases['store_s']:g} s (raw COPY of the same rows: "
        f"{results['write_vs_copy']['copy_median_s']:g} s).",
    ]
    bounds = results.get("bounds")
    if bounds:
        lines += [
            "",
            "Limits measured in the same run: LadybugDB's own COPY of these rows from prepared "
            f"Arrow tables runs at {bounds['copy_elements_per_s']:,} elements/s, which no load "
            "into it can pass; with the fastest parse of the YAML before it (yaml-rs, nothing "
            f"checked or made), {bounds['copy_and_parse_elements_per_s']:,}. "
            '`python -c "import click"` takes '
            f"{bounds['import_click_vs_python_ratio']:g}× `python -c pass`, and a bare click "
            f"group's `--help` {bounds['click_group_help_vs_python_ratio']:g}×: the floor "
            "under help_vs_python_ratio for a click command line.",
        ]
    pace = results.get("pace")
    if pace:
        before, after = pace["before"], pace["after"]
        lines += [
            "",
            "The machine's pace at the start and end of the run: a fixed Python loop took "
            f"{before['python_loop_s']:g} and {after['python_loop_s']:g} s; touching 256 MiB "
            f"of fresh memory {before['touch_256_mib_s']:g} and {after['touch_256_mib_s']:g} s "
            "(here that varies by several times from hour to hour, and loads and queries "
            "allocate).",
        ]
    points = (results.get("scaling") or {}).get("points") or []
    if points:
        lines += [
            "",
            "| authorities | elements | YAML MiB | load s | peak MB |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {p['authorities']} | {p['elements']:,} | {p['yaml_mb']:g} | {p['total_s']:g} "
            f"| {p['peak_rss_mb']:g} |"
            for p in points
        ]
    big = results.get("big_file") or {}
    if big:
        sampled = big.get("sampled_run")
        lines += [
            "",
            f"One {big['yaml_mb']:g} MiB file ({big['elements']:,} elements) loads in "
            f"{big['total_s']:g} s with a peak of {big.get('peak_mb', big['peak_rss_mb']):g} MB"
            + (
                f" (the reading child {sampled['child_peak_rss_mb']:g} MB, the writing parent "
                f"{sampled['parent_peak_rss_mb']:g} MB, the two together "
                f"{sampled['machine_peak_mb']:g} MB: proportional set sizes summed every 20 ms)."
                if sampled
                else "."
            ),
        ]
    neo4j = results.get("neo4j") or {}
    lines += [
        "",
        "Saved queries with synthetic examples (ms): the first run on an open store, which parses "
        "and plans it as a fresh `oversight query run` does, and the median of the runs after, "
        "which reuse the plan as `oversight serve` does (graph/plans.py):",
        "",
    ]
    on_neo4j = neo4j.get("queries") or {}
    header = ["query", "rows", "LadybugDB first", "LadybugDB p50"] + (
        ["Neo4j p50"] * bool(on_neo4j)
    )
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, timing in results["queries"].items():
        first = timing.get("first_ms")
        row = f"| {name} | {timing['rows']:,} | {'—' if first is None else f'{first:g}'} |"
        row += f" {timing['p50_ms']:g} |"
        if on_neo4j:
            there = on_neo4j.get(name, {}).get("p50_ms")
            row += f" {'—' if there is None else f'{there:g}'} |"
        lines.append(row)
    if "load" in neo4j:
        ours, theirs = results["metrics"]["load_elements_per_s"], neo4j_rate(results)
        lines += [
            "",
            f"Loading the same data into Neo4j {neo4j.get('version', '5.26')} on loopback takes "
            f"{neo4j['load']['total_s']:g} s ({_number(theirs)} elements/s): the embedded store "
            f"loads {ours / theirs:.1f} times as fast.",
        ]
    if "mutation_score" in results:
        score = results["mutation_score"]
        lines += [
            "",
            f"Mutation score (`make mutation`, {score.get('date', '')}): "
            f"{score['killed']:,} of {score['total']:,} mutants killed "
            f"({100 * score['killed'] / score['total']:.1f}%); see docs/mutation.md.",
        ]
    return "\n".join(lines)


def neo4j_rate(results: dict[str, Any]) -> float:
    return results["metrics"].get("neo4j_load_elements_per_s") or 0


def rewritten(readme: str, results: dict[str, Any]) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"{README}: no {START} ... {END} markers")
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{section(results)}\n{END}{after}"


def main() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    readme = README.read_text(encoding="utf-8")
    new = rewritten(readme, results)
    if "--check" in sys.argv:
        sys.exit(0 if new == readme else 1)
    if new != readme:
        README.write_text(new, encoding="utf-8")
        print(f"rewrote the benchmark section of {README}")


if __name__ == "__main__":
    main()
