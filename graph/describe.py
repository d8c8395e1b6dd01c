"""The schema as Markdown: what `oversight schema` prints and the README embeds."""

from __future__ import annotations

from oversight.graph.schema import Property, Schema, schema


def _property(prop: Property) -> str:
    """A property as Cypher reads it; the dataset key beside it where the file says otherwise.

    A date is stored with its precision, so a reader sees both columns it can query."""
    text = f"`{prop.stored}` {prop.type.lower()}"
    if prop.choices:
        text += " (" + ", ".join(prop.choices) + ")"
    if prop.precision_column:
        text += f" + `{prop.precision_column}` (day, month, year)"
    if prop.stored != prop.name:
        text += f" [dataset key `{prop.name}`]"
    return text


def schema_markdown(model: Schema | None = None) -> str:
    model = model or schema()
    lines = [
        "## Node labels",
        "",
        "Every node has `id`, `name` (its caption), `aliases`, `description` and `basis`"
        " (primary, reported, statement, opinion: the strongest kind of source behind it)."
        " Properties are named as Cypher reads them; a dataset file's key is given where it"
        " differs.",
        "",
        "| label | id prefix | what it is | colour | properties |",
        "|---|---|---|---|---|",
    ]
    for label in model.labels:
        props = ", ".join(_property(p) for p in label.properties) or "—"
        lines.append(
            f"| {label.name} | `{label.prefix}` | {label.doc} | {label.colour} | {props} |"
        )
    lines += [
        "",
        "## Relationship types",
        "",
        "Every relationship but CITED_IN has `id`, `basis` and its citations as lists"
        " `cite_sources`, `cite_quotes`, `cite_refs`.",
        "",
        "| type | from | to | dataset key | what it means | properties |",
        "|---|---|---|---|---|---|",
    ]
    for rel in model.reltypes:
        if rel.key:
            key = f"`{rel.key}`"
        elif rel.reverse_key:
            key = f"`{rel.reverse_key}` (on the end node)"
        elif rel.name == "CITED_IN":
            key = "`cite`"
        else:
            key = "— (written by `load-documents`)"
        props = ", ".join(_property(p) for p in rel.properties if p.name != "id") or "—"
        everything = set(rel.sources) == set(model.label_names)
        sources = "any label" if everything else ", ".join(rel.sources)
        lines.append(
            f"| {rel.name} | {sources} | {', '.join(rel.targets)} | {key} | {rel.doc} | {props} |"
        )
    return "\n".join(lines) + "\n"
