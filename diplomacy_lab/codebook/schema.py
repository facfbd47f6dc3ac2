"""The codebook: who can take a stance (actors) and on what (targets), with the phrases that name them.

A codebook is a YAML file (see ``data/codebooks/ukraine_2025.yaml``, whose header
documents the format) or the same structure as a dict::

    name: Ukraine war diplomacy
    actors:
      meloni: {name: Giorgia Meloni, country: Italy, gender: female,
               aliases: [Giorgia Meloni, Meloni], roles: [Italian Prime Minister]}
    targets:
      troops_to_ukraine: {label: Sending troops to Ukraine, patterns: [reassurance force]}
    facts:      # optional: events or claims a story may carry (for coverage), same keys as targets
      ceasefire_30_day: {label: The proposed 30-day ceasefire, patterns: ["re:30-day (ceasefire|truce)"]}

Phrases (aliases, roles, metonyms, patterns) are plain phrases matched case-insensitively
on word boundaries; whitespace inside a phrase matches any run of whitespace, and straight
and curly apostrophes match each other. A phrase starting with ``re:`` is a Python regular
expression, also case-insensitive, also held to word boundaries (a match cannot begin or
end inside a word), with its apostrophes normalised the same way.

Every problem raises :class:`CodebookError` naming the entry and the fix.

>>> cb = load_codebook({
...     "name": "demo",
...     "actors": {"meloni": {"name": "Giorgia Meloni", "country": "Italy", "aliases": ["Meloni"]}},
...     "targets": {"truce": {"label": "A ceasefire", "patterns": ["truce", "re:cease-?fire"]}},
... })
>>> cb.actors["meloni"].kind, cb.actors["meloni"].phrases
('person', (('Meloni', 'alias'),))
>>> load_codebook({"name": "demo", "actors": {"Meloni": {}}, "targets": {}})
Traceback (most recent call last):
...
diplomacy_lab.errors.CodebookError: <dict>: actors: the id 'Meloni' is not valid: ids are lower-case letters, digits and '_', starting with a letter (e.g. 'meloni')
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from diplomacy_lab.errors import CodebookError
from diplomacy_lab.text.grammar import proper_nouns
from diplomacy_lab.text.lexicons import read_yaml
from diplomacy_lab.text.phrases import REGEX_PREFIX, phrase_key, regex_source

__all__ = ["Actor", "Codebook", "CodebookError", "Fact", "Target", "load_codebook"]

KINDS = ("person", "government", "organisation")
GENDERS = ("female", "male")
#: Actor phrase lists and the ``via`` of their mentions.
PHRASE_LISTS = {"aliases": "alias", "roles": "role", "metonyms": "metonymy"}
TOP_KEYS = ("name", "actors", "targets", "facts")
REQUIRED_TOP_KEYS = ("name", "actors", "targets")
ACTOR_KEYS = ("name", "country", "kind", "gender", "aliases", "roles", "metonyms")
TARGET_KEYS = ("label", "description", "patterns", "anaphors", "cues")
FACT_KEYS = ("label", "description", "patterns")
CUE_POLARITIES = ("support", "oppose")

_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Actor:
    """Someone who can take a stance: a person, a government or an organisation."""

    id: str
    name: str
    country: str
    kind: str = "person"
    gender: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[tuple[str, str], ...]:
        """``(phrase, via)`` pairs: aliases, then roles, then metonyms."""
        return tuple(
            (phrase, via) for key, via in PHRASE_LISTS.items() for phrase in getattr(self, key)
        )


@dataclass(frozen=True)
class Target:
    """Something a stance is about, such as a proposal, with the patterns that name it."""

    id: str
    label: str
    description: str | None = None
    patterns: tuple[str, ...] = ()
    #: Phrases that name the target only after it was named in the same article ("the deal").
    anaphors: tuple[str, ...] = ()
    #: Extra stance cues for this target: ``(("support", phrases), ("oppose", phrases))``.
    cues: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def cue_phrases(self, polarity: str) -> tuple[str, ...]:
        """The target's own cues of ``polarity`` ("support" or "oppose")."""
        return dict(self.cues).get(polarity, ())


