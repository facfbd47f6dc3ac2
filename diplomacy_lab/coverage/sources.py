"""Every source, not only codebook actors: who is quoted, by which verb, in each outlet.

:func:`attributed_sources` takes the learned attributions (:func:`diplomacy_lab.attributions`) and
resolves each source span to a key; codebook actors become a column (``actor``), i.e. a filter
on sources rather than the only sources. :func:`source_share` and :func:`cue_verbs` count them
per outlet with 95% Wilson intervals; :func:`plot_source_share` draws the shares.

How a source span becomes a ``source`` key and a ``source_kind`` (word lists in
``resources/english.yaml``, read by :mod:`diplomacy_lab.text.grammar`):

* **named** (``person``, ``organisation``, ``country``): the longest run of capitalised words in the
  span ("of", "de", "al" ... may join them), leading titles stripped ("Russian Foreign Minister
  Sergei Lavrov" -> "Sergei Lavrov"); runs that only modify ("*U.S.* officials", "*Putin's*
  spokesman", "*European* leaders", "close to *the Kremlin*") do not count; a run ending in a title
  ("Italian Prime Minister") is a role, not a name. A run that is a country or capital
  (``country_names``) is a country, one ending in an organisation word ("Foreign Ministry") or an
  acronym ("NATO") an organisation, and so is a name of one of the corpus's outlets (``outlet``
  column: "La Repubblica reported"); else a person. A one-word person key becomes the full name
  when one name of the article (else of the whole table) ends with it ("Lavrov" -> "Sergei Lavrov").
  With a codebook, a matched actor's kind wins (government -> country).
* **anonymous**: no name, a noun of ``anonymous_sources``; the key is its label ("U.S. officials",
  "a senior official" -> "officials"; "a Kremlin spokesman" -> "spokespeople").
* **pronoun**: only pronouns. "he"/"she" are resolved to the last named person before it in the
  article (at most ``PRONOUN_REACH`` characters back): an earlier person source, or with a codebook
  a person actor's mention; a known gender (the codebook's) must agree. Unresolved pronouns and
  "they"/"it"/"we" keep a missing key.
* **description**: no name, no anonymous noun ("the president", "the ministry"): key = head noun.
* **none**: no source span ("It was reported that ...").

``actor``: the codebook actor whose mention lies in the source span (not as a possessive or after
a preposition: "Putin's spokesman", "close to the Kremlin"), or that of the resolved antecedent,
or the codebook's own pronoun resolution; missing otherwise. ``cue_lemma``/``verb_class``: the cue's
reporting-verb lemma and class (``resources/reporting_verbs.yaml``); a cue outside the list keeps
its lower-cased words and a missing class.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": [
...     "Russian Foreign Minister Sergei Lavrov said talks failed. He added that U.S. officials lied."]})
>>> attributed_sources(arts)[["source_text", "source", "source_kind", "cue_lemma"]]
                              source_text         source source_kind cue_lemma
0  Russian Foreign Minister Sergei Lavrov  Sergei Lavrov      person       say
1                                      He  Sergei Lavrov     pronoun       add
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from diplomacy_lab.attribution.api import attributions as find_attributions
from diplomacy_lab.attribution.api import regions_near
from diplomacy_lab.charts.share_bars import finish_share_axes, share_bars, stacked_share_bars
from diplomacy_lab.charts.style import annotate_figure, category_order, house_style, new_figure
from diplomacy_lab.charts.wording import tie_phrase, tied_leaders
from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.coverage.attention import add_share
from diplomacy_lab.text.grammar import (
    ANONYMOUS_SOURCES,
    COUNTRY_NAMES,
    DETERMINERS,
    NOT_NAMES,
    OBJECT_MARKERS,
    ORGANISATION_WORDS,
    OTHER_PRONOUNS,
    PRONOUN_GENDERS,
    SOURCE_TITLES,
    VERB_GAP_WORDS,
)
from diplomacy_lab.text.phrases import phrase_key
from diplomacy_lab.text.reporting import reporting_words
from diplomacy_lab.text.sentences import sentences as split_sentences

__all__ = ["SOURCE_COLUMNS", "SOURCE_KINDS", "attributed_sources", "cue_verbs", "plot_source_share", "source_share",
           "target_attributions"]

SOURCE_COLUMNS = ["doc_id", "attribution_id", "outlet", "date", "source_start", "source_end", "source_text", "source",
                  "source_kind", "actor", "cue_start", "cue_end", "cue_text", "cue_lemma", "verb_class",
                  "content_text", "kind", "confidence"]
#: Values of ``source_kind``.
SOURCE_KINDS = ("person", "organisation", "country", "anonymous", "description", "pronoun", "none")
#: How far back (characters) a "he"/"she" source looks for its named person.
PRONOUN_REACH = 1000
#: Labels of the sources without a key in :func:`source_share`.
MISSING_LABELS = {"none": "(no source)", "pronoun": "(unresolved pronoun)"}
_TOKEN = re.compile(r"[^\W\d_][\w.'’\-]*|\d[\w.,]*|[^\w\s]")
_CONNECTORS = frozenset({"of", "de", "la", "di", "von", "van", "der", "al", "bin", "el", "du", "le", "da"})
_NOT_NAMES = frozenset(w.lower() for w in NOT_NAMES)
_PRONOUNS = frozenset(PRONOUN_GENDERS) | OTHER_PRONOUNS
_COUNTRIES = frozenset(c.rstrip(".") for c in COUNTRY_NAMES)
_CLAUSE = frozenset({"who", "whom", "which", "that", "whose"})
_LINKS = frozenset({"and", "or", "nor", "but", "who", "whom", "whose", "which", "that", "as", "also"})
_KIND_OF_ACTOR = {"person": "person", "government": "country", "organisation": "organisation"}


def _bare(word: str) -> str:
    return word.rstrip(".").lower()


def _tokens(text: str) -> list[tuple[int, int, str, bool]]:
    """``(start, end, word, possessive)``; a trailing "'s" is cut off and marks a possessive."""
    out = []
    for m in _TOKEN.finditer(text):
        word, end = m.group(), m.end()
        possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
        if possessive:
            word, end = word[:-2], end - 2
        elif len(word) > 1 and word[-1] in "'’":
            word, end, possessive = word[:-1], end - 1, True
        out.append((m.start(), end, word, possessive))
    return out


def _is_capital(word: str) -> bool:
    return word[:1].isupper()


def _runs(tokens) -> list[tuple[int, int]]:
    """Token index ranges of capitalised runs, connectors allowed inside."""
    runs, i = [], 0
    while i < len(tokens):
        if not _is_capital(tokens[i][2]):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and not tokens[j - 1][3]:
            if _is_capital(tokens[j][2]):
                j += 1
            elif tokens[j][2] in _CONNECTORS and j + 1 < len(tokens) and _is_capital(tokens[j + 1][2]):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _strip_titles(words: list[str]) -> list[str]:
    """Drop leading non-names, then the titles before a name (kept when the rest is an organisation)."""
    while words and (_bare(words[0]) in _NOT_NAMES or _bare(words[0]) in DETERMINERS or _bare(words[0]) in _PRONOUNS
                     or _bare(words[0]) in ANONYMOUS_SOURCES):
        words = words[1:]
    if words and _bare(words[-1]) in SOURCE_TITLES and _bare(words[-1]) not in ORGANISATION_WORDS:
        return []  # "the Italian Prime Minister", "US President": a role, not a name
    titles = [k for k, w in enumerate(words) if _bare(w) in SOURCE_TITLES]
    if titles and titles[-1] < len(words) - 1 and _bare(words[-1]) not in ORGANISATION_WORDS:
        words = words[titles[-1] + 1:]
    if words and all(_bare(w) in SOURCE_TITLES or w in _CONNECTORS for w in words):
        return []  # "the President", "Prime Minister": a description, not a name
    return words


def _name_kind(words: list[str]) -> str:
    name = " ".join(words).rstrip(".")
    if name in _COUNTRIES:
        return "country"
    last = words[-1]
    letters = re.sub(r"[^A-Za-z]", "", last)
    if _bare(last) in ORGANISATION_WORDS or (len(words) == 1 and len(letters) >= 2 and letters.isupper()):
        return "organisation"
    return "person"


def read_source(text: str) -> tuple[str | None, str, tuple[int, int] | None]:
    """``(key, kind, (start, end) of the name in text)`` of one source span (rules in the module doc).

    >>> read_source("a senior State Department official")
    ('officials', 'anonymous', None)
    >>> read_source("Kremlin spokesman Dmitry Peskov")
    ('Dmitry Peskov', 'person', (18, 31))
    >>> read_source("sources close to the Kremlin")
    ('sources', 'anonymous', None)
    """
    if not isinstance(text, str) or not text.strip():
        return None, "none", None
    tokens = _tokens(text)
    words = [t[2] for t in tokens]
    best = None
    for i, j in _runs(tokens):
        run = words[i:j]
        kept = _strip_titles(run)
        if not kept:
            continue
        first = j - len(kept)
        after = words[j].lower() if j < len(words) else ""
        before = [w.lower() for w in words[:first] if w.lower() not in DETERMINERS]
        possessive = tokens[j - 1][3] and j < len(tokens)
        adjective = after.isalpha() and after.islower() and after not in _PRONOUNS and after not in _LINKS
        modifier = possessive or adjective or (before and before[-1] in OBJECT_MARKERS)
        if modifier:
            continue
        if best is None or len(kept) > len(best[0]):
            best = (kept, tokens[first][0], tokens[first + len(kept) - 1][1])
    if best is not None:
        kept, a, b = best
        name = text[a:b]
        if name.endswith(".") and "." not in name[:-1] and _bare(kept[-1]) not in SOURCE_TITLES:
            name, b = name[:-1], b - 1
        return " ".join(name.split()), _name_kind(kept), (a, b)
    lower = [w.lower() for w in words if w[:1].isalpha()]
    for w in lower:
        if w in ANONYMOUS_SOURCES:
            return ANONYMOUS_SOURCES[w], "anonymous", None
    if lower and all(w in _PRONOUNS for w in lower):
        return None, "pronoun", None
    head = []
    for w in lower:
        if w in OBJECT_MARKERS or w in _CLAUSE:
            break
        head.append(w)
    head = head or lower
    return (head[-1] if head else text.strip().lower()), "description", None


@lru_cache(maxsize=1)
def _verb_lookup() -> tuple[dict, int]:
    verbs = reporting_words()  # the one list, tagger-only words too (their class is missing)
    lookup = {phrase_key(f): (lemma, cls if isinstance(cls, str) else np.nan)
              for lemma, cls, f in zip(verbs["lemma"], verbs["verb_class"], verbs["form"])}
    return lookup, max(len(k.split()) for k in lookup)


def cue_lemma(cue: str) -> tuple[str, str | float]:
    """``(lemma, verb class)`` of a cue: the longest form of the package's one list of reporting verbs
    in it (the class is missing for words without one, such as "believe"); else its lower-cased words
    without leading auxiliaries and adverbs.

    >>> cue_lemma("has repeatedly warned"), cue_lemma("According to"), cue_lemma("hinted at")
    (('warn', 'alarm'), ('according to', 'neutral'), ('hint', 'tentative'))
    >>> cue_lemma("Believes"), cue_lemma("has publicly pressured")
    (('believe', nan), ('pressured', nan))
    """
    words = phrase_key(cue if isinstance(cue, str) else "").split()
    words = [w.strip(".,:;!?\"“”()") for w in words]
    words = [w for w in words if w]
    lookup, longest = _verb_lookup()
    for n in range(min(longest, len(words)), 0, -1):
        for k in range(len(words) - n + 1):
            hit = lookup.get(" ".join(words[k:k + n]))
            if hit:
                return hit
    while len(words) > 1 and (words[0] in VERB_GAP_WORDS or words[0].endswith("ly")):
        words = words[1:]  # "has proposed", "also echoed" -> the verb
    return " ".join(words), np.nan


def target_attributions(articles: pd.DataFrame, codebook=None, *, sentences: pd.DataFrame | None = None,
                        mentions: pd.DataFrame | None = None, context: int = 1, model=None) -> pd.DataFrame:
    """The attributions worth tagging: with a codebook, only the paragraphs within ``context``
    sentences of a target mention (:func:`~diplomacy_lab.attribution.api.regions_near`); without one,
    every sentence. ``sentences``/``mentions``: already computed tables, to reuse.
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    if codebook is None:
        return find_attributions(articles, model=model)
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    sents = split_sentences(articles) if sentences is None else sentences
    ments = find_mentions(sents, book) if mentions is None else mentions
    regions = regions_near(sents, ments, context=context, kind="target")
    return find_attributions(articles[articles["doc_id"].isin(set(regions["doc_id"]))], model=model, regions=regions)


