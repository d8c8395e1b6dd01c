#!/usr/bin/env python3
"""Run a real Neo4j 5.26 Community server on loopback without Docker.

Neo4j comes from Maven Central (see pom.xml), the server is the tiny launcher
in src/main/java/oversight/Neo4jServer.java.  Standard library only, so the
test suite and users can call it before any venv exists.

Command line:
    python tools/neo4j/server.py start [--port N] [--data DIR] [--password P] [--wipe]
    python tools/neo4j/server.py stop  [--data DIR]
    python tools/neo4j/server.py build
    python tools/neo4j/server.py admin [--data DIR] -- database import full ...
`start` runs the server detached, prints bolt://127.0.0.1:PORT and exits;
`stop` ends it via DIR/neo4j.pid.  Port 0 (default) = a free port.  DIR
defaults to ./.neo4j; port and password also come from env NEO4J_PORT and
NEO4J_PASSWORD.  `admin` is neo4j-admin from the same jars, for a stopped DIR.

From Python (e.g. a pytest session fixture):
    import server                        # tools/neo4j on sys.path
    uri, proc = server.start(data_dir=tmp, password=None, wipe=True)
    ...                                  # bolt driver on `uri`; a password
                                         # (8+ chars) turns auth on
    server.stop(proc)                    # or server.stop(data_dir=tmp)
Without detach=True the server also exits when this Python process dies,
because it watches its stdin pipe; so a killed test run leaves no java behind.

Layout of DIR: data/ and logs/debug.log (Neo4j's own), console.log (the JVM's
stdout/stderr), neo4j.pid, neo4j.uri.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
SOURCE = HERE / "src/main/java/oversight/Neo4jServer.java"
CLASSES = HERE / "target/classes"
CLASSPATH_FILE = HERE / "target/classpath.txt"
MAIN_CLASS = "oversight.Neo4jServer"
DEFAULT_DATA = Path(".neo4j")
START_TIMEOUT = 180.0

# Always used.  The opens are those of Neo4j's own start script: without them
# the page cache and transaction-log native calls fall back to slower paths and
# warn.  JVM warnings go to stderr so stdout carries only the URI line.
JVM_BASE = [
    "-Xlog:disable",
    "-Xlog:all=warning:stderr",
    "-Dlog4j2.disable.jmx=true",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
]
# Tuned for short test runs on a shared 2-core machine: C1-only JIT readies
# Neo4j in ~5 s instead of ~10 s, Serial GC has the least overhead.  For
# long or benchmark runs replace them, e.g. NEO4J_JAVA_OPTS="-XX:+UseG1GC".
JVM_TUNING = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


class Neo4jStartError(RuntimeError):
    pass


def _java() -> str:
    # NEO4J_JAVA wins so a machine whose default java is too new (Neo4j 5.26
    # supports Java 17 and 21) can point at another JDK.
    if os.environ.get("NEO4J_JAVA"):
        return os.environ["NEO4J_JAVA"]
    if os.environ.get("JAVA_HOME"):
        return str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    return shutil.which("java") or "java"


def build(force: bool = False) -> str:
    """Compile the launcher and resolve Neo4j's jars; return the classpath.

    Maven runs only when the outputs are missing or older than their inputs,
    or a jar vanished from ~/.m2; so a second run needs neither Maven nor the
    network."""
    # Parallel test workers may all call this on a clean machine: one builds.
    (HERE / "target").mkdir(exist_ok=True)
    with open(HERE / "target" / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(force)


def _build_locked(force: bool) -> str:
    # A stamp of our own: Maven keeps classpath.txt's old mtime when the
    # content is unchanged, so its mtime cannot tell whether a build is due.
    stamp = HERE / "target" / "build.stamp"
    fresh = (
        not force
        and stamp.exists()
        and CLASSPATH_FILE.exists()
        and stamp.stat().st_mtime >= max(POM.stat().st_mtime, SOURCE.stat().st_mtime)
    )
    if fresh:
        jars = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
        fresh = all(os.path.exists(j) for j in jars)
    if not fresh:
        mvn = shutil.which("mvn")
        if not mvn:
            raise Neo4jStartError("Maven (mvn) is not installed; it is needed once to fetch Neo4j")
        r = subprocess.run(
            [mvn, "-q", "-B", "-f", str(POM), "compile"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if r.returncode != 0:
            raise Neo4jStartError("mvn compile failed:\n" + r.stdout[-4000:])
        stamp.touch()
    return str(CLASSES) + os.pathsep + CLASSPATH_FILE.read_text().strip()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _pid_alive_and_ours(pid: int) -> bool:
    # Guard against a stale pid file whose pid now belongs to someone else.
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)  # no /proc (macOS): trust the pid
            return True
        except OSError:
            return False
    return MAIN_CLASS.encode() in cmd


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "neo4j.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def start(
    port: int = 0,
    data_dir: str | os.PathLike = DEFAULT_DATA,
    password: str | None = None,
    *,
    wipe: bool = False,
    detach: bool = False,
    heap: str = "1g",
    timeout: float = START_TIMEOUT,
) -> tuple[str, subprocess.Popen]:
    """Start Neo4j; return (bolt URI, Popen) once it accepts Bolt connections.

    password None/"" = auth disabled; else user neo4j with this password
    (8 characters at least, as in any Neo4j).
    wipe deletes DIR/data and DIR/logs first.  detach=True survives this
    Python process (the CLI uses it); otherwise the server dies with it."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    old = _read_pid(data_dir)
    if old and _pid_alive_and_ours(old):
        raise Neo4jStartError(f"already running (pid {old}) for {data_dir}; stop it first")

    tuning = os.environ.get("NEO4J_JAVA_OPTS", "").split() or JVM_TUNING
    # Any -Xms silences Neo4j's "initial heap not configured" warning; a small
    # one lets the heap grow only as needed.
    cmd = [
        _java(),
        f"-Xmx{heap}",
        "-Xms128m",
        *JVM_BASE,
        *tuning,
        "-cp",
        build(),
        MAIN_CLASS,
        str(data_dir),
        str(port),
    ]
    if wipe:
        cmd.append("--wipe")
    if not detach:
        cmd.append("--exit-on-eof")
    env = dict(os.environ, NEO4J_PASSWORD=password or "")
    env.pop("NEO4J_PORT", None)  # the port is passed explicitly
    console = data_dir / "console.log"
    with open(console, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL if detach else subprocess.PIPE,
            start_new_session=detach,
        )
    (data_dir / "neo4j.pid").write_text(f"{proc.pid}\n")

    def fail(why: str) -> Neo4jStartError:
        stop(proc, data_dir)
        (data_dir / "neo4j.pid").unlink(missing_ok=True)
        tail = _tail(console) or _tail(data_dir / "logs" / "debug.log")
        lines = tail.splitlines()
        causes = [x[len("Caused by: ") :] for x in lines if x.startswith("Caused by: ")]
        causes = causes[-1:] or [x for x in lines if "Exception: " in x and x[:1].strip()][:1]
        if causes:  # the innermost cause, or else the first exception, says why
            why += "; " + causes[0]
        return Neo4jStartError(f"Neo4j did not start: {why} (log: {console})\n{tail}")

    # Java prints the URI only when the DBMS is ready; read it with a deadline.
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise fail(f"no URI after {timeout:.0f} s")
        if select.select([proc.stdout], [], [], min(left, 1.0))[0]:
            chunk = os.read(proc.stdout.fileno(), 256)
            if not chunk:
                raise fail(f"java exited with code {proc.wait()}")
            line += chunk
    uri = line.decode().strip()
    if not uri.startswith("bolt://"):
        raise fail(f"unexpected output {uri!r}")
    bound = int(uri.rsplit(":", 1)[1])
    while not _port_open(bound):
        if time.monotonic() > deadline:
            raise fail(f"port {bound} not accepting connections")
        time.sleep(0.1)
    (data_dir / "neo4j.uri").write_text(uri + "\n")
    return uri, proc


