"""YAML that remembers where each mapping and key came from, so errors can name file:line."""

from __future__ import annotations

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
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlError(path, line, "not UTF-8 text; save the file as UTF-8") from error
    if not lines:
        data = fastyaml.load(text)
        if data is not fastyaml.UNSURE:
            return data
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
