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

Two kinds of actor phrase count only in context (both give the mention's ``via``):

* **dated roles**: an entry of ``roles`` may be a mapping ``{phrase: "the president", from:
  2009-01-20, to: 2017-01-19}``. The role names the actor only in articles dated inside
  ``[from, to]`` (both ends inclusive, either may be left out: open). A bound is a date
  ``YYYY-MM-DD`` or a month ``YYYY-MM`` or a year ``YYYY`` (``from`` then means its first
  day, ``to`` its last). A plain string role is undated: it holds at every date. The article
  dates come from ``find_mentions(..., dates=articles)`` (``extract_statements`` and ``Study``
  pass them): an article dated to a month or a year (``date_precision``) counts when that
  month or year overlaps the interval; an article with no date (or ``date_precision``
  "unknown") gets no dated role at all. Several actors may share a role phrase when all
  its entries are dated and no two intervals overlap ("the president": Obama, then Trump);
  where an article's month or year overlaps two holders' terms the phrase names neither
  (it would be a guess). Dated roles do not take part in coordinated roles ("French and
  British leaders"). ``via = role``.
* **speaker_only**: ``speaker_only: [Iran, Tehran]`` lists names that denote the actor only
  as a grammatical subject or speaker: "Iran insists the deal stands", "Iran has said",
  "Iran, a signatory, warned", "Iran and Russia said", '"...," said Iran'; not "sanctions
  on Iran", "talks with Iran", "Iran's minister", "the Iran deal", "Iran-backed". The rule
  (:func:`diplomacy_lab.codebook.speakers.is_speaker`) reads the words around the phrase; its
  word lists are in ``resources/english.yaml``. ``via = speaker_only``.

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

Dated roles and speaker_only phrases:

>>> cb = load_codebook({"name": "us", "targets": {"t": {"label": "T", "patterns": ["truce"]}}, "actors": {
...     "obama": {"name": "Barack Obama", "country": "US", "aliases": ["Obama"],
...               "roles": [{"phrase": "the president", "from": "2009-01", "to": "2017-01-19"}]},
...     "trump": {"name": "Donald Trump", "country": "US", "aliases": ["Trump"],
...               "roles": ["Donald J. Trump", {"phrase": "the president", "from": "2017-01-20"}]},
...     "iran": {"name": "Government of Iran", "country": "Iran", "kind": "government", "speaker_only": ["Iran"]}}})
>>> cb.actors["trump"].roles, cb.actors["trump"].dated_roles
(('Donald J. Trump',), (Role(phrase='the president', start=datetime.date(2017, 1, 20), end=None),))
>>> cb.actors["obama"].dated_roles[0].span()
'2009-01-01 to 2017-01-19'
>>> [(p, via) for p, via in cb.actors["iran"].all_phrases]
[('Iran', 'speaker_only')]
>>> load_codebook({"name": "us", "targets": {"t": {"label": "T", "patterns": ["truce"]}}, "actors": {
...     "obama": {"name": "Barack Obama", "country": "US", "roles": [{"phrase": "the president", "to": "2017-01-20"}]},
...     "trump": {"name": "Donald Trump", "country": "US", "roles": [{"phrase": "the president", "from": "2017-01-20"}]}}})
Traceback (most recent call last):
...
diplomacy_lab.errors.CodebookError: <dict>: actors.trump.roles: the role 'the president' (from 2017-01-20) overlaps the same role of actors.obama (until 2017-01-20): a role names two actors only at different dates; make the intervals not overlap (both ends are inclusive: end one the day before the other starts)
"""

from __future__ import annotations

import datetime as dt
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

__all__ = ["Actor", "Codebook", "CodebookError", "Fact", "Role", "Target", "load_codebook"]

KINDS = ("person", "government", "organisation")
GENDERS = ("female", "male")
#: Actor phrase lists that name the actor anywhere, and the ``via`` of their mentions.
PHRASE_LISTS = {"aliases": "alias", "roles": "role", "metonyms": "metonymy"}
#: The ``via`` of a speaker_only phrase's mentions (a dated role's is ``role``).
SPEAKER_ONLY = "speaker_only"
TOP_KEYS = ("name", "actors", "targets", "facts")
REQUIRED_TOP_KEYS = ("name", "actors", "targets")
ACTOR_KEYS = ("name", "country", "kind", "gender", "aliases", "roles", "metonyms", "speaker_only")
#: Keys of a dated role (an entry of ``roles`` written as a mapping).
ROLE_KEYS = ("phrase", "from", "to")
TARGET_KEYS = ("label", "description", "patterns", "anaphors", "cues")
FACT_KEYS = ("label", "description", "patterns")
CUE_POLARITIES = ("support", "oppose")

_ID = re.compile(r"[a-z][a-z0-9_]*")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class Role:
    """A role phrase that names its actor only from ``start`` to ``end`` (inclusive; None: open).

    >>> r = Role("the president", dt.date(2017, 1, 20), None)
    >>> r.covers(dt.date(2018, 5, 1), dt.date(2018, 5, 1)), r.covers(dt.date(2016, 1, 1), dt.date(2017, 1, 31))
    (True, True)
    >>> r.covers(dt.date(2016, 1, 1), dt.date(2016, 12, 31)), r.span()
    (False, 'from 2017-01-20')
    """

    phrase: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, first: dt.date, last: dt.date) -> bool:
        """Whether the role is held on some day from ``first`` to ``last`` (an article's date, to its precision)."""
        return (self.start is None or self.start <= last) and (self.end is None or first <= self.end)

    def overlaps(self, other: Role) -> bool:
        """Whether the two roles are held on a common day."""
        return self.covers(other.start or dt.date.min, other.end or dt.date.max)

    def span(self) -> str:
        """The interval as text: "2013-02-01 to 2017-02-01", "from 2017-01-20", "until 2017-01-19"."""
        if self.start and self.end:
            return f"{self.start} to {self.end}"
        return f"from {self.start}" if self.start else f"until {self.end}"

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"phrase": self.phrase}
        if self.start is not None:
            out["from"] = self.start
        if self.end is not None:
            out["to"] = self.end
        return out


@dataclass(frozen=True)
class Actor:
    """Someone who can take a stance: a person, a government or an organisation."""

    id: str
    name: str
    country: str
    kind: str = "person"
    gender: str | None = None
    aliases: tuple[str, ...] = ()
    #: The undated roles (they hold at every date); dated ones are in ``dated_roles``.
    roles: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    #: Roles that name the actor only in articles dated inside their interval.
    dated_roles: tuple[Role, ...] = ()
    #: Names that denote the actor only as a subject or speaker ("Iran said", not "sanctions on Iran").
    speaker_only: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[tuple[str, str], ...]:
        """``(phrase, via)`` pairs of the phrases that name the actor anywhere, at any date: aliases,
        then undated roles, then metonyms."""
        return tuple(
            (phrase, via) for key, via in PHRASE_LISTS.items() for phrase in getattr(self, key)
        )

    @property
    def all_phrases(self) -> tuple[tuple[str, str], ...]:
        """``(phrase, via)`` pairs of every phrase: :attr:`phrases`, then the dated roles (``role``),
        then the speaker_only phrases (``speaker_only``)."""
        return (*self.phrases, *((r.phrase, "role") for r in self.dated_roles),
                *((p, SPEAKER_ONLY) for p in self.speaker_only))


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
        """One row per actor: ``actor, name, country, kind, gender, n_phrases`` (every phrase: dated
        roles and speaker_only phrases too)."""
        rows = [(a.id, a.name, a.country, a.kind, a.gender, len(a.all_phrases)) for a in self.actors.values()]
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
        descriptions, names and every actor phrase and country): they keep their capital when
        a label runs inside a sentence ("supporting Europe reopening dialogue")."""
        texts = [self.name]
        for a in self.actors.values():
            texts += [a.name, *(phrase for phrase, _ in a.all_phrases)]
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
            if a.dated_roles:
                entry["roles"] = [*entry.get("roles", []), *(r.to_dict() for r in a.dated_roles)]
            if a.speaker_only:
                entry["speaker_only"] = list(a.speaker_only)
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
        return tuple(self.phrase(f"{where}[{i}]", phrase) for i, phrase in enumerate(value))

    def phrase(self, here: str, phrase: Any) -> str:
        """One phrase, checked (a regex compiles and cannot match empty text), with its spaces normalised."""
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
        return phrase

    def roles(self, where: str, value: Any) -> tuple[tuple[str, ...], tuple[Role, ...]]:
        """A ``roles`` list: plain phrases (undated) and mappings ``{phrase, from, to}`` (dated; one
        without dates is a plain role)."""
        if not isinstance(value, list) or not any(isinstance(item, dict) for item in value):
            return self.phrases(where, value), ()
        items = [self.role(f"{where}[{i}]", item) if isinstance(item, dict) else self.phrase(f"{where}[{i}]", item)
                 for i, item in enumerate(value)]
        return tuple(i for i in items if isinstance(i, str)), tuple(i for i in items if isinstance(i, Role))

    def role(self, here: str, entry: dict) -> Role | str:
        self.keys(here, entry, ROLE_KEYS, ("phrase",))
        phrase = self.phrase(f"{here}.phrase", entry["phrase"])
        start = self.date(f"{here}.from", entry["from"], last=False) if "from" in entry else None
        end = self.date(f"{here}.to", entry["to"], last=True) if "to" in entry else None
        if start is not None and end is not None and start > end:
            raise self.fail(here, f"from {start} is after to {end}: swap them or fix the dates")
        return phrase if start is None and end is None else Role(phrase, start, end)

    def date(self, where: str, value: Any, last: bool) -> dt.date:
        """A role bound: a date, or a month or a year (its first day for ``from``, its last for ``to``)."""
        fix = "write a date YYYY-MM-DD (e.g. 2013-02-01), a month YYYY-MM or a year YYYY"
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, bool) or value is None:
            shown = "empty" if value is None else repr(value)
            raise self.fail(where, f"is {shown}, not a date: {fix}, or remove the key")
        text = str(value).strip() if isinstance(value, (str, int)) else None
        m = _DATE.fullmatch(text) if text else None
        if m is None:
            raise self.fail(where, f"{value!r} is not a date: {fix}")
        year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
        try:
            if day:
                return dt.date(year, month, day)
            if month:
                first = dt.date(year, month, 1)
                return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) \
                    if last else first
            return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
        except ValueError as e:
            raise self.fail(where, f"{value!r} is not a date ({e}): {fix}") from None


def _suggest_id(key: Any) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "_", str(key).lower()).strip("_")
    if not suggestion or not suggestion[0].isalpha():
        suggestion = "x_" + suggestion if suggestion else "actor_1"
    return suggestion


def _parse_actor(check: _Checker, actor_id: str, entry: Any) -> Actor:
    where = f"actors.{actor_id}"
    entry = check.mapping(where, entry, "keys (name, country, aliases, ...)")
    check.keys(where, entry, ACTOR_KEYS, ("name", "country"))
    lists = {key: check.phrases(f"{where}.{key}", entry[key]) for key in PHRASE_LISTS if key in entry and key != "roles"}
    if "roles" in entry:
        lists["roles"], dated = check.roles(f"{where}.roles", entry["roles"])
        if dated:
            lists["dated_roles"] = dated
    if SPEAKER_ONLY in entry:
        lists[SPEAKER_ONLY] = check.phrases(f"{where}.{SPEAKER_ONLY}", entry[SPEAKER_ONLY])
    if not any(lists.values()):
        raise check.fail(where, "has no phrases: add aliases (names such as 'Meloni'), roles, metonyms or speaker_only")
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
    """A phrase may name only one actor, and appear only once in it; but a role whose entries are all
    dated may name several actors (or one actor several times) if no two of its intervals overlap."""
    owners: dict[str, list[tuple[str, str, Role | None]]] = {}
    for actor in actors.values():
        entries = [(phrase, key, None) for key in PHRASE_LISTS for phrase in getattr(actor, key)]
        entries += [(role.phrase, "roles", role) for role in actor.dated_roles]
        entries += [(phrase, SPEAKER_ONLY, None) for phrase in actor.speaker_only]
        for phrase, key, role in entries:
            norm = phrase if phrase.startswith(REGEX_PREFIX) else phrase_key(phrase)
            for other_id, other_key, other in owners.get(norm, ()):
                if role is not None and other is not None and not role.overlaps(other):
                    continue  # one role, held in turn
                raise _duplicate(check, actor.id, phrase, key, role, other_id, other_key, other)
            owners.setdefault(norm, []).append((actor.id, key, role))


def _duplicate(check: _Checker, actor_id: str, phrase: str, key: str, role: Role | None, other_id: str,
               other_key: str, other: Role | None) -> CodebookError:
    """The error for a phrase listed twice (see :func:`_check_ambiguous`)."""
    if role is not None and other is not None:
        if other_id == actor_id:
            return check.fail(f"actors.{actor_id}.roles", f"the role {phrase!r} is listed twice with overlapping "
                              f"dates ({other.span()} and {role.span()}); merge them or make the intervals not overlap")
        return check.fail(f"actors.{actor_id}.roles", f"the role {phrase!r} ({role.span()}) overlaps the same role "
                          f"of actors.{other_id} ({other.span()}): a role names two actors only at different dates; "
                          "make the intervals not overlap (both ends are inclusive: end one the day before the "
                          "other starts)")
    if other_id == actor_id:
        if SPEAKER_ONLY in (key, other_key) and key != other_key:
            listed = other_key if key == SPEAKER_ONLY else key
            return check.fail(f"actors.{actor_id}", f"the phrase {phrase!r} is both in {listed} (it names the actor "
                              "anywhere) and in speaker_only (only as a subject or speaker); keep it in one of them")
        return check.fail(f"actors.{actor_id}", f"the phrase {phrase!r} is listed twice ({other_key} and {key}); keep one")
    hint = ("; a role may name two actors if all its entries are dated and their intervals do not overlap"
            if role is not None or other is not None else "")
    return check.fail(
        f"actors.{actor_id}.{key}",
        f"the phrase {phrase!r} also names actors.{other_id} ({other_key}): a phrase must "
        f"name one actor; remove it from one of them or make it longer{hint}",
    )


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
