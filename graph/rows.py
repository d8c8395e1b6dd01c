"""Rows for Store.load held as columns: a sequence of row dicts that costs a list per column.

A big load has hundreds of thousands of rows. As dicts they were a third of a load's peak
memory (a 50 MB dataset file: about 390 MB of rows); as columns they are a pointer per value,
and the bulk path hands the columns to Arrow without walking rows at all. Every other reader
sees the same row dicts as before: a row has a key when its value is not None, or when the
column is one of `always` (those present in every row, null or not).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from os import PathLike
from typing import Any, overload


class _Rows(Sequence[dict[str, Any]]):
    """What both kinds share: indexing and equality through `_row` and `_rows`."""

    __slots__ = ()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return self._rows(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return self._row(index)

    def _row(self, index: int) -> dict[str, Any]:
        raise NotImplementedError

    def _rows(self, index: slice) -> list[dict[str, Any]]:
        return [self._row(i) for i in range(*index.indices(len(self)))]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_Rows, list)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, like a list


class RowTable(_Rows):
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

    def __repr__(self) -> str:
        return f"RowTable({self.length} rows: {', '.join(self.columns)})"


class ArrowRows(_Rows):
    """Rows held in an Arrow table, or in an Arrow IPC file mapped only while it is read
    (made in another process, see loaders/child_read.py): the bulk path copies the table as
    it is; every other reader sees row dicts as a RowTable's, except that an empty list reads
    back as no value (Arrow holds it as null, as the store does).

    A file is mapped anew for each reading and let go after it, so a load holds the pages of
    the table being copied, not of all of them (a 50 MB dataset's tables are 121 MB)."""

    __slots__ = ("_length", "_source", "always", "unique_ids")

    def __init__(
        self,
        source: Any,
        always: Iterable[str] = (),
        unique_ids: bool = False,
        length: int | None = None,
    ) -> None:
        self._source = source  # a pyarrow Table, or the path of an Arrow IPC file
        self.always = frozenset(always)
        self.unique_ids = unique_ids  # known to hold no id twice (checked where it was made)
        self._length = self.table.num_rows if length is None else length

    @property
    def table(self) -> Any:
        """The rows as a pyarrow Table (for a file: memory-mapped until it is let go)."""
        if not self._is_file():
            return self._source
        import pyarrow as pa

        return pa.ipc.open_file(pa.memory_map(str(self._source))).read_all()

    def __len__(self) -> int:
        return int(self._length)

    def _row(self, index: int) -> dict[str, Any]:
        return self._kept(self.table.slice(index, 1).to_pylist()[0])

    def _rows(self, index: slice) -> list[dict[str, Any]]:
        start, stop, step = index.indices(len(self))
        table = self.table
        if step == 1:
            part = table.slice(start, max(stop - start, 0))
        else:
            part = table.take(list(range(start, stop, step)))
        return [self._kept(row) for row in part.to_pylist()]

    def _kept(self, row: dict[str, Any]) -> dict[str, Any]:
        always = self.always
        return {k: v for k, v in row.items() if v is not None or k in always}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for batch in self.table.to_batches():
            for row in batch.to_pylist():
                yield self._kept(row)

    def column(self, name: str) -> Iterator[Any]:
        """The values under `name`, None where a row has none: made into Python values a
        slice at a time, so a caller that only looks at each (a subset test) never holds
        them all."""
        table = self.table
        if name not in table.column_names:
            yield from [None] * len(self)
            return
        values = table.column(name)
        for start in range(0, len(values), 65536):
            yield from values.slice(start, 65536).to_pylist()

    def arrow(self, columns: list[tuple[str, Any]]) -> Any | None:
        """The table with these columns (name, Arrow type) in this order, a column it lacks
        as nulls; None when a column it has is of another type (the caller then converts
        row by row)."""
        import pyarrow as pa

        arrays = []
        table = self.table
        for name, arrow_type in columns:
            if name not in table.column_names:
                arrays.append(pa.nulls(len(self), arrow_type))
                continue
            found = table.column(name)
            if found.type != arrow_type:
                return None
            arrays.append(found)
        return pa.Table.from_arrays(arrays, names=[name for name, _ in columns])

    def __repr__(self) -> str:
        return f"ArrowRows({len(self)} rows from {self._source if self._is_file() else 'memory'})"

    def _is_file(self) -> bool:
        return isinstance(self._source, (str, PathLike))
