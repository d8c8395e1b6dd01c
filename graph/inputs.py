"""Input from someone else, taken within bounds: files, and values from the command line.

Files: every file a user names or a folder holds (dataset YAML, documents and their
manifests, saved queries, source texts) is read through `read_file`. A FIFO would block for
ever and a device (`/dev/zero` behind a symlink) never ends; a sparse 3 GB file would fill
memory. So only regular files of at most a given size are read, the size checked on the open
file (not the path, which could change in between), and a folder's members, and the texts a
dataset names, must resolve inside their folder: a symlink cannot reach outside what was
given.

Values: a parameter parsed from JSON text must be finite, fit in 64 bits if it is an
integer, and nest at most MAX_DEPTH deep; a 5,000-deep list would otherwise exhaust the
recursion of every function that walks it, the store's included.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from oversight.graph.errors import OversightError

MAX_DEPTH = 32  # lists and maps inside a parameter; the saved queries use 1
INT64 = (-(2**63), 2**63 - 1)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputError(OversightError):
    """A file refused before (or while) it was read: `where: reason`."""

    def __init__(self, where: object, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


# --- files ---------------------------------------------------------------------------------


def read_file(
    path: Path, limit: int, *, within: Path | None = None, what: str = "a file", advice: str = ""
) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes (inside `within` if given).

    Opened without blocking (a FIFO opens at once and is then refused), checked with fstat on
    the open descriptor, and read only up to limit + 1 bytes in case it grows meanwhile.
    """
    if within is not None:
        check_inside(path, within)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"{_kind(info.st_mode)}, not a regular file")
        too_big = f"is more than {what} may hold ({size_text(limit)}){advice}"
        if info.st_size > limit:
            raise InputError(path, f"{size_text(info.st_size)} {too_big}")
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise InputError(path, f"cannot read: {error.strerror or error}") from error
    if len(data) > limit:
        raise InputError(path, f"more than {size_text(limit)} {too_big}")
    return data


def check_inside(path: Path, folder: Path) -> Path:
    """`path` resolved (symlinks followed); InputError if that is not inside `folder`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise InputError(
            path, f"leads outside {folder} (to {resolved}); copy the file in instead of linking it"
        )
    return resolved


def folder_members(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The entries of `folder` with one of `suffixes`, sorted, folders left out.

    Anything else is kept, so a FIFO or a device named `x.yaml` is refused by `read_file`
    rather than silently skipped.
    """
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.is_dir())


def size_text(size: int) -> str:
    """`100 MiB`, `3.0 GiB`: what the messages say."""
    if size >= 2**30:
        return f"{size / 2**30:.1f} GiB"
    return f"{size / 2**20:.0f} MiB"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "something else")


# --- values --------------------------------------------------------------------------------


class ValueRefused(json.JSONDecodeError):
    """JSON that parses but is refused: too deep, not finite, past 64 bits.

    A JSONDecodeError, so that code which only knows "not JSON" still refuses it.
    """

    def __init__(self, message: str, text: str = "", position: int = 0) -> None:
        super().__init__(message, text, position)
        self.message = message


def loads(text: str) -> Any:
    """JSON text as a value within bounds; json.JSONDecodeError (ValueRefused) otherwise.

    NaN and Infinity are not JSON and fail as any other text that is not.
    """
    value, end = raw_decode(text.strip())
    if end != len(text.strip()):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def raw_decode(text: str, start: int = 0) -> tuple[Any, int]:
    """Like json.JSONDecoder().raw_decode, with the bounds of `check_value`."""
    decoder = json.JSONDecoder(parse_int=int64, parse_float=_float, parse_constant=_constant)
    try:
        value, end = decoder.raw_decode(text, start)
    except RecursionError:
        raise ValueRefused(f"nested more than {MAX_DEPTH} deep", text, start) from None
    except _NotJson as error:
        raise json.JSONDecodeError(str(error), text, start) from None
    except ValueRefused as error:
        raise ValueRefused(error.message, text, start) from None
    check_value(value)
    return value, end


def check_value(value: Any) -> None:
    """ValueRefused unless `value` nests at most MAX_DEPTH deep, its integers fit in 64 bits
    and its floats are finite; walked without recursion."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, list | tuple | dict):
            if depth >= MAX_DEPTH:
                raise ValueRefused(f"nested more than {MAX_DEPTH} deep")
            items = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in items)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and not INT64[0] <= item <= INT64[1]:
            raise ValueRefused(f"{_int_text(item)} is past the 64-bit integer range")
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueRefused(f"{item} is not a finite number")


class _NotJson(ValueError):
    """NaN, Infinity: Python's json reads them, JSON does not have them."""


def int64(text: str) -> int:
    """An integer written as text; ValueRefused past 64 bits, ValueError if not an integer."""
    digits = text.strip().lstrip("+-").lstrip("0")
    if digits.isdigit() and len(digits) > 19:  # before int(), which stops at 4,300 digits
        raise ValueRefused(f"{_clip(digits)} is past the 64-bit integer range")
    value = int(text)
    check_value(value)
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueRefused(f"{_clip(text)} is not a finite number")
    return value


def _constant(text: str) -> Any:
    raise _NotJson(f"{text} is not JSON")


def _int_text(value: int) -> str:
    """A big integer as messages show it (Python will not print one of 4,300 digits)."""
    if value.bit_length() > 4000:
        return f"an integer of {value.bit_length()} bits"
    return _clip(str(value))


def _clip(text: str, size: int = 30) -> str:
    return text if len(text) <= size else f"{text[:size]}… ({len(text)} characters)"
