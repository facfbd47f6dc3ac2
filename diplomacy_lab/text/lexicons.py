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

from diplomacy_lab.paths import resource_path
from diplomacy_lab.text.phrases import REGEX_PREFIX, compile_phrase, phrase_key

__all__ = ["DuplicateKeyError", "check_id", "check_keys", "check_phrases", "load_lexicon_source", "read_yaml",
           "shipped_lexicon", "shipped_lexicons"]

_ID = re.compile(r"[a-z][a-z0-9_]*")


class DuplicateKeyError(ValueError):
    """A key written twice in one YAML mapping (YAML itself would keep only the last)."""


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that raises on a key repeated in a mapping."""

    id_sections: tuple[str, ...] = ()

    def construct_document(self, node):
        _check_duplicates(node, [], self.id_sections)
        return super().construct_document(node)


def _check_duplicates(node, path: list[str], id_sections: tuple[str, ...]) -> None:
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, [*path, f"[{i}]"], id_sections)
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
                _check_duplicates(value_node, [*path, key], id_sections)
            else:
                _check_duplicates(value_node, path, id_sections)


def read_yaml(path: str | Path, what: str = "file", error: type[Exception] = ValueError,
              id_sections: tuple[str, ...] = ()) -> Any:
    """The data of a UTF-8 YAML file, read safely; a repeated key, bad encoding or bad YAML raises
    ``error`` with the path in the message. Keys repeated under one of ``id_sections`` (top-level
    sections whose keys are ids) are called ids in the message.

    >>> read_yaml("no/such.yaml", "codebook")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no codebook file 'no/such.yaml'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no {what} file {str(path)!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{path}: not UTF-8 text ({e}); re-save the file as UTF-8") from None
    stream = io.StringIO(text)
    stream.name = str(path)  # PyYAML names the file in its error messages
    loader = type("_Loader", (_StrictLoader,), {"id_sections": tuple(id_sections)})
    try:
        return yaml.load(stream, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except DuplicateKeyError as e:
        raise error(f"{path}: {e}") from None
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {e}") from None


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
    FileNotFoundError: frame dictionary: no file 'no/such.yaml'
    """
    if isinstance(source, dict):
        return f"{what} <dict>", source
    if not isinstance(source, (str, Path)):
        raise TypeError(f"{what} must be a YAML path or a dict, got {type(source).__name__}")
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no file {str(source)!r}")
    where = f"{what} {path.name}"
    try:
        data = read_yaml(path, what)
    except ValueError as e:
        raise ValueError(f"{where}: {str(e).removeprefix(f'{path}: ')}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the file must hold a mapping at the top level, got {type(data).__name__}")
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
