"""A transparent, cue-based stance classifier: each prediction carries the cue that decided it.

The classifier reads one sentence (``text``) and a ``target`` (and optionally the
``actor`` holding the stance) and decides support / oppose / neutral from a cue lexicon
(``resources/stance_cues.yaml``, or your own):

1. the scope is the holder's clause when known (columns ``clause_start``/``clause_end``),
   else the whole text; cues inside the target or actor mention do not count;
2. the decisive cue is the one closest to the target, a strong cue's distance counting
   three quarters of a weak one's; a one-word cue right after a determiner is an
   attribute, not a stance ("a proposed coalition", "the controversial possibility");
3. a negator at most ``negation_window`` words before the cue flips it ("will not
   support"), and so does one right before the target ("no national participation in
   a military force ... is planned"); with no cue, a negated target means oppose
   ("will not be sending troops");
4. an owner of the target ("Starmer and Macron's proposal"; column ``holder`` =
   ``owner``) supports it;
5. a critic (``holder`` = ``critic``: "the Kremlin suggested that Britain's actions are
   aimed at undermining the talks") takes the stance opposite to the obstruction reported.

Nothing is learned: ``fit`` checks the input and loads the lexicon, so the classifier is an
ordinary scikit-learn estimator (clone, get/set params, pipelines). Beyond ``predict`` and
``predict_proba`` it can ``explain`` each decision: the stance, its confidence and the cue.

>>> X = pd.DataFrame({"text": ["Italy has explicitly rejected the deployment of troops.",
...                            "Italy will not be sending troops to Ukraine.",
...                            "Meloni backed the reassurance force."],
...                   "target": ["deployment of troops", "sending troops", "reassurance force"]})
>>> clf = CueStanceClassifier().fit(X)
>>> clf.predict(X).tolist()
['oppose', 'oppose', 'support']
>>> clf.explain(X)
    stance  confidence          cue
0   oppose         0.9     rejected
1   oppose         0.8  not sending
2  support         0.9       backed
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError

from diplomacy_lab.paths import resource_path
from diplomacy_lab.text.grammar import ATTRIBUTIVE_DETERMINERS
from diplomacy_lab.text.guard import compile_guarded
from diplomacy_lab.text.lexicons import read_yaml
from diplomacy_lab.text.reporting import holder_phrases, speech_phrases

STANCES = ("neutral", "oppose", "support")
_WORD = re.compile(r"\w+(?:['’]\w+)?")


def _phrase_body(phrase: str) -> str:
    return phrase[3:] if phrase.startswith("re:") else re.escape(phrase).replace(r"\ ", r"\s+")


def phrase_regex(phrase: str) -> str:
    """A lexicon phrase as a regex: ``re:`` prefix as is, else escaped, on word boundaries."""
    return rf"(?<!\w)(?:{_phrase_body(phrase)})(?!\w)"


@dataclass(frozen=True)
class Cue:
    """A cue found in a text: position, the matched words, polarity and weight."""

    start: int
    end: int
    text: str
    polarity: str  # support | oppose
    weight: float


@dataclass(frozen=True)
class CueLexicon:
    """Compiled cue lexicon: one regex per polarity and strength, negators, reporting verbs
    (``reporting`` for the holder rules, ``speech`` for speech spans), ownership nouns."""

    cues: tuple[tuple[re.Pattern, str, str], ...]  # (regex, polarity, strength)
    negators: re.Pattern
    reporting: re.Pattern
    speech: re.Pattern
    ownership: frozenset[str]
    obstruction: re.Pattern = re.compile(r"(?!)")  # never matches unless the lexicon lists some
    belief: re.Pattern = re.compile(r"(?!)")

    def find(self, text: str, strong: float, weak: float) -> list[Cue]:
        found = []
        for regex, polarity, strength in self.cues:
            for m in regex.finditer(text):
                found.append(Cue(m.start(), m.end(), m.group(0), polarity, strong if strength == "strong" else weak))
        # Where cues overlap, keep the longest ("will not accept" over "accept").
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[Cue] = []
        for cue in found:
            if kept and cue.start < kept[-1].end:
                continue
            kept.append(cue)
        return kept


def _alternation(phrases: list[str]):
    """The phrases as one regex, longest first, between one pair of word-boundary checks: the
    same matches as ``"|".join(phrase_regex(p) ...)`` (each phrase is tried in the same order
    between the same two checks), about five times faster, since a position inside a word is
    given up once instead of once per phrase. A lexicon's own ``re:`` phrases make it run under a
    time limit (:mod:`diplomacy_lab.text.guard`)."""
    bodies = "|".join(f"(?:{_phrase_body(p)})" for p in sorted(phrases, key=len, reverse=True))
    source = rf"(?<!\w)(?:{bodies})(?!\w)"
    regexes = [p for p in phrases if p.startswith("re:")]
    if regexes:
        return compile_guarded(source, re.IGNORECASE, label=", ".join(regexes))
    return re.compile(source, re.IGNORECASE)


@lru_cache(maxsize=8)
def load_cues(path: str | Path | None = None) -> CueLexicon:
    """Read and compile a cue lexicon (default: the packaged ``stance_cues.yaml``).

    The file has ``support`` and ``oppose`` (each with ``strong`` and ``weak`` lists),
    ``negators`` and ``ownership_nouns``, and optionally ``obstruction_verbs``,
    ``belief_verbs`` and ``reporting_verbs``; phrases as in codebooks. Without
    ``reporting_verbs`` (the packaged lexicon has none) the reporting verbs come from the
    package's one list (:mod:`diplomacy_lab.text.reporting`): ``reporting`` (holder rules) has
    its holder classes, ``speech`` (speech spans of narration and voices) all its classed verbs.
    A lexicon that gives its own ``reporting_verbs`` uses them for ``reporting`` and adds them to
    ``speech``.

    >>> lexicon = load_cues()
    >>> bool(lexicon.reporting.search("she reiterated")), bool(lexicon.reporting.search("it urged"))
    (True, False)
    >>> bool(lexicon.speech.search("it urged")), bool(lexicon.speech.search("it reportedly"))
    (True, False)
    """
    path = Path(path) if path else resource_path("stance_cues.yaml")
    data = read_yaml(path, "cue lexicon")  # the one strict YAML reader: repeated keys, depth and aliases checked
    lists = ("negators", "reporting_verbs", "ownership_nouns", "obstruction_verbs", "belief_verbs")
    non_text = [v for key in lists for v in (data or {}).get(key) or [] if not isinstance(v, str)]
    if non_text:
        raise ValueError(f"cue lexicon {path}: {non_text} are not strings (quote yes/no/on/off in YAML)")
    required = {"support", "oppose", "negators", "ownership_nouns"}
    missing = required - set(data or {})
    if missing:
        raise ValueError(f"cue lexicon {path} lacks {sorted(missing)}")
    cues = []
    for polarity in ("support", "oppose"):
        for strength in ("strong", "weak"):
            phrases = data[polarity].get(strength) or []
            try:
                if phrases:
                    cues.append((_alternation(phrases), polarity, strength))
            except re.error as exc:
                raise ValueError(f"cue lexicon {path}: a {polarity}/{strength} phrase is not a valid regex ({exc})") from exc
    return CueLexicon(
        cues=tuple(cues),
        negators=_alternation(data["negators"]),
        reporting=_alternation(data.get("reporting_verbs") or list(holder_phrases())),
        speech=_alternation(list(dict.fromkeys([*(data.get("reporting_verbs") or []), *speech_phrases()]))),
        ownership=frozenset(w.lower() for w in data["ownership_nouns"]),
        **{
            field: _alternation(data[key])
            for field, key in (("obstruction", "obstruction_verbs"), ("belief", "belief_verbs"))
            if data.get(key)
        },
    )




def attributive(text: str, start: int, end: int) -> bool:
    """A one-word cue right after a determiner modifies a noun: "a proposed coalition"."""
    if " " in text[start:end].strip():
        return False
    before = _WORD.findall(text[max(0, start - 12) : start])
    return bool(before) and before[-1].lower() in ATTRIBUTIVE_DETERMINERS


def _flip(polarity: str) -> str:
    return "oppose" if polarity == "support" else "support"


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _span(row, prefix: str, text: str, phrase) -> tuple[int, int] | None:
    start, end = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
    if start is not None and not pd.isna(start):
        return int(start), int(end)
    if isinstance(phrase, str) and phrase:
        m = re.search(phrase_regex(phrase), text, re.IGNORECASE)
        if m:
            return m.start(), m.end()
    return None


class CueStanceClassifier(ClassifierMixin, BaseEstimator):
    """Stance from cue words, negation scope and the holder's clause; see the module doc.

    Input: a DataFrame with ``text`` and ``target`` (the target's words in the text, or
    any label when ``target_start``/``target_end`` give its position), and optionally
    ``actor`` (or ``actor_start``/``actor_end``), ``clause_start``/``clause_end`` and
    ``holder`` (``subject``, ``speaker``, ``owner`` or ``critic``).

    Parameters
    ----------
    cues : path of a cue lexicon YAML (default: the packaged one)
    target_cues : extra cues per target id, ``{target: {"support": [...], "oppose": [...]}}`` (a
        codebook's per-target ``cues``: "decertify" opposes a deal); they count as strong cues
        for rows whose ``target`` is that id, and win over a global cue on the same words
    negation_window : words between a negator and the cue it flips
    strong, weak : confidence of a decision by a strong or a weak cue
    """

    def __init__(self, cues: str | None = None, negation_window: int = 2, strong: float = 0.9, weak: float = 0.65,
                 target_cues: dict | None = None):
        self.cues = cues
        self.target_cues = target_cues
        self.negation_window = negation_window
        self.strong = strong
        self.weak = weak

    def fit(self, X: pd.DataFrame | None = None, y=None):
        """Check the parameters (and ``X`` when given) and load the lexicon; nothing is learned
        (``y`` is ignored), so ``fit()`` with no data is fine."""
        if isinstance(self.negation_window, bool) or not isinstance(self.negation_window, int) or self.negation_window < 0:
            raise ValueError(f"negation_window must be a whole number of words >= 0, got {self.negation_window!r}")
        for name in ("strong", "weak"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.5 <= value <= 1:
                raise ValueError(f"{name} must be a confidence between 0.5 and 1, got {value!r}")
        if self.weak > self.strong:
            raise ValueError(f"weak ({self.weak}) must not exceed strong ({self.strong})")
        if X is not None:
            self._check(X)
        self.lexicon_ = load_cues(self.cues)
        self.target_lexicon_ = {
            target: [(_alternation(list(phrases)), polarity) for polarity, phrases in dict(given).items() if phrases]
            for target, given in (self.target_cues or {}).items()}
        self.classes_ = np.array(STANCES)
        return self

    @staticmethod
    def _check(X) -> None:
        if not isinstance(X, pd.DataFrame):
            raise ValueError(f"X must be a DataFrame with 'text' and 'target' columns, got {type(X).__name__}")
        missing = {"text", "target"} - set(X.columns)
        if missing:
            raise ValueError(f"X lacks the column(s) {sorted(missing)}; it needs 'text' and 'target' (optional 'actor')")

    def explain(self, X: pd.DataFrame) -> pd.DataFrame:
        """``stance, confidence, cue`` for each row of ``X`` (same index): each decision with the
        words that made it (``cue`` is "" for neutral)."""
        if not hasattr(self, "lexicon_"):

            raise NotFittedError("CueStanceClassifier is not fitted; call fit(X) first (it learns nothing)")
        self._check(X)
        rows = [self._decide_one(r) for r in X.to_dict("records")]
        return pd.DataFrame(rows, columns=["stance", "confidence", "cue"], index=X.index)

    def _decide_one(self, row: dict) -> tuple[str, float, str]:
        text = row["text"] if isinstance(row["text"], str) else ""
        target = _span(row, "target", text, row.get("target"))
        actor = _span(row, "actor", text, row.get("actor"))
        if row.get("holder") == "owner" and target is not None and actor is not None:
            return "support", round(self.strong - 0.1, 2), text[actor[0] : target[1]]
        if row.get("holder") == "critic":  # reports that someone else obstructs the target
            stance, confidence, cue = self._decide_one({**row, "holder": "subject"})
            if stance == "neutral":
                return stance, confidence, cue
            return _flip(stance), round(confidence * 0.9, 2), f"reports: {cue}"
        lo, hi = row.get("clause_start"), row.get("clause_end")
        lo = 0 if lo is None or pd.isna(lo) else int(lo)
        hi = len(text) if hi is None or pd.isna(hi) else int(hi)
        scope = text[lo:hi]
        blocked = [s for s in (target, actor) if s is not None]
        def usable(found: list[Cue]) -> list[Cue]:
            return [c for c in found if not any(_overlaps((c.start + lo, c.end + lo), b) for b in blocked)
                    and not attributive(scope, c.start, c.end)]

        own = usable([Cue(m.start(), m.end(), m.group(0), polarity, self.strong)
                      for regex, polarity in getattr(self, "target_lexicon_", {}).get(row.get("target"), ())
                      for m in regex.finditer(scope)])
        # A target's own cue outranks a global cue on the same words: a codebook can say that
        # "withdraw from" supports a troop-withdrawal target although the lexicon reads it as oppose.
        cues = own + [c for c in usable(self.lexicon_.find(scope, self.strong, self.weak))
                      if not any(_overlaps((c.start, c.end), (o.start, o.end)) for o in own)]
        anchor = target if target is not None else (lo, lo)
        if cues:
            def distance(c: Cue) -> float:
                a, b = sorted(((c.start + lo, c.end + lo), anchor))
                gap = _words(text[a[1] : b[0]]) if a[1] <= b[0] else 0
                return gap * (0.75 if c.weight >= self.strong else 1.0)

            cue = min(cues, key=lambda c: (distance(c), c.start))
            polarity, weight, words = cue.polarity, cue.weight, cue.text
            negator = self._negator_before(scope, cue.start)
            if negator is not None and not self.lexicon_.negators.search(cue.text):
                polarity, weight, words = _flip(polarity), weight * 0.95, f"{negator[0]} {cue.text}"
            # A negated target flips the cue too: "no ... participation ... is planned".
            floor = lo + cue.end if lo + cue.end <= (target[0] if target else 0) else lo  # not the cue's own negator
            target_negator = self._negator_before(text, target[0], floor=floor) if target is not None else None
            if target_negator is not None:
                polarity, weight, words = _flip(polarity), weight * 0.95, f"{target_negator[0]} ... {words}"
            return polarity, round(weight, 2), words
        if target is not None:
            negator = self._negator_before(text, target[0], floor=lo)
            if negator is not None:
                head = _WORD.findall(text[target[0] : target[1]])
                return "oppose", round(self.strong - 0.1, 2), f"{negator[0]} {head[0] if head else ''}".strip()
        return "neutral", 0.5, ""

    def _negator_before(self, text: str, pos: int, floor: int = 0) -> tuple[str, int] | None:
        """The negator (words, start) at most ``negation_window`` words before ``pos``, not before ``floor``."""
        window = text[floor:pos]
        last = None
        for m in self.lexicon_.negators.finditer(window):
            last = m
        if last is None or _words(window[last.end() :]) > self.negation_window or re.search(r"[.;:!?]", window[last.end() :]):
            return None
        return last.group(0).lower(), floor + last.start()

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """support / oppose / neutral per row."""
        return self.explain(X)["stance"].to_numpy()

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probabilities in the order of ``classes_``: the confidence for the decided stance, the rest shared."""
        decided = self.explain(X)
        proba = np.empty((len(decided), len(self.classes_)))
        for i, (stance, confidence) in enumerate(zip(decided["stance"], decided["confidence"])):
            proba[i, :] = (1 - confidence) / (len(self.classes_) - 1)
            proba[i, list(self.classes_).index(stance)] = confidence
        return proba
