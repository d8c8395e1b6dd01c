"""Read a big dataset in a child process; hand its rows back as Arrow files on disk.

Why: a load holds the validated records (about seven times the YAML, as Python objects), and
then the engine's COPY needs about as much again. In one process the two add up: one 50 MB
file peaked at 968 MB. Here the child reads, checks and makes the rows, writes each table to
an Arrow IPC file and exits, giving all its memory back, before the store is written; the
parent maps the files (they stay on disk, in the page cache) and copies them. Measured on that
file: the machine's peak (the two processes' proportional set sizes summed) 484 MB, at about
the same time as one process (docs/engine-facts.md, Memory).

The files go in a folder next to the store (`.oversight-rows-<pid>-*`), never in /tmp, which
may be memory. They are removed when the load ends; a folder whose process is gone (killed)
is removed by the next read. An error in the child is raised in the parent as it would have
been raised there (DatasetError names file:line); where `fork` is missing the dataset is read
in this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oversight.graph import bulk, collector, statements
from oversight.graph.errors import OversightError
from oversight.graph.rows import ArrowRows, RowTable
from oversight.graph.schema import Schema, schema
from oversight.loaders.dataset import DatasetError, Where, dataset_files, graph_rows, read_dataset

PREFIX = ".oversight-rows-"
# Below this much YAML the records are small enough to keep, and a process costs more than it
# saves (forking and the files: ~0.1 s). OVERSIGHT_CHILD_READ_MIN_BYTES sets another size.
CHILD_MIN_BYTES = 4 * 2**20

NodeTables = dict[str, Any]
RelTables = dict[tuple[str, str, str], Any]


@dataclass
class Rows:
    """What a load writes: the rows per table, and how many records they came from."""

    nodes: NodeTables
    relationships: RelTables
    records: int
    child: int | None = None  # the process that read them, if not this one
    seconds: dict[str, float] = field(default_factory=dict)  # read, rows (and files), as taken


class ChildFailed(OversightError):
    """The reading process ended without an answer (killed, or out of memory)."""


@contextlib.contextmanager
def dataset_rows(
    paths: list[Path], folder: Path | None, model: Schema | None = None
) -> Iterator[Rows]:
    """The rows of the dataset at `paths`, for the block: made in a child process when they
    are big and `folder` (where the store's file is) can hold their files, else here."""
    if folder is not None and worth_a_child(paths) and os.access(folder, os.W_OK | os.X_OK):
        with read_in_child(paths, folder, model) as rows:
            yield rows
    else:
        yield read_here(paths, model)


def worth_a_child(paths: list[Path]) -> bool:
    """Whether the dataset files are big enough to read in a child, and a child can fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or sys.platform != "linux":
        return False
    least = os.environ.get("OVERSIGHT_CHILD_READ_MIN_BYTES", "")
    least_bytes = int(least) if least.isdigit() else CHILD_MIN_BYTES
    return sum(_size(path) for path in dataset_files(paths)) >= least_bytes


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_here(paths: list[Path], model: Schema | None = None) -> Rows:
    """The rows made in this process (a small dataset, or no `fork`)."""
    began = time.perf_counter()
    dataset = read_dataset(paths, model, lines=False)  # an error is read again with lines
    read = time.perf_counter()
    records = len(dataset.nodes)
    nodes, rels = graph_rows(dataset, model, release=True)
    seconds = {"read": read - began, "rows": time.perf_counter() - read}
    return Rows(nodes, rels, records, seconds=seconds)


@contextlib.contextmanager
def read_in_child(paths: list[Path], folder: Path, model: Schema | None = None) -> Iterator[Rows]:
    """The rows made by a child process, as memory-mapped Arrow tables in a folder inside
    `folder`, for as long as the block runs; the folder goes when it ends."""
    model = model or schema()
    remove_strays(folder)
    work = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=folder))
    try:
        answer = _run_child(paths, work, model)
        yield _mapped(work, answer)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def remove_strays(folder: Path) -> None:
    """Folders of reads whose process is gone: a load killed while it read or wrote."""
    for stray in folder.glob(f"{PREFIX}*"):
        pid = stray.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stray, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_child(paths: list[Path], work: Path, model: Schema) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(paths, work, model, send, os.getpid()), daemon=True
    )
    try:
        # Born with Ctrl-C blocked: a SIGINT between the fork and the child's SIG_IGN would
        # interrupt multiprocessing's own start-up there (and print its traceback). One
        # that reaches this process meanwhile waits, and is raised when the mask is back.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            # Born inside the collector's pause, the child never leaves it (it exits from
            # within start()): it gives back all it made when done, and a collection would
            # only scan objects about to go (once the read's pause ended, all of them: ~0.5 s
            # at N=153). This process has the collector back as it was once start() returns.
            with collector.paused():
                child.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            send.close()
        try:
            answer: dict[str, Any] = receive.recv()
        except EOFError:
            child.join()
            raise ChildFailed(
                f"reading the dataset stopped (the reading process ended with {child.exitcode}"
                f"{', out of memory?' if child.exitcode == -9 else ''}); nothing was written"
            ) from None
        child.join()
    except BaseException:
        if child.pid is not None and child.is_alive():
            child.kill()
            child.join()
        raise
    finally:
        receive.close()
    if "dataset_error" in answer:
        path, line, message = answer["dataset_error"]
        raise DatasetError(Where(Path(path), line), message)
    if "error" in answer:
        raise OversightError(answer["error"])
    return answer


def _child(paths: list[Path], work: Path, model: Schema, send: Any, parent: int) -> None:
    """In the child: read, check, make the rows, write each table; send what was written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked for the fork
    _die_with_parent(parent)
    try:
        import pyarrow as pa

        # The system allocator gives freed buffers back: mimalloc kept ~40 MB more here.
        pa.set_memory_pool(pa.system_memory_pool())
        rows = read_here(paths, model)
        began = time.perf_counter()
        tables: list[tuple[str, Any, Any]] = [("node", k, t) for k, t in rows.nodes.items()]
        tables += [("rel", key, table) for key, table in rows.relationships.items()]
        rows.nodes, rows.relationships = {}, {}
        stored = statements.ladybug_columns(model)
        written = []
        for index, (kind, key, table) in enumerate(tables):
            tables[index] = (kind, key, None)  # its rows go once written
            name = f"{index}.arrow"
            arrow = _arrow_of(kind, key, table, stored)
            if arrow is None:  # values Arrow cannot type: the rows as they are
                name = f"{index}.pickle"
                (work / name).write_bytes(pickle.dumps(table, pickle.HIGHEST_PROTOCOL))
            else:
                _write(work / name, arrow)
            unique = bulk.unique_ids(table)
            written.append((kind, key, name, sorted(table.always), unique, len(table)))
            del table, arrow
        rows.seconds["files"] = time.perf_counter() - began
        answer = {"records": rows.records, "tables": written, "seconds": rows.seconds}
        send.send(answer | {"child": os.getpid()})
    except DatasetError as error:
        send.send({"dataset_error": (str(error.where.path), error.where.line, error.message)})
    except OversightError as error:
        send.send({"error": str(error)})
    except OSError as error:  # writing the rows' files: a full disk, say
        reason = os.strerror(error.errno) if error.errno else error.strerror or str(error)
        where = error.filename or work
        send.send({"error": f"{where}: cannot write the rows: {reason}; nothing saved"})
    except Exception as error:  # reported in the parent, with its kind
        send.send({"error": f"reading the dataset failed: {type(error).__name__}: {error}"})
    finally:
        send.close()


def _arrow_of(
    kind: str, key: Any, table: RowTable, stored: dict[str, list[tuple[str, str]]]
) -> Any | None:
    """The table's rows with the schema's stored columns (an older store's file may order
    them otherwise: the bulk path picks them by name)."""
    name = key if kind == "node" else key[0]
    columns = stored[name]
    if kind == "rel":
        columns = [("from_id", "STRING"), ("to_id", "STRING"), *columns]
    return bulk.arrow_table(columns, table)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the parent dies (a killed load leaves no reader
    running on): Linux's PR_SET_PDEATHSIG."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _write(path: Path, table: Any) -> None:
    import pyarrow as pa

    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _mapped(work: Path, answer: dict[str, Any]) -> Rows:
    nodes: NodeTables = {}
    rels: RelTables = {}
    for kind, key, name, always, unique, length in answer["tables"]:
        rows: Any
        if name.endswith(".pickle"):
            rows = pickle.loads((work / name).read_bytes())
        else:
            rows = ArrowRows(work / name, always, unique_ids=unique, length=length)
        if kind == "node":
            nodes[key] = rows
        else:
            rels[tuple(key)] = rows
    return Rows(nodes, rels, answer["records"], answer["child"], answer["seconds"])