def _mention_key(surface: str, via: str, name: str | None) -> str | None:
    """The key of a codebook mention: its name as written (alias), else the codebook name (role, metonym)."""
    key, kind, _ = read_source(surface)
    return key if via == "alias" and kind in ("person", "organisation", "country") else name or key


def _actor_mentions(mentions: pd.DataFrame) -> dict:
    """doc_id -> sorted ``(start, end, actor, via)`` of actor mentions."""
    out: dict = {}
    actors = mentions[mentions["kind"] == "actor"]
    for doc, s, e, actor, via in zip(actors["doc_id"], actors["start"], actors["end"], actors["id"], actors["via"]):
        out.setdefault(doc, []).append((int(s), int(e), actor, via))
    return {d: sorted(v) for d, v in out.items()}


def _modifier(text: str, span_start: int, start: int, end: int) -> bool:
    """A mention that only modifies the source: a possessive ("Putin's spokesman") or after a
    preposition inside the source span ("sources close to the Kremlin")."""
    if re.match(r"['’]s?\b", text[end:end + 2]):
        return True
    before = re.findall(r"[\w'’-]+", text[span_start:start].lower())
    while before and before[-1] in DETERMINERS:
        before.pop()
    return bool(before) and before[-1] in OBJECT_MARKERS


def attributed_sources(articles: pd.DataFrame, attributions: pd.DataFrame | None = None, codebook=None, *,
                       sentences: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                       model=None) -> pd.DataFrame:
    """One row per attribution with its source resolved (rules in the module doc).

    ``articles``: ``doc_id, text`` (``outlet``, ``date`` copied when present). ``attributions``: a
    :func:`~diplomacy_lab.attributions` table; None tags them here (:func:`target_attributions`: with
    a codebook only near target mentions, else every sentence). ``codebook`` (object, path or dict):
    fills ``actor``; ``sentences``/``mentions``: already computed tables, to reuse.
    Columns: :data:`SOURCE_COLUMNS`.

    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": [
    ...     "U.S. officials said sanctions would stay. Russia claimed the sanctions were illegal."]})
    >>> attributed_sources(arts)[["source", "source_kind", "cue_lemma", "verb_class"]].values.tolist()
    [['officials', 'anonymous', 'say', 'neutral'], ['Russia', 'country', 'claim', 'distancing']]
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    book = None if codebook is None else codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    if attributions is None:
        sents = sentences
        if book is not None and mentions is None:
            sents = split_sentences(articles) if sents is None else sents
            mentions = find_mentions(sents, book)
        attributions = target_attributions(articles, book, sentences=sents, mentions=mentions, model=model)
    require_columns(attributions, ["doc_id", "source_start", "source_end", "source_text", "cue_text"], "attributions")
    texts = dict(zip(articles["doc_id"], articles["text"].where(articles["text"].map(lambda t: isinstance(t, str)), "")))
    unknown = sorted(set(attributions["doc_id"]) - set(texts), key=str)
    if unknown:
        raise ValueError(f"attributions have {len(unknown)} doc_id(s) not in articles (e.g. {unknown[0]!r}); "
                         "pass the articles they were found in")
    if book is not None and mentions is None:
        mentions = find_mentions(split_sentences(articles) if sentences is None else sentences, book)
    if mentions is not None:
        require_columns(mentions, ["doc_id", "kind", "id", "start", "end", "via"], "mentions")
    by_doc = _actor_mentions(mentions) if mentions is not None else {}
    genders = {a.id: a.gender for a in book.actors.values()} if book is not None else {}
    kinds = {a.id: a.kind for a in book.actors.values()} if book is not None else {}
    names = {a.id: a.name for a in book.actors.values()} if book is not None else {}

    outlets = _outlet_names(articles)

    table = attributions.reset_index(drop=True)
    order = np.lexsort((table["source_start"].to_numpy(dtype=np.int64), table["doc_id"].astype(str).to_numpy()))
    rows: dict[int, tuple] = {}
    last_doc, people = None, []  # people: (position, key, actor) of named persons seen in this article
    for i in order:
        doc, s, e = table.at[i, "doc_id"], int(table.at[i, "source_start"]), int(table.at[i, "source_end"])
        if doc != last_doc:
            last_doc, people = doc, []
        key, kind, name_span = read_source(table.at[i, "source_text"])
        found = [m for m in by_doc.get(doc, ()) if s >= 0 and m[0] < e and m[1] > s]
        actor = np.nan
        if kind == "pronoun":
            word = str(table.at[i, "source_text"]).strip().lower()
            gender = PRONOUN_GENDERS.get(word)
            if gender:
                cands = [p for p in people if s - PRONOUN_REACH <= p[0] < s]
                cands += [(m[0], _mention_key(texts[doc][m[0]:m[1]], m[3], names.get(m[2])), m[2])
                          for m in by_doc.get(doc, ()) if s - PRONOUN_REACH <= m[0] < s and m[3] in ("alias", "role")
                          and kinds.get(m[2]) == "person"]
                cands = [c for c in cands if genders.get(c[2]) in (None, gender)]
                if cands:
                    _, key, actor = max(cands, key=lambda c: c[0])
            if pd.isna(actor):
                own = [m for m in found if m[3] == "pronoun"]
                if own:
                    actor = own[0][2]
                    key = key if key is not None else names.get(actor)
        else:
            direct = [m for m in found if not _modifier(texts[doc], s, m[0], m[1])]
            if name_span is not None:
                a, b = s + name_span[0], s + name_span[1]
                on_name = [m for m in direct if m[0] < b and m[1] > a]
                direct = on_name or direct
            if direct:
                best = max(direct, key=lambda m: (m[1] - m[0], -m[0]))
                actor = best[2]
                if name_span is not None and not (best[0] < s + name_span[1] and best[1] > s + name_span[0]):
                    key = _mention_key(texts[doc][best[0]:best[1]], best[3], names.get(actor))  # the actor's name
                if kind in ("person", "organisation", "country") and kinds.get(actor) in _KIND_OF_ACTOR:
                    kind = _KIND_OF_ACTOR[kinds[actor]]
            if kind == "person" and key is not None and _outlet_key(key) in outlets:
                kind = "organisation"  # "La Repubblica reported": an outlet of the corpus is not a person
            if kind == "person":
                people.append((s, key, actor))
        rows[i] = (key, kind, actor)
    table["source"] = [rows[i][0] for i in range(len(table))] if len(table) else pd.Series(dtype=object)
    table["source_kind"] = [rows[i][1] for i in range(len(table))] if len(table) else pd.Series(dtype=object)
    table["actor"] = [rows[i][2] for i in range(len(table))] if len(table) else pd.Series(dtype=object)
    _full_names(table)
    lemmas = [cue_lemma(c) for c in table["cue_text"]]
    table["cue_lemma"] = [x[0] for x in lemmas]
    table["verb_class"] = [x[1] for x in lemmas]
    meta = articles.drop_duplicates("doc_id").set_index("doc_id")
    for column in ("outlet", "date"):
        table[column] = table["doc_id"].map(meta[column]) if column in meta else np.nan
    for column in SOURCE_COLUMNS:
        if column not in table:
            table[column] = np.nan
    return table[SOURCE_COLUMNS].astype({"source": object, "actor": object, "verb_class": object})


def _outlet_key(name: str) -> str:
    """An outlet name compared without case, a leading "the" or dots ("The N.Y. Times" ~ "ny times")."""
    return re.sub(r"^the\s+|\.", "", " ".join(str(name).split()).casefold())


def _outlet_names(articles: pd.DataFrame) -> set[str]:
    """The corpus's outlets (``outlet`` column), as :func:`_outlet_key` keys; a source named so is an organisation.

    >>> sorted(_outlet_names(pd.DataFrame({"outlet": ["La Repubblica", "The Guardian", None]})))
    ['guardian', 'la repubblica']
    """
    if "outlet" not in articles:
        return set()
    return {_outlet_key(o) for o in articles["outlet"].dropna().unique() if str(o).strip()}


def _full_names(table: pd.DataFrame) -> None:
    """One-word person keys -> the full name ending with it: of the article, else of the table if unique."""
    person = (table["source_kind"].isin(["person", "pronoun"])) & table["source"].notna()
    if not person.any():
        return
    keys = table.loc[person, "source"].astype(str)
    multi = keys[keys.str.contains(" ")]
    corpus: dict[str, set] = {}
    for k in set(multi):
        corpus.setdefault(k.split()[-1], set()).add(k)
    docs = table.loc[person, "doc_id"]
    local: dict[tuple, set] = {}
    for d, k in zip(docs[multi.index], multi):
        local.setdefault((d, k.split()[-1]), set()).add(k)
    for i in keys.index[~keys.str.contains(" ")]:
        word = keys[i]
        here = local.get((table.at[i, "doc_id"], word), set())
        choice = here if len(here) == 1 else corpus.get(word, set()) if not here else set()
        if len(choice) == 1:
            table.at[i, "source"] = next(iter(choice))


def _grouped(sources: pd.DataFrame, by: str, actors_only: bool, what: str) -> pd.DataFrame:
    require_columns(sources, ["doc_id", "source", "source_kind", "actor", by], "sources")
    rows = sources[sources["actor"].notna()] if actors_only else sources
    groups = rows[by].astype(object).where(rows[by].notna(), "unknown")
    return rows.assign(_group=groups)


def source_share(sources: pd.DataFrame, by: str = "outlet", actors_only: bool = False, top: int | None = None
                 ) -> pd.DataFrame:
    """Per group (``by``): each source's share of the group's attributions, with counts and 95% Wilson bounds.

    ``sources``: :func:`attributed_sources`. ``actors_only``: only attributions whose source is a
    codebook actor, keyed by actor id (the codebook as a filter on sources). Sources without a
    key count as "(no source)" / "(unresolved pronoun)", so shares are of all attributions.
    ``top``: keep the ``top`` sources by total count, the rest as "(other sources)".
    ``source_kind``: the commonest kind of the source's rows (resolved pronouns count only when
    nothing else does). Columns: ``by, source, source_kind, attributions, attributions_total, attribution_share,
    attribution_low, attribution_high, articles_with_source``.

    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "source": ["NATO", None, "NATO"],
    ...     "source_kind": ["organisation", "none", "organisation"], "actor": [None, None, None]})
    >>> source_share(s)[["outlet", "source", "attributions", "attributions_total", "attribution_share"]]
      outlet       source  attributions  attributions_total  attribution_share
    0      X         NATO             1                   2                0.5
    1      X  (no source)             1                   2                0.5
    2      Y         NATO             1                   1                1.0
    3      Y  (no source)             0                   1                0.0
    """
    if by in {"source", "source_kind", "articles_with_source"} or by.startswith("attribution"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive number of sources or None, got {top!r}")
    rows = _grouped(sources, by, actors_only, "source_share")
    if actors_only:
        keys = rows["actor"].astype(str)
        kinds = rows["source_kind"].astype(object)
    else:
        keys = rows["source"].astype(object).where(rows["source"].notna(),
                                                   rows["source_kind"].map(MISSING_LABELS).fillna("(unknown)"))
        kinds = rows["source_kind"].astype(object)
    rows = rows.assign(_key=keys, _kind=kinds)
    totals = rows["_key"].value_counts(sort=False)
    totals = totals.sort_values(ascending=False, kind="stable")
    order = sorted(totals.index, key=lambda k: (-totals[k], str(k).startswith("("), str(k)))
    if top is not None and len(order) > top:
        keep = set(order[:top])
        rows = rows.assign(_key=rows["_key"].where(rows["_key"].isin(keep), "(other sources)"),
                           _kind=rows["_kind"].where(rows["_key"].isin(keep), "mixed"))
        order = order[:top] + ["(other sources)"]
    def main_kind(k: pd.Series):  # a resolved pronoun takes the kind of the name it stands for
        named = k[k != "pronoun"]
        return (named if len(named) else k).value_counts().index[0]

    kind_of = rows.groupby("_key")["_kind"].agg(main_kind).to_dict()
    groups = category_order(rows["_group"]) if len(rows) else []
    index = pd.MultiIndex.from_product([groups, order], names=[by, "source"])
    out = index.to_frame(index=False)
    out.insert(2, "source_kind", out["source"].map(kind_of))
    out["attributions"] = rows.groupby(["_group", "_key"]).size().reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["attributions_total"] = out[by].map(rows.groupby("_group").size()).fillna(0).astype("int64")
    add_share(out, "attribution", "attributions", "attributions_total")
    docs = rows.drop_duplicates(["doc_id", "_key"]).groupby(["_group", "_key"]).size()
    out["articles_with_source"] = docs.reindex(index, fill_value=0).to_numpy(dtype="int64")
    return out


def cue_verbs(sources: pd.DataFrame, by: str = "outlet", actors_only: bool = False) -> pd.DataFrame:
    """Per group: how often each cue lemma introduces an attribution, for every source, zero-filled.

    Columns as :func:`~diplomacy_lab.coverage.reporting_verbs.reporting_verbs` (so
    :func:`~diplomacy_lab.coverage.reporting_verbs.plot_reporting_verbs` draws it): ``by, lemma,
    verb_class`` (missing for cues outside the verb list), ``uses, group_uses, share, share_low,
    share_high, articles`` (the group's articles using it). Lexicon lemmas first, in list order.

    >>> s = pd.DataFrame({"doc_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "source": ["NATO"] * 3,
    ...     "source_kind": ["organisation"] * 3, "actor": [None] * 3, "cue_lemma": ["say", "pressured", "say"],
    ...     "verb_class": ["neutral", None, "neutral"]})
    >>> cue_verbs(s)[["outlet", "lemma", "verb_class", "uses", "group_uses", "share"]]
      outlet      lemma verb_class  uses  group_uses  share
    0      X        say    neutral     1           2    0.5
    1      X  pressured        NaN     1           2    0.5
    2      Y        say    neutral     1           1    1.0
    3      Y  pressured        NaN     0           1    0.0
    """
    if by in {"lemma", "verb_class", "uses", "group_uses", "articles"} or by.startswith("share"):
        raise ValueError(f"by={by!r} clashes with an output column; rename that column first")
    rows = _grouped(sources, by, actors_only, "cue_verbs")
    require_columns(rows, ["cue_lemma", "verb_class"], "sources")
    lexicon = reporting_words()
    listed = list(dict.fromkeys(lexicon["lemma"]))
    used = set(rows["cue_lemma"].dropna())
    order = [k for k in listed if k in used] + sorted(used - set(listed), key=str)
    index = pd.MultiIndex.from_product([category_order(rows["_group"]) if len(rows) else [], order],
                                       names=[by, "lemma"])
    grouped = rows.groupby(["_group", "cue_lemma"])
    out = index.to_frame(index=False)
    classes = dict(zip(lexicon["lemma"], lexicon["verb_class"]))
    out["verb_class"] = out["lemma"].map(classes).astype(object)
    out["uses"] = grouped.size().reindex(index, fill_value=0).to_numpy(dtype="int64")
    out["group_uses"] = out[by].map(rows.groupby("_group").size()).fillna(0).astype("int64")
    add_share(out, "share", "uses", "group_uses")
    out = out.rename(columns={"share_share": "share"})
    out["articles"] = grouped["doc_id"].nunique().reindex(index, fill_value=0).to_numpy(dtype="int64")
    return out


def plot_source_share(table: pd.DataFrame, source=None, by: str = "outlet", top: int = 6, title: str | None = None,
                      subtitle: str | None = None, source_note: str | None = None) -> Figure:
    """Bars of a :func:`source_share` table. With ``source`` (e.g. "officials"): its share of each
    group's attributions, Wilson interval as a whisker, "k of n" beside it. Without: each group's
    attributions split among the ``top`` sources and "other".
    """
    require_columns(table, [by, "source", "attributions", "attributions_total", "attribution_share",
                            "attribution_low", "attribution_high"], "table")
    groups = category_order(table[by])
    if not groups:
        raise ValueError("the table has no group: nothing to plot")
    what = f"{by.replace('_', ' ')}'s attributions"
    with house_style():
        fig, ax = new_figure(width=7.0, height=max(3.0, 1.7 + 0.42 * len(groups)))
        if source is not None:
            if source not in set(table["source"]):
                raise ValueError(f"source {source!r} is not in the table; e.g. {sorted(map(str, set(table['source'])))[:8]}")
            rows = table[table["source"] == source].set_index(by).reindex(groups)
            share_bars(ax, rows, "attributions", "attributions_total", "attribution_share", "attribution_low",
                       "attribution_high")
            quoted = rows[rows["attributions"] > 0]
            leaders = tied_leaders(quoted["attribution_share"])
            if len(leaders) == 1:
                best = quoted.loc[leaders[0]]
                default = (f"{leaders[0]} gives {source} the largest share of its attributions: "
                           f"{int(best['attributions'])} of {int(best['attributions_total'])}")
            elif leaders:
                default = f"{tie_phrase(leaders, by.replace('_', ' ') + 's')} in the share given to {source}"
            else:
                default = f"No {by.replace('_', ' ')} attributes anything to {source}"
            sub = f"Share of each {what} whose source is {source}; whiskers: 95% Wilson interval"
        else:
            totals = table.groupby("source")["attributions"].sum().sort_values(ascending=False, kind="stable")
            keep = [v for v in totals.index if totals[v] > 0 and not str(v).startswith("(")][:top]
            wide = table.assign(source=table["source"].where(table["source"].isin(keep), "other")) \
                .pivot_table(index=by, columns="source", values="attributions", aggfunc="sum", fill_value=0) \
                .reindex(index=groups, fill_value=0)
            n = stacked_share_bars(ax, wide, keep, legend_title="Source")
            named = totals[keep] if keep else totals.iloc[:0]
            leaders = tied_leaders(named)
            if len(leaders) == 1:
                default = f"{leaders[0]} is the source cited most ({int(named.max())} of {int(n.sum())} attributions)"
            elif leaders:
                default = f"{tie_phrase(leaders, 'sources')} as the source cited most ({int(named.max())} each)"
            else:
                default = "No attribution has a source with a key"
            sub = (f"Each {what} (learned attributions), by source (number in bar: attributions); "
                   f"n = all the {by.replace('_', ' ')}'s attributions, with or without a source")
        finish_share_axes(ax, groups)
        annotate_figure(fig, title or default, subtitle or sub, source_note)
    return fig
