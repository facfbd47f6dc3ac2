"""A study: one corpus and one codebook, with every table of the flow computed once, on first use.

Each table is one attribute away and is the same tidy table the functions return, so a
notebook can stop at any step, look, filter with pandas, and go on::

    study = Study.from_path("data/seed", codebook="data/codebooks/ukraine_2025.yaml")
    study.sentences     # doc_id, sent_id, start, end, text
    study.mentions      # doc_id, sent_id, kind, id, start, end, surface, via
    study.statements    # doc_id, sent_id, outlet, date, actor, target, stance, evidence ...
    study.documents     # one row per document, actor, target and stance
    study.coverage      # outlet x actor / target / fact
    study.timeline      # actor x target x month
    study.shifts        # did a stance change, and does the evidence carry it?
    study.attributions  # learned attributions (near target mentions with a codebook); tagged when first asked
    study.sources       # one row per attribution, its source resolved (actor: codebook filter)

The functions stay usable alone; a study only remembers their results. Sentences and
mentions are computed once for the whole corpus and shared by statements, coverage and the
brief (:func:`diplomacy_lab.report.brief.write_brief` takes a study).

>>> study = Study.from_path("data/seed", codebook="data/codebooks/ukraine_2025.yaml")
>>> study
Study(5 articles from 5 outlets, codebook 'Ukraine war diplomacy, 2025-2026': 25 actors, 5 targets, 9 facts)
>>> study.statements is study.statements
True
>>> study.statements.loc[study.statements["actor"].eq("meloni"), "target"].nunique() >= 3
True
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import Codebook, load_codebook
from diplomacy_lab.coverage.attention import coverage_matrix
from diplomacy_lab.coverage.sources import attributed_sources, target_attributions
from diplomacy_lab.loading.corpus import load_corpus, load_report
from diplomacy_lab.statements.extract import extract_statements, statements_by_document
from diplomacy_lab.text.grammar import proper_nouns
from diplomacy_lab.text.sentences import sentences as split_sentences
from diplomacy_lab.timeline.shifts import detect_shifts
from diplomacy_lab.timeline.stances import stance_timeline

__all__ = ["Study"]


class Study:
    """Articles and a codebook in; sentences, mentions, statements, coverage and timelines out, each once.

    ``articles``: the articles table (:func:`~diplomacy_lab.loading.corpus.load_corpus`).
    ``codebook``: a :class:`~diplomacy_lab.codebook.schema.Codebook`, a YAML path or a dict;
    None for a study of coverage over time and framing only (tables that need a codebook
    then raise a clear error). ``classifier``, ``include_neutral``: as in
    :func:`~diplomacy_lab.statements.extract.extract_statements`. ``freq``: the period of
    timelines and shifts ("M", "Q", "Y"). ``progress``: progress bars on stderr (default:
    only when stderr is a terminal).
    """

    def __init__(self, articles: pd.DataFrame, codebook=None, *, classifier=None, include_neutral: bool = False,
                 freq: str = "M", progress: bool | None = None, name: str = "corpus") -> None:
        require_columns(articles, ["doc_id", "text"], "articles")
        self.articles = articles
        self.codebook = None if codebook is None else (
            codebook if isinstance(codebook, Codebook) else load_codebook(codebook))
        self.classifier = classifier
        self.include_neutral = include_neutral
        self.freq = freq
        self.progress = progress
        self.name = name
        self.load_report: pd.DataFrame | None = load_report(articles)

    @classmethod
    def from_path(cls, source, codebook=None, *, load_options: dict | None = None, **options) -> Study:
        """Load ``source`` with :func:`~diplomacy_lab.loading.corpus.load_corpus` (``load_options``
        are its keyword arguments) and start a study; the name defaults to the folder's name."""
        articles = load_corpus(source, **(load_options or {}))
        options.setdefault("name", Path(str(source)).name or "corpus")
        return cls(articles, codebook, **options)

    def __repr__(self) -> str:
        outlets = self.articles["outlet"].nunique() if "outlet" in self.articles.columns else 0
        head = f"Study({len(self.articles)} articles from {outlets} outlets"
        if self.codebook is None:
            return head + ", no codebook)"
        cb = self.codebook
        facts = f", {len(cb.facts)} facts" if cb.facts else ""
        return f"{head}, codebook {cb.name!r}: {len(cb.actors)} actors, {len(cb.targets)} targets{facts})"

    def _book(self, what: str) -> Codebook:
        if self.codebook is None:
            raise ValueError(f"{what} needs a codebook: start the study with Study(articles, codebook=PATH)")
        return self.codebook

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """Every article split into sentences with character offsets."""
        return split_sentences(self.articles, progress=self.progress)

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """The codebook's actors, targets and facts found in the sentences."""
        return find_mentions(self.sentences, self._book("mentions"), dates=self.articles)

    @cached_property
    def statements(self) -> pd.DataFrame:
        """Who takes which stance on which target, one row per sentence, with the evidence."""
        return extract_statements(self.articles, self._book("statements"), classifier=self.classifier,
                                  include_neutral=self.include_neutral, sentences=self.sentences,
                                  mentions=self.mentions, progress=self.progress)

    @cached_property
    def documents(self) -> pd.DataFrame:
        """The statements folded to one row per document, actor, target and stance."""
        return statements_by_document(self.statements)

    @cached_property
    def coverage(self) -> pd.DataFrame:
        """Outlet x actor / target / fact: articles and sentences mentioning each, with shares."""
        return coverage_matrix(self.articles, self.mentions, sentences=self.sentences, codebook=self.codebook)

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """Each actor's stance on each target, period by period (``freq``), counted in documents, with intervals."""
        return stance_timeline(self.statements, freq=self.freq)

    @cached_property
    def shifts(self) -> pd.DataFrame:
        """For each actor and target: a shift, a new stance, stable, or insufficient evidence (with the reason)."""
        return detect_shifts(self.statements, freq=self.freq, names=self.names, labels=self.labels,
                             proper_nouns=self.proper_nouns)

    @cached_property
    def attributions(self) -> pd.DataFrame:
        """Learned attributions (:func:`~diplomacy_lab.attributions`): with a codebook only the paragraphs
        within one sentence of a target mention are tagged, without one every sentence. Tagging
        costs time (docs/attribution.md, "Cost in the pipeline"), so it runs only when asked."""
        if self.codebook is None:
            return target_attributions(self.articles)
        return target_attributions(self.articles, self.codebook, sentences=self.sentences, mentions=self.mentions)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """Every attribution with its source resolved (:func:`~diplomacy_lab.coverage.sources.attributed_sources`);
        ``actor`` is the codebook actor among the sources (missing without a codebook)."""
        mentions = None if self.codebook is None else self.mentions
        return attributed_sources(self.articles, self.attributions, self.codebook, sentences=self.sentences,
                                  mentions=mentions)

    @cached_property
    def proper_nouns(self) -> frozenset[str]:
        """Words that keep their capital inside a sentence: the codebook's names and those of the evidence."""
        return self._book("proper nouns").proper_nouns() | proper_nouns(self.statements["evidence"])

    @cached_property
    def names(self) -> dict[str, str]:
        """Actor id -> display name."""
        return {a.id: a.name for a in self._book("names").actors.values()}

    @cached_property
    def labels(self) -> dict[str, str]:
        """Target id -> label."""
        return {t.id: t.label for t in self._book("labels").targets.values()}
