"""Lexicon and codebook files: one strict YAML reader and the checks every lexicon shares.

YAML as written by people goes wrong quietly: a key written twice keeps only the last,
``no`` becomes ``False``. :func:`read_yaml` refuses repeated keys (naming both lines) and
reads with a safe loader; :func:`load_lexicon_source` takes a path or a dict; the ``check_*``
functions validate entries and phrases (see :mod:`diplomacy_lab.text.phrases`) with messages
that name the file, the entry and the fix.

>>> load_lexicon_source({"a": 1}, "frame dictionary")
('frame dictionary <dict>', {'a': 1})
>>> check_phrases("frames.security", ["troops", "re:tanks?"])
['troops', 're:tanks?']
>>> check_id("frames", "Security")
Traceback (most recent call last):
...
ValueError: frames: the id 'Security' is not valid: use lower-case letters, digits and '_', starting with a letter (e.g. 'security')
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml

from diplomacy_lab.errors import LexiconError, MissingInputError
from diplomacy_lab.paths import resource_path
from diplomacy_lab.text.phrases import REGEX_PREFIX, compile_phrase, phrase_key

__all__ = ["MAX_YAML_DEPTH", "MAX_YAML_NODES", "DuplicateKeyError", "check_id", "check_keys", "check_phrases",
           "load_lexicon_source", "read_yaml", "shipped_lexicon", "shipped_lexicons"]

_ID = re.compile(r"[a-z][a-z0-9_]*")


class DuplicateKeyError(LexiconError):
    """A key written twice in one YAML mapping (YAML itself would keep only the last)."""


#: Limits of :func:`read_yaml`, checked before anything is built: nesting depth, and the number
#: of nodes once aliases are expanded (a "billion laughs" file names a few nodes that expand to
#: billions). Lexicons and codebooks use a few levels and a few thousand nodes.
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 200_000


class _LimitError(Exception):
    pass


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that raises on a key repeated in a mapping, on nesting deeper than
    ``max_depth`` (counted while composing, before Python's recursion limit) and on a document
    that aliases would expand past ``max_nodes`` nodes (counted on the node graph, before expansion)."""

    id_sections: tuple[str, ...] = ()
    max_depth: int = MAX_YAML_DEPTH
    max_nodes: int = MAX_YAML_NODES
    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= self.max_depth:
            mark = self.peek_event().start_mark
            raise _LimitError(f"line {mark.line + 1}: nested deeper than {self.max_depth} levels")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node):
        _check_size(node, self.max_nodes)
        _check_duplicates(node, [], self.id_sections, set())
        return super().construct_document(node)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_size(root, limit: int) -> None:
    """Raise when the document, with every alias expanded, has more than ``limit`` nodes; the
    count is made on the node graph (each node once, with memory), so it takes linear time."""
    size: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            size[key] = min(limit + 1, 1 + sum(size[id(c)] for c in _children(node)))
            if size[key] > limit:
                line = node.start_mark.line + 1
                raise _LimitError(f"line {line}: aliases expand the document past {limit:,} nodes (a 'billion "
                                  f"laughs' file?)")
            continue
        if key in size:
            continue
        if size.get(key, 0) == -1:
            raise _LimitError(f"line {node.start_mark.line + 1}: an alias refers to the node that holds it")
        size[key] = -1  # in progress
        stack.append((node, True))
        for child in _children(node):
            if size.get(id(child)) == -1:
                raise _LimitError(f"line {child.start_mark.line + 1}: an alias refers to a node that holds it")
            if id(child) not in size:
                stack.append((child, False))


def _check_duplicates(node, path: list[str], id_sections: tuple[str, ...], seen_nodes: set[int]) -> None:
    if id(node) in seen_nodes:  # an aliased node is checked once
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, [*path, f"[{i}]"], id_sections, seen_nodes)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key, line = key_node.value, key_node.start_mark.line + 1
                if key in seen:
                    where = ".".join(path) + ": " if path else ""
                    what = "id" if len(path) == 1 and path[0] in id_sections else "key"
                    raise DuplicateKeyError(
                        f"{where}the {what} {key!r} appears twice (lines {seen[key]} and {line}); "
                        f"YAML would silently keep only the last one: merge the two entries or rename one"
                    )
                seen[key] = line
                _check_duplicates(value_node, [*path, key], id_sections, seen_nodes)
            else:
                _check_duplicates(value_node, path, id_sections, seen_nodes)