@dataclass(frozen=True)
class Fact(Target):
    """Something a story may report or omit (an event, a figure, a claim), with the patterns that
    name it; coverage compares which outlets carry it. Nobody takes a stance on a fact."""


@dataclass(frozen=True)
class Codebook:
    """Actors, targets and (optional) facts by id. Load with :func:`load_codebook`; do not mutate the dicts."""

    name: str
    actors: dict[str, Actor]
    targets: dict[str, Target]
    facts: dict[str, Fact] = field(default_factory=dict)
    # Derived objects (the compiled matcher of ``mentions``), built once per codebook.
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.actors.items()), tuple(self.targets.items()), tuple(self.facts.items())))

    def actors_table(self) -> pd.DataFrame:
        """One row per actor: ``actor, name, country, kind, gender, n_phrases``."""
        rows = [(a.id, a.name, a.country, a.kind, a.gender, len(a.phrases)) for a in self.actors.values()]
        table = pd.DataFrame(rows, columns=["actor", "name", "country", "kind", "gender", "n_phrases"])
        return table.astype({"n_phrases": "int64"})

    def targets_table(self) -> pd.DataFrame:
        """One row per target: ``target, label, description, n_patterns``."""
        rows = [(t.id, t.label, t.description, len(t.patterns)) for t in self.targets.values()]
        table = pd.DataFrame(rows, columns=["target", "label", "description", "n_patterns"])
        return table.astype({"n_patterns": "int64"})

    def facts_table(self) -> pd.DataFrame:
        """One row per fact: ``fact, label, description, n_patterns`` (no rows when there are none)."""
        rows = [(f.id, f.label, f.description, len(f.patterns)) for f in self.facts.values()]
        table = pd.DataFrame(rows, columns=["fact", "label", "description", "n_patterns"])
        return table.astype({"n_patterns": "int64"})

    def proper_nouns(self) -> frozenset[str]:
        """Words the codebook writes with a capital mid-sentence and never in lower case (in labels,
        descriptions, names, aliases, roles, metonyms and countries): they keep their capital when
        a label runs inside a sentence ("supporting Europe reopening dialogue")."""
        texts = [self.name]
        for a in self.actors.values():
            texts += [a.name, *a.aliases, *a.roles, *a.metonyms]
        for t in [*self.targets.values(), *self.facts.values()]:
            texts += [t.label, t.description or ""]
        countries = {a.country for a in self.actors.values() if a.country[:1].isupper()}
        return proper_nouns(texts) | countries

    def to_dict(self) -> dict:
        """The codebook as plain data: ``load_codebook(cb.to_dict()) == cb``."""
        actors = {}
        for a in self.actors.values():
            entry: dict[str, Any] = {"name": a.name, "country": a.country}
            if a.kind != "person":
                entry["kind"] = a.kind
            if a.gender is not None:
                entry["gender"] = a.gender
            for key in PHRASE_LISTS:
                if getattr(a, key):
                    entry[key] = list(getattr(a, key))
            actors[a.id] = entry
        out = {"name": self.name, "actors": actors, "targets": _entries(self.targets)}
        if self.facts:
            out["facts"] = _entries(self.facts)
        return out

    def to_yaml(self) -> str:
        """The codebook as YAML text, which ``load_codebook`` reads back to an equal codebook.

        >>> cb = load_codebook({"name": "x", "actors": {"nato": {"name": "NATO", "country": "NATO",
        ...     "kind": "organisation", "aliases": ["NATO"]}}, "targets": {"truce": {"label": "Truce",
        ...     "patterns": ["truce"]}}})
        >>> print(cb.to_yaml())
        name: x
        actors:
          nato:
            name: NATO
            country: NATO
            kind: organisation
            aliases:
            - NATO
        targets:
          truce:
            label: Truce
            patterns:
            - truce
        <BLANKLINE>
        """
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


def _entries(items: dict[str, Target]) -> dict:
    """Targets or facts as plain data."""
    out = {}
    for t in items.values():
        entry = {"label": t.label}
        if t.description is not None:
            entry["description"] = t.description
        entry["patterns"] = list(t.patterns)
        if getattr(t, "anaphors", ()):
            entry["anaphors"] = list(t.anaphors)
        if getattr(t, "cues", ()):
            entry["cues"] = {polarity: list(phrases) for polarity, phrases in t.cues}
        out[t.id] = entry
    return out


