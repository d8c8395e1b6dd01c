"""Rows for Store.load held as columns: a sequence of row dicts that costs a list per column.

A big load has hundreds of thousands of rows. As dicts they were a third of a load's peak
memory (a 50 MB dataset file: about 390 MB of rows); as columns they are a pointer per value,
and the bulk path hands the columns to Arrow without walking rows at all. Every other reader
sees the same row dicts as before: a row has a key when its value is not None, or when the
column is one of `always` (those present in every row, null or not).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload


class RowTable(Sequence[dict[str, Any]]):
    """Rows as equal-length columns (name -> list of values)."""

    __slots__ = ("always", "columns", "length")

    def __init__(self, columns: dict[str, list[Any]], always: Iterable[str] = ()) -> None:
        lengths = {len(values) for values in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self.columns = columns
        self.always = frozenset(always)
        self.length = lengths.pop() if lengths else 0

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("row index out of range")
        return self._row(index)

    def _row(self, index: int) -> dict[str, Any]:
        always = self.always
        row = {}
        for name, values in self.columns.items():
            value = values[index]
            if value is not None or name in always:
                row[name] = value
        return row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        names, always = list(self.columns), self.always
        for values in zip(*self.columns.values(), strict=True):
            yield {
                name: value
                for name, value in zip(names, values, strict=True)
                if value is not None or name in always
            }

    def column(self, name: str) -> list[Any]:
        """The values under `name`, None where a row has none."""
        found = self.columns.get(name)
        return found if found is not None else [None] * self.length

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowTable):
            return len(self) == len(other) and list(self) == list(other)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, like a list

    def __repr__(self) -> str:
        return f"RowTable({self.length} rows: {', '.join(self.columns)})"
