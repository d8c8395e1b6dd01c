"""`oversight serve` under load: concurrent clients against a real server process.

20 clients (threads, one keep-alive connection each) send 200 requests apiece over a fixed
mix of routes: the home page, name search, saved query pages and their JSON (with the
synthetic stand-ins for their examples, as benchmarks/run.py times them), entity and source
pages, and the Cypher box. Reported: p50 and p95 latency in ms over every request, requests
per second, and the count of errors (a status other than 200, or a failed connection).

    .venv/bin/python benchmarks/serve_load.py [--db FILE | --authorities 153] [--clients 20]
        [--requests 200]

benchmarks/run.py calls `serve_load(db, ...)` on the store it has loaded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
URL_LINE = re.compile(r"serving (http://127\.0\.0\.1:\d+/) ")
QUERY_PAGES = 4  # saved queries shown as pages (the first ones by name); every one as JSON


def serve_load(
    db: Path,
    authorities: int = 153,
    years: int = 7,
    seed: int = 1,
    *,
    clients: int = 20,
    requests: int = 200,
    workers: int = 4,
) -> dict[str, Any]:
    """Serve `db` (a loaded synthetic store) in a fresh process and measure the route mix."""
    paths = route_mix(db, authorities, years, seed)
    proc, base = _start(db, workers)
    try:
        # Warm-up: each route once. One that fails on synthetic data (an example no stand-in
        # replaces) is left out of the mix and reported, not counted as a server error.
        skipped = {}
        for path in paths:
            status, _ = _get_once(base, path)
            if status != 200:
                skipped[path] = status
        paths = [p for p in paths if p not in skipped]
        timings, errors, wall, per_route = _hammer(base, paths, clients, requests)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    timings.sort()
    total = clients * requests
    return {
        "clients": clients,
        "requests": total,
        "routes": len(paths),
        "workers": workers,
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(timings[max(0, round(0.95 * len(timings)) - 1)], 1) if timings else None,
        "max_ms": round(timings[-1], 1) if timings else None,
        "errors": errors,
        "requests_per_s": round(total / wall, 1),
        "wall_s": round(wall, 2),
        "skipped_routes": skipped,
        "route_p50_ms": per_route,
    }


def route_mix(db: Path, authorities: int, years: int, seed: int) -> list[str]:
    """The paths the clients cycle through: real ids from the store, synthetic examples."""
    from oversight.graph.embedded import EmbeddedStore
    from oversight.loaders.synth import examples, plan_england, synthetic_parameters
    from oversight.queries import list_queries
    from oversight.queries.runner import example_values
    from oversight.serve.params import as_text

    stand_ins = examples(plan_england(authorities, years, seed))
    with EmbeddedStore(db, read_only=True) as store:
        person = store.read("MATCH (p:Person) RETURN p.id, p.name ORDER BY p.id LIMIT 1").rows[0]
        source = store.read("MATCH (s:Source) RETURN s.id ORDER BY s.id LIMIT 1").rows[0][0]
    paths = [
        "/",
        "/search?" + urlencode({"q": person[1][:5]}),
        "/entity/" + quote(person[0], safe="/"),
        "/sources/" + quote(source, safe="/"),
        "/cypher?" + urlencode({"q": "MATCH (p:Person) RETURN p.name AS name LIMIT 20"}),
    ]
    for number, saved in enumerate(list_queries()):
        values = synthetic_parameters(example_values(saved), stand_ins)
        fields = urlencode({k: as_text(v) for k, v in values.items() if v is not None})
        paths.append(f"/queries/{saved.name}.json?{fields}")
        if number < QUERY_PAGES:
            paths.append(f"/queries/{saved.name}?{fields}&run=1")
    return paths


def _start(db: Path, workers: int) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "oversight", "--db", str(db), "serve", "--port", "0"]
    command += ["--workers", str(workers), "--timeout", "60"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            found = URL_LINE.search(lines.get(timeout=1))
        except queue.Empty:
            found = None
        if found:
            return proc, found.group(1).rstrip("/")
        if proc.poll() is not None:
            raise SystemExit(f"serve bench: the server exited {proc.returncode}")
    proc.terminate()
    raise SystemExit("serve bench: the server printed no URL in 120 s")


def _get_once(base: str, path: str) -> tuple[int, bytes]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _hammer(
    base: str, paths: list[str], clients: int, requests: int
) -> tuple[list[float], int, float, dict[str, float]]:
    """Every client's latencies (ms), the error count, the wall time of the whole run, and
    each route's median (slowest first)."""
    where = urlsplit(base)
    timings: list[float] = []
    by_route: dict[str, list[float]] = {}
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
        mine: list[float] = []
        routes: list[tuple[str, float]] = []
        failed = 0
        start.wait()
        for i in range(requests):
            path = paths[(number * 7 + i) % len(paths)]
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
            mine.append((time.perf_counter() - began) * 1000)
            routes.append((path, mine[-1]))
        connection.close()
        with lock:
            timings.extend(mine)
            errors[0] += failed
            for path, ms in routes:
                by_route.setdefault(path, []).append(ms)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    medians = {p: round(statistics.median(ms), 1) for p, ms in by_route.items()}
    return timings, errors[0], wall, dict(sorted(medians.items(), key=lambda x: -x[1]))


def _synthetic_store(folder: Path, authorities: int, years: int, seed: int) -> Path:
    from oversight.loaders.synth import write_dataset

    data, db = folder / "england", folder / "england.lbug"
    write_dataset(data, authorities, years, seed)
    command = [sys.executable, "-m", "oversight", "--db", str(db), "load", str(data)]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a loaded synthetic store (default: make one)")
    parser.add_argument("--authorities", type=int, default=153)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--workers", type=int, default=4, help="the server's --workers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oversight-serve-bench-") as tmp:
        db = args.db or _synthetic_store(Path(tmp), args.authorities, args.years, args.seed)
        found = serve_load(
            db,
            args.authorities,
            args.years,
            args.seed,
            clients=args.clients,
            requests=args.requests,
            workers=args.workers,
        )
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