def read_yaml(path: str | Path, what: str = "file", error: type[Exception] = LexiconError,
              id_sections: tuple[str, ...] = (), max_depth: int = MAX_YAML_DEPTH,
              max_nodes: int = MAX_YAML_NODES) -> Any:
    """The data of a UTF-8 YAML file, read safely; a repeated key, bad encoding, bad YAML, nesting
    deeper than ``max_depth`` or aliases expanding past ``max_nodes`` nodes raise ``error`` (a
    :class:`~diplomacy_lab.errors.LexiconError` unless given) with the path in the message; both
    limits are checked before anything is built. Keys repeated under one of ``id_sections``
    (top-level sections whose keys are ids) are called ids in the message.

    >>> read_yaml("no/such.yaml", "codebook")
    Traceback (most recent call last):
    ...
    diplomacy_lab.errors.MissingInputError: no codebook file 'no/such.yaml'
    """
    path = Path(path)
    if not path.is_file():
        raise MissingInputError(f"no {what} file {str(path)!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{path}: not UTF-8 text ({e}); re-save the file as UTF-8") from None
    stream = io.StringIO(text)
    stream.name = str(path)  # PyYAML names the file in its error messages
    loader = type("_Loader", (_StrictLoader,), {"id_sections": tuple(id_sections), "max_depth": max_depth,
                                                "max_nodes": max_nodes})
    try:
        return yaml.load(stream, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except DuplicateKeyError as e:
        raise error(f"{path}: {e}") from None
    except _LimitError as e:
        raise error(f"{path}: {e}; simplify the file, or raise max_depth/max_nodes of read_yaml") from None
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {e}") from None
    except RecursionError:
        raise error(f"{path}: nested too deeply for Python to read; simplify the file") from None


def shipped_lexicons(kind: str) -> list[str]:
    """Names of the lexicons of ``kind`` ("frames", "naming") shipped in ``resources/lexicons/KIND/``.

    >>> shipped_lexicons("frames")
    ['general', 'russia_ukraine']
    """
    folder = resource_path("lexicons", kind)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def shipped_lexicon(kind: str, name: str) -> Path:
    """The file of the shipped lexicon ``name`` of ``kind``; an unknown name lists the shipped ones.

    >>> shipped_lexicon("naming", "russia_ukraine").name
    'russia_ukraine.yaml'
    """
    names = shipped_lexicons(kind)
    if name not in names:
        raise ValueError(f"no shipped {kind} lexicon {name!r}; shipped: {names}. Or pass a YAML path or a dict")
    return resource_path("lexicons", kind, f"{name}.yaml")


def is_lexicon_name(source) -> bool:
    """A string naming a shipped lexicon rather than a file: no folder, no ``.yaml`` suffix."""
    return isinstance(source, str) and bool(_ID.fullmatch(source))


def load_lexicon_source(source: str | Path | dict, what: str) -> tuple[str, dict]:
    """Read a lexicon given as a YAML path or a dict; return ``(where, data)`` for messages.

    ``what`` names the lexicon in errors ("naming lexicon", "frame dictionary").

    >>> load_lexicon_source("no/such.yaml", "frame dictionary")
    Traceback (most recent call last):
    ...
    diplomacy_lab.errors.MissingInputError: frame dictionary: no file 'no/such.yaml'
    """
    if isinstance(source, dict):
        return f"{what} <dict>", source
    if not isinstance(source, (str, Path)):
        raise TypeError(f"{what} must be a YAML path or a dict, got {type(source).__name__}")
    path = Path(source)
    if not path.is_file():
        raise MissingInputError(f"{what}: no file {str(source)!r}")
    where = f"{what} {path.name}"
    try:
        data = read_yaml(path, what)
    except ValueError as e:
        raise LexiconError(f"{where}: {str(e).removeprefix(f'{path}: ')}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: the file must hold a mapping at the top level, got {type(data).__name__}")
    return where, data


def check_phrases(where: str, value: Any) -> list[str]:
    """A list of valid, distinct phrases, else ValueError naming ``where``."""
    if isinstance(value, str):
        raise ValueError(f"{where}: must be a list of terms, got a string: write [{value!r}]")
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of terms, got {value!r}")
    seen: dict[str, str] = {}
    for phrase in value:
        if not isinstance(phrase, str) or not phrase.strip():
            raise ValueError(f"{where}: every term must be a non-empty string, got {phrase!r}")
        try:
            compile_phrase(phrase)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        key = phrase if phrase.startswith(REGEX_PREFIX) else phrase_key(phrase)
        if key in seen:
            raise ValueError(f"{where}: the term {phrase!r} is listed twice; keep one")
        seen[key] = phrase
    return [t.strip() if not t.startswith(REGEX_PREFIX) else t for t in value]


def check_keys(where: str, entry: Any, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    """``entry`` as a mapping with only ``allowed`` keys and all ``required`` ones."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: must be a mapping with keys {list(allowed)}, got {entry!r}")
    unknown = [k for k in entry if k not in allowed]
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; allowed: {list(allowed)}")
    missing = [k for k in required if k not in entry]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")
    return entry


def check_id(where: str, key: Any) -> str:
    """An entry id: lower-case letters, digits and ``_``, starting with a letter."""
    if not isinstance(key, str) or not _ID.fullmatch(key):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", str(key).lower()).strip("_") or "entry"
        raise ValueError(
            f"{where}: the id {key!r} is not valid: use lower-case letters, digits and '_', "
            f"starting with a letter (e.g. {suggestion!r})"
        )
    return key
