"""YAML that remembers where each mapping and key came from, so errors can name file:line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from oversight.graph.inputs import InputError, read_file
from oversight.loaders import fastyaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A mapping with the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader (the C one where available) whose mappings are LineDicts.

    Timestamps stay strings: a date's written form is its precision (2015-07 vs 2015-07-01).
    """


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


class YamlError(Exception):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.message = path, line, message


MAX_BYTES = 64 * 1024 * 1024


def read_yaml(path: Path, *, within: Path | None = None, lines: bool = True) -> Any:
    """Parse one file; syntax and encoding errors become YamlError with the line.

    With `lines`, every mapping is a LineDict. Without, the file is read fast where that
    gives the same data (loaders/fastyaml.py), as plain dicts with no lines; a file it
    cannot vouch for is read with lines all the same. Only a regular file of at most
    MAX_BYTES is read (inside `within` if given): see graph/inputs.py.
    """
    return _parse(path, _read_text(path, within), lines=lines)


PART_CHARS = 1 << 20  # about a megabyte of text per part of a big file read without lines
_RECORD_LIST = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*-[ \t\r\n]")


def read_yaml_parts(path: Path, *, within: Path | None = None, lines: bool = True) -> Iterator[Any]:
    """The file's data in parts, each parsed when it is asked for, so a big file is never all
    Python objects at once (a 50 MB file is 380 MB of them).

    With `lines`, or for a file that is not a list of records, the one part is the whole file
    (read_yaml). Without, a list of records is cut before a record (a `-` at the start of a
    line) every PART_CHARS or so, and each part is read fast where it can be. A cut inside
    something that spans lines (a quoted text, a flow list, an alias of an earlier anchor)
    makes a part fail to parse: read_dataset then reads every file again whole, with lines,
    so an error or an answer is always the whole file's.
    """
    text = _read_text(path, within)
    if lines or len(text) <= PART_CHARS or not _RECORD_LIST.match(text):
        yield _parse(path, text, lines=lines)
        return
    start, first_line = 0, 1
    while start < len(text):
        cut = text.find("\n-", start + PART_CHARS)
        while cut != -1 and text[cut + 2 : cut + 3] not in (" ", "\t", "\r", "\n", ""):
            cut = text.find("\n-", cut + 2)
        end = len(text) if cut == -1 else cut + 1
        part = text[start:end]
        # Lines before the part are given as empty lines, so a line loader's lines are the file's.
        yield _parse(path, part, lines=False, blank_lines=first_line - 1)
        first_line += part.count("\n")
        start = end


def _read_text(path: Path, within: Path | None) -> str:
    try:
        data = read_file(
            path,
            MAX_BYTES,
            within=within,
            what="a dataset file",
            advice=": split it into several files",
        )
    except InputError as error:
        raise YamlError(path, 0, error.reason) from error
    if b"\x00" in data[:8192]:
        raise YamlError(path, 0, "not a text file (binary content)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlError(path, line, "not UTF-8 text; save the file as UTF-8") from error


def _parse(path: Path, text: str, *, lines: bool, blank_lines: int = 0) -> Any:
    if not lines:
        data = fastyaml.load(text)
        if data is not fastyaml.UNSURE:
            return data
    if blank_lines:
        text = "\n" * blank_lines + text
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        code = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        raise YamlError(
            path, line, f"YAML does not allow the control character {code}: remove it"
        ) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(path, line, f"YAML syntax: {problem}") from error
    except yaml.YAMLError as error:
        raise YamlError(path, 0, f"YAML: {error}") from error
