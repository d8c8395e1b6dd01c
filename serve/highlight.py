"""Where each quote sits in a source's passages, as text pieces a template marks.

A quote is found as written, or with its spacing and curly quotes evened out (a quote is
verbatim, but line breaks and typography differ between a dataset file and a loaded text).
The template gets pieces of plain text, never HTML: autoescape stays in charge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EVEN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Piece:
    text: str
    quote: int | None = None  # the index of the quote this piece belongs to, if any


def _pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.translate(_EVEN).split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def mark(text: str, quotes: list[str]) -> tuple[list[Piece], set[int]]:
    """`text` cut into pieces, those inside a quote carrying its index; and which quotes
    were found. Where quotes overlap, the earlier-listed one keeps the characters."""
    even = text.translate(_EVEN)  # same length as text: one character for one
    owner: list[int | None] = [None] * len(text)
    found: set[int] = set()
    for index, quote in enumerate(quotes):
        pattern = _pattern(quote)
        if pattern is None:
            continue
        for match in pattern.finditer(even):
            found.add(index)
            for i in range(match.start(), match.end()):
                if owner[i] is None:
                    owner[i] = index
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or owner[i] != owner[start]:
            pieces.append(Piece(text[start:i], owner[start]))
            start = i
    return pieces, found