def _terminate(pid: int, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    # SIGTERM runs the JVM shutdown hook (clean checkpoint); SIGKILL only as a
    # last resort because it leaves recovery work for the next start.
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None:
            if proc.poll() is not None:
                return
        elif not _pid_alive_and_ours(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if proc is not None:
        proc.wait()


def stop(
    proc: subprocess.Popen | None = None,
    data_dir: str | os.PathLike | None = None,
    timeout: float = 60.0,
) -> bool:
    """Stop a server given its Popen (from start) or its data dir (pid file).

    Returns False if nothing was running.  Waits for the JVM to exit."""
    if proc is not None:
        if data_dir is None:  # the launcher's first argument is the data dir
            data_dir = proc.args[proc.args.index(MAIN_CLASS) + 1]
        running = proc.poll() is None
        if running:
            _terminate(proc.pid, proc, timeout)
        for pipe in (proc.stdin, proc.stdout):  # no ResourceWarning in test runs
            if pipe:
                pipe.close()
    data_dir = Path(data_dir if data_dir is not None else DEFAULT_DATA).resolve()
    if proc is None:
        pid = _read_pid(data_dir)
        running = pid is not None and _pid_alive_and_ours(pid)
        if running:
            _terminate(pid, None, timeout)
    (data_dir / "neo4j.pid").unlink(missing_ok=True)
    (data_dir / "neo4j.uri").unlink(missing_ok=True)
    return running


def admin(args: list[str], data_dir: str | os.PathLike = DEFAULT_DATA, heap: str = "1g") -> int:
    """Run neo4j-admin (org.neo4j.cli.AdminTool, shipped in the same jars)
    against DIR, which must not be in use by a running server.  E.g.
    admin(["database", "import", "full", "neo4j", "--overwrite-destination",
           "--nodes=nodes.csv", "--relationships=rels.csv"], data_dir)."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # NEO4J_HOME is what the tarball's script would set; no neo4j.conf is needed.
    env = dict(os.environ, NEO4J_HOME=str(data_dir))
    cmd = [_java(), f"-Xmx{heap}", *JVM_BASE, "-cp", build(), "org.neo4j.cli.AdminTool", *args]
    return subprocess.run(cmd, env=env).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Neo4j 5.26 Community on 127.0.0.1, from Maven Central"
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="start detached; print the bolt URI")
    s.add_argument("--port", type=int, default=int(os.environ.get("NEO4J_PORT") or 0))
    s.add_argument("--data", default=str(DEFAULT_DATA))
    s.add_argument(
        "--password",
        default=os.environ.get("NEO4J_PASSWORD"),
        help="enable auth for user neo4j (default: env NEO4J_PASSWORD; unset = auth off)",
    )
    s.add_argument("--wipe", action="store_true", help="delete the database first")
    s.add_argument("--timeout", type=float, default=START_TIMEOUT)
    t = sub.add_parser("stop", help="stop the server of --data")
    t.add_argument("--data", default=str(DEFAULT_DATA))
    sub.add_parser("build", help="only resolve jars and compile")
    m = sub.add_parser("admin", help="run neo4j-admin on a stopped --data dir; args after --")
    m.add_argument("--data", default=str(DEFAULT_DATA))
    m.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "build":
            build(force=True)
        elif a.cmd == "admin":
            return admin(a.args[1:] if a.args[:1] == ["--"] else a.args, a.data)
        elif a.cmd == "start":
            uri, proc = start(
                a.port, a.data, a.password, wipe=a.wipe, detach=True, timeout=a.timeout
            )
            proc.stdout.close()
            print(uri, flush=True)
        else:
            if not stop(data_dir=a.data):
                print(f"no Neo4j running for {a.data}", file=sys.stderr)
    except Neo4jStartError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
