"""A fake Neo4j server for fault tests: just enough Bolt 5.4 for the official Python driver.

It is not a database. It negotiates Bolt 5.4 (the driver 5.28 offers 5.0-5.8; 5.4 has LOGON
and the classic FAILURE {code, message}), accepts HELLO and checks LOGON against one user
name and password, and answers every BEGIN, RUN, PULL, COMMIT, ROLLBACK, RESET and ROUTE
with SUCCESS; every query returns one row, [1] (`RETURN 1`, or a count of 1). Faults:

- wrong credentials: FAILURE Neo.ClientError.Security.Unauthorized, then the socket closes;
- `drop_after=N`: once a connection sends BEGIN, answer N messages (BEGIN included), then
  close the socket instead of answering the next one; `drops` limits how many connections
  are dropped (None: every one);
- `mute=True`: accept connections and never answer, not even the handshake.

Only on 127.0.0.1; every connection has a socket timeout and ends when the server stops.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

VERSION = (5, 4)
SERVER_AGENT = "Neo4j/5.26.0"
REQUESTS = {
    0x01: "HELLO", 0x02: "GOODBYE", 0x0F: "RESET", 0x10: "RUN", 0x11: "BEGIN", 0x12: "COMMIT",
    0x13: "ROLLBACK", 0x2F: "DISCARD", 0x3F: "PULL", 0x54: "TELEMETRY", 0x66: "ROUTE",
    0x6A: "LOGON", 0x6B: "LOGOFF",
}  # fmt: skip
SUCCESS, RECORD, FAILURE = 0x70, 0x71, 0x7F
UNAUTHORIZED = {
    "code": "Neo.ClientError.Security.Unauthorized",
    "message": "The client is unauthorized due to authentication failure.",
}


@dataclass
class Struct:
    tag: int
    fields: list[Any]


# PackStream -------------------------------------------------------------------------------

_SIZES = (">B", ">H", ">I")  # 8, 16 and 32 bit sizes
_SIZED = {  # marker -> (kind, size format), for bytes, strings, lists and maps
    base + code: (kind, _SIZES[code])
    for base, kind in ((0xCC, "bytes"), (0xD0, "str"), (0xD4, "list"), (0xD8, "map"))
    for code in range(3)
}
_TINY = {0x80: "str", 0x90: "list", 0xA0: "map", 0xB0: "struct"}  # size in the low 4 bits
_NUMBERS = {0xC1: ">d", 0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
_CONSTANTS = {0xC0: None, 0xC2: False, 0xC3: True}


def unpack(data: bytes, i: int = 0) -> tuple[Any, int]:
    """One PackStream value from data[i:], and the index after it."""
    marker = data[i]
    i += 1
    if marker < 0x80 or marker >= 0xF0:  # tiny int
        return marker - (0x100 if marker >= 0xF0 else 0), i
    if marker in _CONSTANTS:
        return _CONSTANTS[marker], i
    if marker in _NUMBERS:
        fmt = _NUMBERS[marker]
        return struct.unpack_from(fmt, data, i)[0], i + struct.calcsize(fmt)
    if marker in _SIZED:
        kind, fmt = _SIZED[marker]
        size, i = struct.unpack_from(fmt, data, i)[0], i + struct.calcsize(fmt)
    elif marker & 0xF0 in _TINY:
        kind, size = _TINY[marker & 0xF0], marker & 0x0F
    else:
        raise ValueError(f"PackStream marker 0x{marker:02X} is not supported")
    if kind in ("bytes", "str"):
        raw = bytes(data[i : i + size])
        return (raw if kind == "bytes" else raw.decode()), i + size
    if kind == "list":
        return _unpack_list(data, i, size)
    if kind == "map":
        items, i = _unpack_list(data, i, 2 * size)
        return dict(zip(items[::2], items[1::2], strict=True)), i
    fields, end = _unpack_list(data, i + 1, size)  # a struct: tag byte, then fields
    return Struct(data[i], fields), end


def _unpack_list(data: bytes, i: int, size: int) -> tuple[list[Any], int]:
    items = []
    for _ in range(size):
        item, i = unpack(data, i)
        items.append(item)
    return items, i


def pack(value: Any) -> bytes:
    """PackStream for what the server sends: None, bool, int, str, list, dict, Struct."""
    if value is None or isinstance(value, bool):
        return {None: b"\xc0", False: b"\xc2", True: b"\xc3"}[value]
    if isinstance(value, int):
        tiny = -16 <= value < 128
        return struct.pack(">b", value) if tiny else b"\xcb" + struct.pack(">q", value)
    if isinstance(value, str):
        encoded = value.encode()
        return _header(len(encoded), 0x80, 0xD0) + encoded
    if isinstance(value, list):
        return _header(len(value), 0x90, 0xD4) + b"".join(map(pack, value))
    if isinstance(value, dict):
        body = b"".join(pack(k) + pack(v) for k, v in value.items())
        return _header(len(value), 0xA0, 0xD8) + body
    if isinstance(value, Struct):
        return bytes([0xB0 + len(value.fields), value.tag]) + b"".join(map(pack, value.fields))
    raise TypeError(f"cannot pack {type(value).__name__}")


def _header(size: int, tiny: int, sized: int) -> bytes:
    if size < 16:
        return bytes([tiny + size])
    code = 0 if size < 0x100 else 1 if size < 0x10000 else 2
    return bytes([sized + code]) + struct.pack(_SIZES[code], size)


# Bolt ------------------------------------------------------------------------------------


@dataclass
class FakeBolt:
    """The fake server; `with FakeBolt(...) as server:` listens on server.uri until the end."""

    user: str = "neo4j"
    password: str = "s3cret-Pa55"
    drop_after: int | None = None
    drops: int | None = None
    mute: bool = False
    timeout: float = 10.0  # per socket operation, so a forgotten connection ends anyway
    received: list[str] = field(default_factory=list)  # request names, all connections
    dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _open: set[socket.socket] = field(default_factory=set, repr=False)

    def __enter__(self) -> FakeBolt:
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                with fake._lock:
                    fake._open.add(self.request)
                self.request.settimeout(fake.timeout)
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as Neo4j
                try:
                    fake._serve(self.request)
                except OSError:
                    pass  # the client went away, or the server is stopping
                finally:
                    with fake._lock:
                        fake._open.discard(self.request)
                # socketserver then closes the socket: to the client, the connection drops

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()  # no new connections
        with self._lock:
            for sock in self._open:  # ends every handler's blocking read at once
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(5)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self._server.server_address[1]}"

    def _serve(self, sock: socket.socket) -> None:
        if self.mute:
            while sock.recv(4096):  # read, never answer: until closed, stopped or timed out
                pass
            return
        if not self._handshake(sock):
            return
        in_tx: int | None = None  # messages answered since this connection's first BEGIN
        while (request := _read_message(sock)) is not None:
            name = REQUESTS.get(request.tag, f"0x{request.tag:02X}")
            self.received.append(name)
            if name == "BEGIN" and in_tx is None:
                in_tx = 0
            if in_tx is not None and in_tx == self.drop_after and self._may_drop():
                return
            if name == "GOODBYE":
                return
            if name == "LOGON":
                auth = request.fields[0]
                if (auth.get("principal"), auth.get("credentials")) != (self.user, self.password):
                    _send(sock, FAILURE, UNAUTHORIZED)
                    return  # Neo4j closes the connection after a failed login
            if name == "PULL":
                _send(sock, RECORD, [1])
            _send(sock, SUCCESS, self._success(name))
            if in_tx is not None:
                in_tx += 1

    def _may_drop(self) -> bool:
        with self._lock:
            if self.drops is not None and self.dropped >= self.drops:
                return False
            self.dropped += 1
            return True

    def _handshake(self, sock: socket.socket) -> bool:
        data = _read_exactly(sock, 20)
        if data is None or data[:4] != b"\x60\x60\xb0\x17":
            return False
        for offer in range(4, 20, 4):  # [reserved, range, minor, major]; 00 00 01 FF: manifest
            _, span, minor, major = data[offer : offer + 4]
            if major == VERSION[0] and minor - span <= VERSION[1] <= minor:
                sock.sendall(bytes([0, 0, VERSION[1], VERSION[0]]))
                return True
        sock.sendall(b"\x00\x00\x00\x00")  # no version in common
        return False

    def _success(self, name: str) -> dict[str, Any]:
        if name == "HELLO":
            return {"server": SERVER_AGENT, "connection_id": "bolt-1"}
        if name == "RUN":
            return {"fields": ["1"], "t_first": 0}
        if name == "COMMIT":
            return {"bookmark": "FB:fake"}
        if name == "ROUTE":  # neo4j:// URIs: this one server does everything
            address = f"127.0.0.1:{self._server.server_address[1]}"
            servers = [{"addresses": [address], "role": r} for r in ("ROUTE", "READ", "WRITE")]
            return {"rt": {"ttl": 300, "db": "neo4j", "servers": servers}}
        return {}  # LOGON, BEGIN, PULL, DISCARD, ROLLBACK, RESET, TELEMETRY, LOGOFF


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None  # closed by the client
        data += chunk
    return data


def _read_message(sock: socket.socket) -> Struct | None:
    """One message: chunks of (size, data) up to an empty chunk; NOOP chunks are skipped."""
    message = bytearray()
    while True:  # ends: every read returns data, or None when closed, or times out
        header = _read_exactly(sock, 2)
        if header is None:
            return None
        size = struct.unpack(">H", header)[0]
        if size == 0:
            if message:
                value, _ = unpack(message)
                return value
            continue  # a NOOP (keep-alive) between messages
        chunk = _read_exactly(sock, size)
        if chunk is None:
            return None
        message += chunk


def _send(sock: socket.socket, tag: int, field: Any) -> None:
    data = pack(Struct(tag, [field]))  # SUCCESS/FAILURE {metadata}, RECORD [values]
    chunks = [data[i : i + 0xFFFF] for i in range(0, len(data), 0xFFFF)]
    sock.sendall(b"".join(struct.pack(">H", len(c)) + c for c in chunks) + b"\x00\x00")
