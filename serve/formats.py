"""A result as JSON, CSV and table cells, byte for byte as the command line writes them.

The CLI's writers live in oversight/output.py, above serve/ in the layering; these are the
same few lines, and tests/test_serve.py checks every saved query's JSON and a CSV against
`oversight query run` so that the two cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from oversight.graph.result import Result, json_ready, plain
from oversight.visualise.export import spreadsheet_safe


def as_json(result: Result) -> str:
    """`oversight query run NAME --format json`: valid JSON, NaN and infinities as null."""
    records = json_ready(result.records())
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def as_csv(result: Result) -> str:
    """`--format csv`: text cells that cannot run as spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(c) for c in result.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in result.rows)
    return buffer.getvalue()


def cell(value: Any) -> str:
    """A value as a table cell: a node as (Label name), a relationship as [TYPE a -> b]."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dict):
        if "label" in value and "id" in value:
            return f"({value['label']} {value.get('name') or value['id']})"
        if "type" in value and "start" in value:
            return f"[{value['type']} {value['start']} -> {value['end']}]"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    return str(value)


def _csv_cell(value: Any) -> str:
    if isinstance(value, int | float):
        return cell(value)
    return spreadsheet_safe(cell(value))


def without(result: Result, columns: tuple[str, ...]) -> Result:
    """The result without the graph view's columns, as the CLI's table and CSV leave them."""
    keep = [i for i, c in enumerate(result.columns) if c not in columns]
    return Result(
        columns=[result.columns[i] for i in keep],
        rows=[tuple(row[i] for i in keep) for row in result.rows],
        nodes=result.nodes,
        relationships=result.relationships,
    )
