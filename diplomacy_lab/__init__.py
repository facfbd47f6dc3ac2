"""diplomacy_lab: news articles in, evidence about diplomacy out.

The flow is one direction, with tidy pandas tables between steps; every step is importable
from here, so a notebook needs one import line::

    from diplomacy_lab import Study, load_corpus, load_codebook, sentences, find_mentions, extract_statements

    articles = load_corpus("data/seed")                          # doc_id, outlet, date, ... text
    codebook = load_codebook("data/codebooks/ukraine_2025.yaml")
    sents = sentences(articles)                                  # doc_id, sent_id, start, end, text
    statements = extract_statements(articles, codebook)          # doc_id, actor, target, stance, evidence ...

    study = Study(articles, codebook)                            # the same tables, computed once and cached
    study.statements

The subpackages follow the flow: ``loading`` -> ``text`` -> ``codebook`` -> ``statements`` ->
``coverage`` / ``framing`` / ``timeline`` -> ``report`` / ``explore`` (the evidence browser), with
``charts`` (house style and export) beneath them all. Names are imported on first use, so ``import diplomacy_lab`` is cheap.

>>> import diplomacy_lab
>>> diplomacy_lab.load_corpus.__module__
'diplomacy_lab.loading.corpus'
>>> diplomacy_lab.no_such_thing
Traceback (most recent call last):
...
AttributeError: module 'diplomacy_lab' has no attribute 'no_such_thing'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name -> the module that defines it (imported on first use).
_EXPORTS = {
    # loading
    "CorpusLoadError": "loading.corpus", "LoadReport": "loading.corpus", "load_corpus": "loading.corpus",
    "load_report": "loading.corpus", "corpus_duplicates": "loading.duplicates", "corpus_summary": "loading.summary",
    "parse_dates": "loading.dates", "related_headlines": "loading.cleaning", "remove_spans": "loading.cleaning",
    # text
    "sentences": "text.sentences", "split_sentences": "text.sentences", "kwic": "text.kwic",
    "format_kwic": "text.kwic", "term_counts": "text.terms", "document_terms": "text.terms",
    "group_counts": "text.terms", "tokenize": "text.terms",
    # codebook
    "Codebook": "codebook.schema", "CodebookError": "codebook.schema", "load_codebook": "codebook.schema",
    "find_mentions": "codebook.mentions", "mention_counts": "codebook.mentions", "target_filter": "codebook.prefilter",
    # statements
    "extract_statements": "statements.extract", "statements_by_document": "statements.extract",
    "CueStanceClassifier": "statements.cues", "load_cues": "statements.cues",
    "StanceClassifier": "statements.classifier", "load_model": "statements.classifier",
    "save_model": "statements.classifier", "export_coding_sheet": "statements.coding",
    "read_coding_sheet": "statements.coding", "training_frame": "statements.coding",
    "evaluate_statements": "statements.evaluation", "stance_matrix": "statements.matrix",
    "plot_stance_matrix": "statements.matrix", "to_dna": "statements.dna",
    # coverage
    "articles_over_time": "coverage.volume", "plot_articles_over_time": "coverage.volume",
    "coverage_matrix": "coverage.attention", "attention_over_time": "coverage.attention",
    "plot_coverage_heatmap": "coverage.attention", "plot_attention_over_time": "coverage.attention",
    "shared_coverage": "coverage.shared", "plot_shared_coverage": "coverage.shared",
    "cross_outlet_duplicates": "coverage.shared", "reported_speech": "coverage.voices",
    "voice_share": "coverage.voices", "plot_voice_share": "coverage.voices",
    "reporting_verbs": "coverage.reporting_verbs", "find_reporting_verbs": "coverage.reporting_verbs",
    "load_reporting_verbs": "coverage.reporting_verbs", "top_reporting_verbs": "coverage.reporting_verbs",
    "plot_reporting_verbs": "coverage.reporting_verbs", "attributed_sources": "coverage.sources",
    "source_share": "coverage.sources", "plot_source_share": "coverage.sources", "cue_verbs": "coverage.sources",
    # framing
    "fighting_words": "framing.fighting_words", "plot_fighting_words": "framing.fighting_words",
    "keyness": "framing.keyness", "plot_keyness": "framing.keyness",
    "naming_variants": "framing.naming", "load_naming_lexicon": "framing.naming",
    "plot_naming_variants": "framing.naming", "load_frames": "framing.frames", "sentence_frames": "framing.frames",
    "article_frames": "framing.frames", "frame_shares": "framing.frames", "plot_frame_shares": "framing.frames",
    "sentence_tone": "framing.tone", "group_tone": "framing.tone", "actor_tone": "framing.tone",
    "plot_tone": "framing.tone",
    # timeline
    "stance_timeline": "timeline.stances", "stance_events": "timeline.stances",
    "plot_stance_timeline": "timeline.plots", "detect_shifts": "timeline.shifts",
    "shift_evidence": "timeline.shifts",
    # report and charts
    "write_brief": "report.brief", "export_figure": "charts.export", "source_note": "charts.export",
    "house_style": "charts.style",
    # attribution: who is reported as saying or thinking what (learned from PolNeAR)
    "attributions": "attribution.api", "write_attributions": "attribution.api", "regions_near": "attribution.api",
    "AttributionTagger": "attribution.tagger", "evaluate_attributions": "attribution.evaluation",
    "read_polnear": "attribution.polnear", "rule_attributions": "attribution.rules",
    # the learned statement scorer and the development gold (issue 12)
    "StatementScorer": "statements.scorer", "pair_table": "statements.scorer", "pair_labels": "statements.scorer",
    "load_scorer": "statements.scorer_model", "scored_statements": "statements.scorer_model",
    "reliability_table": "statements.calibration", "expected_calibration_error": "statements.calibration",
    "brier_score": "statements.calibration", "plot_reliability": "statements.calibration",
    # the study object
    "Study": "study",
    # reading and exploring: the evidence browser, corrections into a coding sheet, dates at their precision
    "browse": "explore.browser", "EvidenceBrowser": "explore.browser", "CodingSession": "explore.corrections",
    "Selection": "explore.selection", "select_statements": "explore.selection",
    "highlight_evidence": "explore.highlight", "article_context": "explore.highlight",
    "format_date": "loading.dates", "format_dates": "loading.dates", "coding_sheet": "statements.coding",
    "load_coding_sheet": "statements.coding", "write_coding_sheet": "statements.coding",
    # discourse networks, own words vs quoted words, error-adjusted findings (issue 14)
    "actor_network": "networks.onemode", "target_network": "networks.onemode", "one_mode_network": "networks.onemode",
    "two_mode_network": "networks.twomode", "network_windows": "networks.windows",
    "network_polarisation": "networks.polarisation", "polarisation_over_time": "networks.polarisation",
    "plot_network": "networks.plots", "plot_polarisation": "networks.plots", "network_graph": "networks.files",
    "network_nodes": "networks.files", "write_network": "networks.files", "read_statements": "networks.files",
    "dna_event_list": "networks.files", "write_event_list": "networks.files",
    "narration_spans": "statements.narration", "select_voice": "statements.narration",
    "adjust_for_errors": "timeline.adjust", "error_counts": "timeline.adjust", "suggest_coding": "timeline.adjust",
    "networks_section": "report.networks", "adjusted_section": "report.adjusted",
    # hardening (issue 16): one error policy, guarded regexes, safe CSV output
    "DiplomacyLabError": "errors", "InputLimitError": "errors", "LexiconError": "errors",
    "ModelLoadError": "errors", "OutputPathError": "errors", "PatternError": "errors",
    "PatternTimeoutError": "errors", "MissingInputError": "errors", "write_csv": "charts.tables",
    "neutralise_formulas": "charts.tables", "restore_formulas": "charts.tables",
    # at scale (issue 15): streaming, statements written chunk by chunk, local workers, a Dask cluster
    "iter_corpus": "loading.stream", "write_statements": "scale.run", "StatementWriter": "scale.writer",
    "extract_statements_chunked": "scale.local", "extract_statements_dask": "scale.cluster",
    "table_chunks": "scale.run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'diplomacy_lab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"diplomacy_lab.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
