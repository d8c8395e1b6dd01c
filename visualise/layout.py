"""Node positions computed once, in Python, so that a view looks the same every time it opens.

A browser's physics simulation settles differently on each load (and on each machine): a
reader who noted where a node was could not find it there again. Positions here depend on
the graph only: nodes and edges are taken in sorted order and the random start is seeded.
Pure Python (networkx's layouts need numpy, which the project does not install).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable

SEED = 19
SPACING = 130.0  # about one node and its label, in vis-network's canvas units
LEVEL_GAP = 150.0
MAX_ROW = 14  # nodes on one line of a hierarchical layout
WIDE = 1.7  # how much wider than tall a force layout is drawn
SMALL = 150  # nodes up to which a force layout starts at random and takes its time

Position = tuple[float, float]


def force_layout(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, Position]:
    """Fruchterman-Reingold with a grid for repulsion (their own variant), seeded."""
    order = sorted(set(nodes))
    if not order:
        return {}
    index = {n: i for i, n in enumerate(order)}
    links = sorted(
        {
            tuple(sorted((index[a], index[b])))
            for a, b in edges
            if a != b and a in index and b in index
        }
    )
    n = len(order)
    rng = random.Random(SEED)
    side = SPACING * math.sqrt(n)
    if n <= SMALL:
        xs = [rng.uniform(-side / 2, side / 2) for _ in order]
        ys = [rng.uniform(-side / 2, side / 2) for _ in order]
        iterations, temperature = 300, side / 8
    else:  # a start near the answer, so that a few steps settle it (the steps are the cost)
        xs, ys = _radial_start(n, links)
        iterations, temperature = (40 if n <= 600 else 16), SPACING * 2
    start_temperature = temperature
    k = SPACING
    for step in range(iterations):
        dx, dy = _repulsion(xs, ys, k)
        for a, b in links:
            ex, ey = xs[a] - xs[b], ys[a] - ys[b]
            dist = math.hypot(ex, ey) or 0.01
            pull = dist * dist / k
            fx, fy = ex / dist * pull, ey / dist * pull
            dx[a] -= fx
            dy[a] -= fy
            dx[b] += fx
            dy[b] += fy
        for i in range(n):  # gravity keeps separate components near each other
            dx[i] -= xs[i] * 0.02 * k / SPACING
            dy[i] -= ys[i] * 0.02 * k / SPACING
            moved = math.hypot(dx[i], dy[i]) or 0.01
            limit = min(moved, temperature)
            xs[i] += dx[i] / moved * limit
            ys[i] += dy[i] / moved * limit
        temperature = max(start_temperature * (1 - step / iterations), 1.0)
    # Stretched sideways: views are wider than tall, so the graph fills more of its frame.
    return {node: (round(xs[i] * WIDE), round(ys[i])) for node, i in index.items()}


def _radial_start(n: int, links: list[tuple[int, int]]) -> tuple[list[float], list[float]]:
    """Each connected part as rings around its best-linked node, breadth first: a node's
    ring is its distance from that centre, and its angle follows its parent's, so neighbours
    start near each other. Parts sit side by side, largest first."""
    near: list[list[int]] = [[] for _ in range(n)]
    for a, b in links:
        near[a].append(b)
        near[b].append(a)
    xs, ys = [0.0] * n, [0.0] * n
    seen = [False] * n
    offset = 0.0
    for centre in sorted(range(n), key=lambda i: (-len(near[i]), i)):
        if seen[centre]:
            continue
        seen[centre] = True
        rings, angle = [[centre]], {centre: 0.0}
        while rings[-1]:
            ring = []
            for node in rings[-1]:
                for other in sorted(near[node]):
                    if not seen[other]:
                        seen[other] = True
                        angle[other] = angle[node]
                        ring.append(other)
            rings.append(ring)
        radius = 0.0
        for depth, ring in enumerate(rings[1:-1] if len(rings) > 2 else [], start=1):
            radius = (
                depth
                * SPACING
                * max(1.0, len(ring) * SPACING / (2 * math.pi * depth * SPACING * 2))
            )
            ring.sort(key=lambda i: (angle[i], i))
            for place, node in enumerate(ring):
                angle[node] = 2 * math.pi * place / len(ring)
                xs[node] = offset + radius + radius * math.cos(angle[node])
                ys[node] = radius * math.sin(angle[node])
        xs[centre] = offset + radius
        offset += 2 * radius + 2 * SPACING
    shift = offset / 2
    return [x - shift for x in xs], ys


def _repulsion(xs: list[float], ys: list[float], k: float) -> tuple[list[float], list[float]]:
    """Repulsion k²/d between nodes closer than 2k, found through a grid of 2k cells (as
    (dx, dy) = (ex, ey) k²/d², which spares a square root per pair: this loop is the cost).
    Each pair is met once and pushes both its nodes: a cell with itself and with four of its
    eight neighbours (the other four meet it from their side)."""
    cell = 2 * k
    reach, k2 = cell * cell, k * k
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        grid[(math.floor(x / cell), math.floor(y / cell))].append(i)
    dx = [0.0] * len(xs)
    dy = [0.0] * len(xs)
    for (cx, cy), members in grid.items():
        beside = [
            j
            for key in ((cx + 1, cy - 1), (cx + 1, cy), (cx + 1, cy + 1), (cx, cy + 1))
            for j in grid.get(key, ())
        ]
        for place, i in enumerate(members):
            xi, yi = xs[i], ys[i]
            fx = fy = 0.0
            for j in members[place + 1 :] + beside:
                ex, ey = xi - xs[j], yi - ys[j]
                d2 = ex * ex + ey * ey
                if d2 < reach:
                    if d2 == 0:
                        ex, ey = (i - j) * 0.1, 0.1
                        d2 = ex * ex + ey * ey
                    push = k2 / d2
                    ex *= push
                    ey *= push
                    fx += ex
                    fy += ey
                    dx[j] -= ex
                    dy[j] -= ey
            dx[i] += fx
            dy[i] += fy
    return dx, dy


def levels(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each node's rank: the longest chain of edges above it (cycles broken by sorted order),
    so that an edge points down the page wherever it can."""
    order = sorted(set(nodes))
    parents: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(set(edges)):
        if a != b:
            parents[b].append(a)
    rank: dict[str, int] = {}
    for start in order:  # depth-first without recursion: a chain may be 1500 long
        if start in rank:
            continue
        stack = [(start, iter(parents[start]))]
        visiting = {start}
        while stack:
            node, pending = stack[-1]
            above = next((p for p in pending if p not in rank and p not in visiting), None)
            if above is not None:
                visiting.add(above)
                stack.append((above, iter(parents[above])))
                continue
            stack.pop()
            visiting.discard(node)
            rank[node] = max((rank[p] + 1 for p in parents[node] if p in rank), default=0)
    return rank


