"""The fast way to read a dataset file: yaml-rs (Rust), where it reads as PyYAML would.

yaml-rs parses the England-scale synthetic dataset (14 MB) about nine times faster than
PyYAML's C parser with our line-keeping constructor (loaders/yamlfile.py), but it keeps no
line numbers and, in a few corners, resolves a plain scalar differently from PyYAML's YAML
1.1: `010`, `08`, `0o17`, `_1`, `-.5`, `1e3`, `1:30`, `yes`/`no`/`on`/`off`, `=`, `<<`,
tags, several documents, line separators, control characters. So `load` gives a file's data
only when it can tell that none of those is in it; otherwise it answers UNSURE and the caller
reads the file with the line loader, which stays the reference for what a file means
(tests/test_fast_yaml.py holds the two to the same answers). Every check errs towards
UNSURE: a false alarm costs speed, never a different value.

Checks (each measured on the 14 MB England-scale dataset, all files together):
- the text: characters PyYAML refuses or reads as line breaks, document markers, directives
  and tags (regex searches, 0.1 s);
- the data yaml-rs gives: a key that is not text, and a text value or key PyYAML would read
  as a boolean, a number or a merge (`no`, `On`, `1:30`, `=`, `<<`) (a walk, 0.07 s);
- only when that data holds a number: each line a number could end, scanned for a whole
  scalar of a shape the two read differently (0.1 s).
"""

from __future__ import annotations

import re
from typing import Any, Final

UNSURE: Final = object()

# What PyYAML's reader refuses, and what it takes as a line break (\x85, \u2028, \u2029); a
# byte-order mark is allowed only first.
_CHARACTERS = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)  # documents and directives
_TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)

# Plain text PyYAML 1.1 resolves to something else (a boolean, a sexagesimal number, the
# value key, a merge).
_WORDS = frozenset(  # `true`, `null` and the like read the same in both
    ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<")
)
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")

# A number token the two read differently, as a whole scalar of one line.
_NUMBER = r"""
    [-+]?0[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?       # 010 08 007
  | [-+]?0[oO][0-7_]+                                     # 0o17
  | [-+]?_[0-9_.]*                                        # _1
  | [-+]\.[0-9_]+(?:[eE][-+]?[0-9]+)?                     # -.5
  | [-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+  # 1e3 1.5e3 .5e-3
  | [-+]?[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?          # 1:30
"""
_NUMBER_IN_LINE = re.compile(
    rf"(?:^|(?<=[\s\[{{,]))(?:{_NUMBER})(?=[ \t]*(?:$|\#|[,\]}}]|:(?:\s|$)))",
    re.VERBOSE | re.MULTILINE,
)
_WHOLE_NUMBER = re.compile(rf"(?:{_NUMBER})", re.VERBOSE)
# The last token of each line, if it is made of what those numbers are made of: searched in
# the reversed text, where a line's end is its start (a forward search for it is 4x slower).
# (Every such number ends in a digit, `_` or `.`; the pattern starts with a newline, which
# the engine finds fast, so the text searched is given one more before its first line.)
_LAST_TOKEN_REVERSED = re.compile(r"\n[ \t\r,\]}]*([0-9_.][0-9_.:eEoO+-]*)(?=[ \t\[{,\n]|\Z)")
_MID_LINE = re.compile(r"[#\[{]")  # a comment or a flow collection: scalars mid-line


def load(text: str) -> Any:
    """The file's data as PyYAML would give it (mappings as plain dicts), or UNSURE."""
    try:
        import yaml_rs
    except ImportError:  # an install without the wheel: the line loader reads everything
        return UNSURE
    text = text.removeprefix("\ufeff")
    if _CHARACTERS.search(text) or _MARKERS.search(text) or ("!" in text and _TAG.search(text)):
        return UNSURE
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any refusal: the line loader names the line
        return UNSURE
    if type(data) is not list and type(data) is not dict:  # empty, or one scalar: no dataset
        return UNSURE
    numbers = _agreeing_scalars(data)
    if numbers is None or (numbers and _risky_number(text)):
        return UNSURE
    return data


def _agreeing_scalars(data: Any) -> bool | None:
    """None if a key or text value would read differently in PyYAML; else whether any value is
    a number (whose written form decides whether the two agree)."""
    numbers = False
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            # A key that is not text is the line loader's to make text (`010:` is 8 there);
            # joining the keys fails on one.
            try:
                keys = "\n".join(item)
            except TypeError:
                return None
            if ":" in keys and any(_differs(key) for key in item):
                return None
            if not _WORDS.isdisjoint(item):
                return None
            values: Any = item.values()
        else:
            values = item
        for value in values:
            kind = type(value)
            if kind is str:
                if len(value) < 40 and (value in _WORDS or ":" in value) and _differs(value):
                    return None
            elif kind is dict or kind is list:
                stack.append(value)
            elif kind is int or kind is float:
                numbers = True
    return numbers


def _differs(text: str) -> bool:
    return text in _WORDS or (
        ":" in text and len(text) < 40 and _SEXAGESIMAL.fullmatch(text) is not None
    )


def _risky_number(text: str) -> bool:
    """Whether a whole scalar of a shape the two parsers read differently may be in the text:
    the last token of every line, and any token of a line with a comment or a flow
    collection (one spread over several lines counts as risky)."""
    for token in _LAST_TOKEN_REVERSED.finditer("\n" + text[::-1]):
        if _WHOLE_NUMBER.fullmatch(token.group(1)[::-1]):
            return True
    seen = -1
    for mark in _MID_LINE.finditer(text):
        start = text.rfind("\n", 0, mark.start()) + 1
        if start != seen:
            seen = start
            stop = text.find("\n", mark.end())
            line = text[start : stop if stop >= 0 else len(text)]
            if line.count("[") != line.count("]") or line.count("{") != line.count("}"):
                return True
            if _NUMBER_IN_LINE.search(line):
                return True
    return False
