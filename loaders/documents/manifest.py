"""What a document is: title, kind, publisher, author, date (with its precision), from YAML.

Two places, the first found wins for a document:

- a sidecar `FILE.yaml` (or `FILE.yml`) beside the document: `letter.pdf` -> `letter.pdf.yaml`,
  a mapping of the keys below;
- a folder manifest, `corpus.yaml` or `manifest.yaml`, in the document's folder: a list of such
  mappings (or `documents:` holding the list), each naming its `file` (the format of
  `data/tower_hamlets/texts/corpus.yaml`).

Keys: `id` (`source/...`: the document's source; to attach it to a source the store already
has, such as a curated one, this is the only way besides loading the same bytes), `title`,
`kind`, `reliability`, `publisher`, `author`, `published` (or `date`), `url`, `description`
(or `about`). A date is `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or written out (`15 August 2018`,
`July 2019`), optionally followed by a note: `2019 (after the June 2019 inspection)` is the
year 2019. "unknown …" means not given, and a trailing note in parentheses is dropped from a
publisher (`Love Wapping ("LW" in the text)` is Love Wapping). Anything else is an error that
names the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oversight.graph.schema import schema
from oversight.loaders.documents.extract import DocumentError, words
from oversight.loaders.yamlfile import LineDict, YamlError, read_yaml

FOLDER_MANIFESTS = ("corpus.yaml", "corpus.yml", "manifest.yaml", "manifest.yml")
KEYS = words(
    "file id title kind reliability publisher author published date url description about notes"
)
# The reliability a kind of document has unless its manifest says otherwise.
DEFAULT_RELIABILITY = {
    "inspectorate-letter": "primary",
    "news-report": "reporting",
    "local-blog": "reporting",
    "provider-news": "reporting",
    "press-release": "statement",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?!\d)")
_WRITTEN = re.compile(
    rf"^(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({MONTH_PATTERN})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)

PreciseDate = tuple[dt.date, str]  # the date and its precision: day, month or year


@dataclass(frozen=True)
class Meta:
    """A document's description; None where the manifest says nothing (or "unknown")."""

    id: str | None = None
    title: str | None = None
    kind: str | None = None
    reliability: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: PreciseDate | None = None
    url: str | None = None
    description: str | None = None
    where: str = ""  # the manifest's file:line, or "" when there is none


def parse_date(text: str) -> PreciseDate | None:
    """The date a text starts with, at the precision written; None if it starts with none."""
    text = text.strip()
    iso = _ISO.match(text)
    if iso:
        year, month, day = iso.groups()
        precision = "day" if day else "month" if month else "year"
        try:
            return dt.date(int(year), int(month or 1), int(day or 1)), precision
        except ValueError:
            return None
    written = _WRITTEN.match(text)
    if written:
        day, month, year = written.groups()
        try:
            date = dt.date(int(year), MONTHS[month.lower()], int(day or 1))
        except ValueError:
            return None
        return date, "day" if day else "month"
    return None


def read_meta(path: Path) -> Meta:
    """The description of the document at `path` (empty if no manifest describes it)."""
    for suffix in (".yaml", ".yml"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists() or sidecar.is_symlink():
            record = _read(sidecar)
            if not isinstance(record, LineDict):
                raise DocumentError(f"{sidecar}:1: expected a mapping of title, kind, …")
            return _meta(sidecar, record)
    for name in FOLDER_MANIFESTS:
        manifest = path.parent / name
        if manifest.exists() or manifest.is_symlink():
            for record in _records(manifest):
                if str(record.get("file", "")).strip() == path.name:
                    return _meta(manifest, record)
    return Meta()


def _read(path: Path) -> Any:
    """A manifest beside the document: inside its folder, a regular file (graph/inputs.py)."""
    try:
        return read_yaml(path, within=path.parent)
    except YamlError as error:
        raise DocumentError(str(error)) from error


def _records(path: Path) -> list[LineDict]:
    content = _read(path)
    if isinstance(content, LineDict) and "documents" in content:
        content = content["documents"]
    if not isinstance(content, list):
        raise DocumentError(f"{path}:1: expected a list of documents (`- file: ...`)")
    for item in content:
        if not isinstance(item, LineDict) or "file" not in item:
            line = getattr(item, "line", 1)
            raise DocumentError(f"{path}:{line}: each document is a mapping with `file: NAME`")
    return content


def _meta(path: Path, record: LineDict) -> Meta:
    def fail(key: str, message: str) -> DocumentError:
        return DocumentError(f"{path}:{record.line_of(key)}: {message}")

    for key in record:
        if key not in KEYS:
            raise fail(key, f"unknown key '{key}' (known: {', '.join(sorted(KEYS))})")
    values = {key: _text(record.get(key)) for key in KEYS}
    source = schema().label("Source")
    choices = {prop.name: prop.choices for prop in source.properties if prop.choices}
    kind = values["kind"]
    if kind is not None:
        kind = re.sub(r"[\s_]+", "-", kind.lower())
        if kind not in choices["kind"]:
            raise fail(
                "kind", f"kind '{values['kind']}' is not one of {', '.join(choices['kind'])}"
            )
    reliability = values["reliability"]
    if reliability is not None and reliability not in choices["reliability"]:
        known = ", ".join(choices["reliability"])
        raise fail("reliability", f"reliability '{reliability}' is not one of {known}")
    published = None
    date_key = "published" if "published" in record else "date"
    if values[date_key] is not None:
        published = parse_date(values[date_key])
        if published is None:
            raise fail(
                date_key,
                f"'{values[date_key]}' is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or "
                "15 August 2018, optionally followed by a note",
            )
    source_id = values["id"]
    if source_id is not None and not source_id.startswith(source.prefix):
        raise fail("id", f"id '{source_id}' must start with '{source.prefix}'")
    return Meta(
        id=source_id,
        title=values["title"],
        kind=kind,
        reliability=reliability or DEFAULT_RELIABILITY.get(kind or ""),
        publisher=_without_note(values["publisher"]),
        author=_without_note(values["author"]),
        published=published,
        url=values["url"],
        description=values["description"] or values["about"],
        where=f"{path}:{record.line}",
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text or text.lower().startswith("unknown"):
        return None
    return text


def _without_note(value: str | None) -> str | None:
    """`Love Wapping ("LW" in the text)` -> `Love Wapping`."""
    if value is None:
        return None
    return re.sub(r"\s*\([^()]*\)\s*$", "", value).strip() or None