def hierarchical_layout(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]]
) -> dict[str, Position]:
    """Rows by rank, top-down along the edges; within a row, ordered by the mean position of
    the row above (the barycentre heuristic) to keep edges short and uncrossed."""
    nodes = list(nodes)
    known = set(nodes)
    edge_list = [(a, b) for a, b in edges if a != b and a in known and b in known]
    rank = levels(nodes, edge_list)
    rows: dict[int, list[str]] = defaultdict(list)
    for node in sorted(rank):
        rows[rank[node]].append(node)
    parents: dict[str, list[str]] = defaultdict(list)
    for a, b in edge_list:
        parents[b].append(a)
    slot: dict[str, float] = {}
    positions: dict[str, Position] = {}
    y = 0.0
    for level in sorted(rows):
        row = rows[level]
        if level:
            row.sort(key=lambda n: (_mean([slot[p] for p in parents[n] if p in slot]), n))
        # A rank wider than MAX_ROW wraps onto staggered lines, still below the rank above.
        lines = [row[i : i + MAX_ROW] for i in range(0, len(row), MAX_ROW)]
        for k, line in enumerate(lines):
            width = (len(line) - 1) * SPACING
            shift = SPACING / 2 if k % 2 else 0.0
            for i, node in enumerate(line):
                slot[node] = k * MAX_ROW + i - (len(row) - 1) / 2
                positions[node] = (round(i * SPACING - width / 2 + shift), round(y))
            y += LEVEL_GAP * (1 if k == len(lines) - 1 else 0.6)
    return positions


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def layout(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]], kind: str = "force"
) -> dict[str, Position]:
    """Positions for `kind` ("force" or "hierarchical")."""
    nodes, edges = list(nodes), list(edges)
    if kind == "hierarchical":
        return hierarchical_layout(nodes, edges)
    return force_layout(nodes, edges)
