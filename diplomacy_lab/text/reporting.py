"""Reporting words: the package's one list of the verbs that introduce what someone said or thought.

``resources/reporting_verbs.yaml`` lists every lemma with its forms, its ``kind`` (speech,
cognition, evidence) and, for the verbs a rule may trust, an evaluative ``class`` (neutral,
emphatic, distancing, ...). Every module that needs reporting verbs reads them from here:

- :func:`load_reporting_verbs`: the classed verbs as a table ``lemma, verb_class, form`` (the
  reporting-verb table of the coverage room; a user list may replace or extend it);
- :func:`speech_phrases`: the forms of the classed verbs, for the speech spans of narration and
  voices; :func:`holder_phrases`: those of the ``holder_classes`` only, for the holder rules of the
  statement extractor (both through the cue lexicon);
- :func:`word_kinds`: every word of the list with its kind, a feature of the attribution tagger.

>>> v = load_reporting_verbs()
>>> v[v["lemma"] == "say"]["form"].tolist()
['say', 'says', 'said', 'saying']
>>> word_kinds()["believes"], word_kinds()["according"]
('cognition', 'speech')
>>> "reportedly" in speech_phrases(), "said" in holder_phrases(), "urged" in holder_phrases()
(False, True, False)
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.paths import resource_path
from diplomacy_lab.text.lexicons import check_keys, load_lexicon_source
from diplomacy_lab.text.phrases import phrase_key

__all__ = ["KINDS", "REPORTING_VERBS", "VERB_COLUMNS", "WORD_COLUMNS", "holder_phrases", "load_reporting_verbs",
           "reporting_words", "speech_phrases", "word_kinds"]

REPORTING_VERBS = resource_path("reporting_verbs.yaml")
KINDS = ("speech", "cognition", "evidence")
VERB_COLUMNS = ["lemma", "verb_class", "form"]
WORD_COLUMNS = ["lemma", "kind", "verb_class", "form"]
_WHAT = "reporting-verb list"


def _parse(source) -> dict[str, tuple[str, str | None, list[str]]]:
    """lemma -> (kind, class or None, forms), validated (see :func:`_takes_things` for ``takes``)."""
    where, data = load_lexicon_source(source, _WHAT)
    check_keys(where, data, ("name", "holder_classes", "verbs"), ("verbs",))
    verbs = data["verbs"]
    if not isinstance(verbs, dict) or not verbs:
        raise ValueError(f"{where}: verbs must be a non-empty mapping of lemmas to {{class, forms}}")
    out, owner = {}, {}
    for lemma, entry in verbs.items():
        here = f"{where}: verbs.{lemma}"
        if not isinstance(lemma, str) or not lemma.strip():
            raise ValueError(f"{where}: verbs: a lemma must be a non-empty string, got {lemma!r}")
        check_keys(here, entry, ("class", "kind", "takes", "forms"), ("forms",))
        if entry.get("takes", "words") not in ("words", "thing"):
            raise ValueError(f"{here}.takes: must be 'words' or 'thing', got {entry['takes']!r}")
        cls, kind, forms = entry.get("class"), entry.get("kind", "speech"), entry["forms"]
        if cls is not None and (not isinstance(cls, str) or not cls.strip()):
            raise ValueError(f"{here}.class: must be a non-empty string, got {cls!r}")
        if kind not in KINDS:
            raise ValueError(f"{here}.kind: must be one of {list(KINDS)}, got {kind!r}")
        if isinstance(forms, str) or not isinstance(forms, list) or not forms:
            raise ValueError(f"{here}.forms: must be a non-empty list of word forms, got {forms!r}")
        for form in forms:
            if not isinstance(form, str) or not form.strip() or form.startswith("re:"):
                raise ValueError(f"{here}.forms: every form must be a plain word or phrase, got {form!r}")
            key = phrase_key(form)
            if key in owner and owner[key] != lemma:
                raise ValueError(f"{here}.forms: {form!r} is also a form of {owner[key]!r}; a form has one lemma")
            owner[key] = lemma
        out[lemma] = (kind, cls.strip() if cls else None, [" ".join(f.split()) for f in forms])
    return out


@lru_cache(maxsize=1)
def _shipped() -> tuple:
    return tuple(_parse(REPORTING_VERBS).items())


@lru_cache(maxsize=1)
def _takes_things() -> frozenset:
    """Lemmas of the shipped list marked ``takes: thing`` (their object is never someone's words)."""
    _, data = load_lexicon_source(REPORTING_VERBS, _WHAT)
    return frozenset(lemma for lemma, entry in data["verbs"].items() if entry.get("takes") == "thing")


@lru_cache(maxsize=1)
def _holder_classes() -> frozenset:
    _, data = load_lexicon_source(REPORTING_VERBS, _WHAT)
    classes = data.get("holder_classes") or []
    known = {cls for _, (_, cls, _) in _shipped() if cls}
    unknown = sorted(set(classes) - known)
    if unknown:
        raise ValueError(f"{_WHAT} {REPORTING_VERBS}: holder_classes {unknown} are not classes of any verb")
    return frozenset(classes)


def reporting_words() -> pd.DataFrame:
    """Every word of the shipped list, one row per form: ``lemma, kind, verb_class, form``
    (``verb_class`` is missing for the words only the attribution tagger uses).

    >>> w = reporting_words()
    >>> row = w[w["form"] == "reportedly"].iloc[0]
    >>> row["kind"], pd.isna(row["verb_class"])
    ('speech', True)
    """
    rows = [(lemma, kind, cls, form) for lemma, (kind, cls, forms) in _shipped() for form in forms]
    return pd.DataFrame(rows, columns=WORD_COLUMNS)


@lru_cache(maxsize=1)
def speech_phrases() -> tuple[str, ...]:
    """The forms of the classed verbs that take someone's words (not ``takes: thing``), in file order."""
    things = _takes_things()
    return tuple(form for lemma, (_, cls, forms) in _shipped() if cls and lemma not in things for form in forms)


@lru_cache(maxsize=1)
def holder_phrases() -> tuple[str, ...]:
    """The forms of the verbs of the list's ``holder_classes``: verbs whose speaker may follow
    them ('..., said Macron') or frame a "that" clause, and whose object is not a speaker."""
    classes, things = _holder_classes(), _takes_things()
    return tuple(form for lemma, (_, cls, forms) in _shipped() if cls in classes and lemma not in things
                 for form in forms)


@lru_cache(maxsize=1)
def word_kinds() -> dict[str, str]:
    """Lower-cased word -> kind, for every single word of the list and the first word of every
    multi-word form ("according" from "according to", "called" from "called for")."""
    kinds: dict[str, str] = {}
    words = [(form.lower(), kind) for _, (kind, _, forms) in _shipped() for form in forms]
    for form, kind in words:  # single words first: they win over the first word of a phrase
        if " " not in form:
            kinds.setdefault(form, kind)
    for form, kind in words:
        kinds.setdefault(form.split()[0], kind)
    return kinds


def load_reporting_verbs(source=None, extend: bool = False) -> pd.DataFrame:
    """The classed reporting verbs as a table ``lemma, verb_class, form`` (one row per form).

    ``source``: None (the shipped list), a YAML path, a dict or a table of these columns;
    ``extend=True`` adds it to the shipped list (new lemmas added, new forms appended, a given
    class replaces the shipped one). Words without a class are left out (see the list's header).

    >>> v = load_reporting_verbs({"verbs": {"opine": {"class": "neutral", "forms": ["opined"]}}}, extend=True)
    >>> v[v["lemma"] == "opine"].values.tolist()
    [['opine', 'neutral', 'opined']]
    >>> load_reporting_verbs({"verbs": {"say": {"class": "neutral", "forms": "said"}}})
    Traceback (most recent call last):
    ...
    ValueError: reporting-verb list <dict>: verbs.say.forms: must be a non-empty list of word forms, got 'said'
    """
    if isinstance(source, pd.DataFrame):
        require_columns(source, VERB_COLUMNS, _WHAT)
        data: dict = {}
        for lemma, cls, form in zip(source["lemma"], source["verb_class"], source["form"]):
            data.setdefault(lemma, {"class": cls, "forms": []})["forms"].append(form)
        source = {"verbs": data}
    verbs = dict(_shipped()) if source is None else _parse(source)
    if extend and source is not None:
        merged = {lemma: entry for lemma, entry in _shipped()}
        for lemma, (kind, cls, forms) in verbs.items():
            _, old_cls, old = merged.get(lemma, (kind, cls, []))
            merged[lemma] = (kind, cls or old_cls, old + [f for f in forms if f not in old])
        verbs = _parse({"verbs": {k: {"kind": kd, "forms": f, **({"class": c} if c else {})}
                                  for k, (kd, c, f) in merged.items()}})
    rows = [(lemma, cls, form) for lemma, (_, cls, forms) in verbs.items() if cls for form in forms]
    return pd.DataFrame(rows, columns=VERB_COLUMNS)
