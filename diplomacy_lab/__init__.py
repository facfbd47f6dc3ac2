"""diplomacy_lab: news articles in, evidence about diplomacy out.

The flow is one direction, with tidy pandas tables between steps::

    articles = load_corpus("data/seed")          # doc_id, outlet, date, ... text
    sents = sentences(articles)                  # doc_id, sent_id, start, end, text
"""

from diplomacy_lab.corpus import CorpusLoadError, load_corpus, load_report
from diplomacy_lab.duplicates import corpus_duplicates
from diplomacy_lab.sentences import sentences
from diplomacy_lab.summary import corpus_summary

__all__ = [
    "CorpusLoadError",
    "corpus_duplicates",
    "corpus_summary",
    "load_corpus",
    "load_report",
    "sentences",
]
__version__ = "0.1.0"