# --- validation ------------------------------------------------------------------------------


class _Checker:
    """Validation helpers that prefix every message with the source and the entry."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> CodebookError:
        return CodebookError(f"{self.source}: {where}: {message}")

    def keys(self, where: str, entry: dict, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for key in entry:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.fail(where, f"unknown key {key!r}{hint}; the allowed keys are {', '.join(allowed)}")
        missing = [k for k in required if k not in entry]
        if missing:
            raise self.fail(where, f"missing required key(s) {', '.join(missing)}")

    def text(self, where: str, value: Any, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            shown = f"a {type(value).__name__} ({value!r})" if value is not None else "empty"
            raise self.fail(where, f"must be a string, got {shown}")
        if not value.strip():
            raise self.fail(where, "is an empty string; give it a value or remove the key")
        return value.strip()

    def choice(self, where: str, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(where, f"is {value!r}; use one of {', '.join(choices)}")
        return value

    def mapping(self, where: str, value: Any, what: str) -> dict:
        if not isinstance(value, dict):
            got = "a list" if isinstance(value, list) else repr(value) if value is None else f"a {type(value).__name__}"
            raise self.fail(where, f"must be a mapping of {what}, got {got}")
        return value

    def ident(self, where: str, key: Any) -> str:
        if isinstance(key, bool):
            raise self.fail(
                where, f"the id {key!r} is a YAML boolean (yes/no/on/off/true/false read as such): quote it"
            )
        if not isinstance(key, str) or not _ID.fullmatch(key):
            raise self.fail(
                where,
                f"the id {key!r} is not valid: ids are lower-case letters, digits and '_', "
                f"starting with a letter (e.g. {_suggest_id(key)!r})",
            )
        return key

    def phrases(self, where: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            raise self.fail(where, f"must be a list, got a string: write [{value!r}] (or a YAML list)")
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of phrases, got {'nothing' if value is None else type(value).__name__}")
        if not value:
            raise self.fail(where, "is an empty list; add phrases or remove the key")
        out = []
        for i, phrase in enumerate(value):
            here = f"{where}[{i}]"
            if not isinstance(phrase, str):
                raise self.fail(here, f"{phrase!r} is not a string but {type(phrase).__name__}: quote it")
            if phrase.startswith(REGEX_PREFIX):
                body = phrase[len(REGEX_PREFIX) :]
                if not body.strip():
                    raise self.fail(here, f"{phrase!r} is an empty regular expression; write one after 're:'")
                try:
                    rx = re.compile(regex_source(body), re.IGNORECASE)
                except re.error as e:
                    raise self.fail(here, f"bad regular expression {body!r}: {e}; fix or escape it") from None
                if rx.fullmatch(""):
                    raise self.fail(here, f"the regular expression {body!r} matches empty text; make it match at least one character")
            else:
                phrase = " ".join(phrase.split())
                if not phrase:
                    raise self.fail(here, "is an empty phrase; remove it")
            out.append(phrase)
        return tuple(out)


def _suggest_id(key: Any) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "_", str(key).lower()).strip("_")
    if not suggestion or not suggestion[0].isalpha():
        suggestion = "x_" + suggestion if suggestion else "actor_1"
    return suggestion


def _parse_actor(check: _Checker, actor_id: str, entry: Any) -> Actor:
    where = f"actors.{actor_id}"
    entry = check.mapping(where, entry, "keys (name, country, aliases, ...)")
    check.keys(where, entry, ACTOR_KEYS, ("name", "country"))
    lists = {key: check.phrases(f"{where}.{key}", entry[key]) for key in PHRASE_LISTS if key in entry}
    if not lists:
        raise check.fail(where, "has no phrases: add aliases (names such as 'Meloni'), roles or metonyms")
    gender = entry.get("gender")
    return Actor(
        id=actor_id,
        name=check.text(f"{where}.name", entry["name"]),
        country=check.text(f"{where}.country", entry["country"]),
        kind=check.choice(f"{where}.kind", entry.get("kind", "person"), KINDS),
        gender=None if gender is None else check.choice(f"{where}.gender", gender, GENDERS),
        **lists,
    )


def _parse_target(check: _Checker, target_id: str, entry: Any, section: str = "targets") -> Target:
    where = f"{section}.{target_id}"
    entry = check.mapping(where, entry, "keys (label, patterns, description)")
    check.keys(where, entry, FACT_KEYS if section == "facts" else TARGET_KEYS, ("label", "patterns"))
    common = {
        "id": target_id,
        "label": check.text(f"{where}.label", entry["label"]),
        "description": check.text(f"{where}.description", entry.get("description"), optional=True),
        "patterns": check.phrases(f"{where}.patterns", entry["patterns"]),
    }
    if section == "facts":
        return Fact(**common)
    anaphors = check.phrases(f"{where}.anaphors", entry["anaphors"]) if "anaphors" in entry else ()
    cues: tuple = ()
    if "cues" in entry:
        given = check.mapping(f"{where}.cues", entry["cues"], "polarities (support, oppose) to phrase lists")
        check.keys(f"{where}.cues", given, CUE_POLARITIES, ())
        cues = tuple((polarity, check.phrases(f"{where}.cues.{polarity}", given[polarity]))
                     for polarity in CUE_POLARITIES if polarity in given)
    return Target(**common, anaphors=anaphors, cues=cues)


def _check_ambiguous(check: _Checker, actors: dict[str, Actor]) -> None:
    """A phrase may name only one actor, and appear only once in it."""
    owners: dict[str, tuple[str, str]] = {}
    for actor in actors.values():
        for key in PHRASE_LISTS:
            for phrase in getattr(actor, key):
                norm = phrase if phrase.startswith(REGEX_PREFIX) else phrase_key(phrase)
                here = (actor.id, key)
                if norm in owners:
                    other_id, other_key = owners[norm]
                    if other_id == actor.id:
                        raise check.fail(
                            f"actors.{actor.id}",
                            f"the phrase {phrase!r} is listed twice ({other_key} and {key}); keep one",
                        )
                    raise check.fail(
                        f"actors.{actor.id}.{key}",
                        f"the phrase {phrase!r} also names actors.{other_id} ({other_key}): a phrase must "
                        f"name one actor; remove it from one of them or make it longer",
                    )
                owners[norm] = here


def load_codebook(source: str | Path | dict) -> Codebook:
    """Load and check a codebook from a YAML file or a dict of the same structure.

    Raises :class:`CodebookError` (a ``ValueError``) naming the entry and the fix for any
    problem, and ``FileNotFoundError`` for a missing file.

    >>> from diplomacy_lab.paths import data_dir
    >>> cb = load_codebook(data_dir() / "codebooks" / "ukraine_2025.yaml")
    >>> cb.actors["meloni"].name, cb.actors["meloni"].gender, "troops_to_ukraine" in cb.targets
    ('Giorgia Meloni', 'female', True)
    """
    if isinstance(source, dict):
        data, label = source, "<dict>"
    elif isinstance(source, (str, Path)):
        path = Path(source).expanduser()
        data, label = read_yaml(path, "codebook", CodebookError, id_sections=("actors", "targets", "facts")), str(path)
    else:
        raise TypeError(f"load_codebook() needs a YAML path or a dict, got {type(source).__name__}")
    check = _Checker(label)
    if data is None:
        raise check.fail("top level", "the codebook is empty; it needs name, actors and targets")
    data = check.mapping("top level", data, "name, actors and targets")
    check.keys("top level", data, TOP_KEYS, REQUIRED_TOP_KEYS)
    name = check.text("name", data["name"])
    parsed = {}
    for section in TOP_KEYS[1:]:
        if section not in data:
            parsed[section] = {}
            continue
        entries = check.mapping(section, data[section], f"id -> entry ({section[:-1]} entries)")
        if not entries:
            fix = " or remove the key" if section == "facts" else ""
            raise check.fail(section, f"is empty; add at least one {section[:-1]}{fix}")
        if section == "actors":
            parsed[section] = {check.ident(section, k): _parse_actor(check, k, e) for k, e in entries.items()}
        else:
            parsed[section] = {check.ident(section, k): _parse_target(check, k, e, section) for k, e in entries.items()}
    _check_ambiguous(check, parsed["actors"])
    return Codebook(name=name, actors=parsed["actors"], targets=parsed["targets"], facts=parsed["facts"])
