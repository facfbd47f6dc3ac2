"""Split article texts into sentences with character offsets.

Line structure is decided first (blank lines, headlines, bullets, hard-wrapped
lines), then nltk's Punkt splits each segment, with abbreviations and sentence
starters from ``resources/``. Nothing is downloaded.

>>> import pandas as pd
>>> text = "Meloni Speaks\\nMr. Putin spoke. He left."
>>> sents = sentences(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
>>> sents["text"].tolist()
['Meloni Speaks', 'Mr. Putin spoke.', 'He left.']
>>> sents["start"].tolist(), sents["end"].tolist()
([0, 14, 31], [13, 30, 39])
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pandas as pd
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer
from tqdm import tqdm

from diplomacy_lab.paths import resource_path

__all__ = ["iter_sentence_spans", "sentences", "split_sentences"]

COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]

_PROGRESS_MIN_DOCS = 200

# Line breaks as str.splitlines() knows them; "\r\n" counts as one.
_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The content of one line: first to last non-space character.
_LINE = re.compile(r"\S(?:[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*\S)?")
# A bullet or list marker and the space after it.
_BULLET = re.compile(r"(?:[•·▪●◦‣∙]\s*|(?:[-*–—]|\d{1,3}[.)])\s+)")
# Line ends with terminal punctuation, maybe followed by closing quotes/brackets.
_TERMINAL = re.compile(r"[.!?:…][\"'”’»)\]]*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_HAS_ALNUM = re.compile(r"[^\W_]")
# Line-final words that cannot end a headline: the line is hard-wrapped.
_CONTINUES = frozenset(
    "a an the of to and or but nor in on at for with by from as that which who whom whose "
    "is are was were be been has have had will would could should not than into about "
    "its their his her our".split()
)
_SHORT_LINE_WORDS = 12
_TITLE_RATIO = 0.6


class _NewsLanguageVars(PunktLanguageVars):
    """Punkt regexes that also know curly quotes and guillemets (older nltk did not)."""

    _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,\u2018\u201c\xab]"
    re_boundary_realignment = re.compile(
        r"[\"')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)", re.MULTILINE
    )

    @property
    def _re_non_word_chars(self) -> str:
        return r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb?!])"


def _read_words(name: str) -> set[str]:
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    return {w.strip().lower() for w in lines if w.strip() and not w.lstrip().startswith("#")}


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """The Punkt tokenizer, built once from the resource word lists."""
    params = PunktParameters()
    params.abbrev_types = _read_words("punkt_abbreviations.txt")
    params.sent_starters = _read_words("punkt_sentence_starters.txt")
    # Record sentence starters as "seen lower case mid-sentence", so Punkt's
    # orthographic check also ends a sentence after an initial ("Plan B. The ...").
    for word in params.sent_starters:
        if len(word) > 1:
            params.ortho_context[word] |= 1 << 5  # punkt._ORTHO_MID_LC
    return PunktSentenceTokenizer(params, lang_vars=_NewsLanguageVars())


def _stands_alone(line: str, next_line: str | None) -> bool:
    """Whether a line ends its sentence, judged from its shape and the next line."""
    if _TERMINAL.search(line):
        # A period before a lower-case line may be an abbreviation: let Punkt decide.
        return not (line.endswith(".") and next_line and next_line[0].islower())
    if next_line is None:
        return True
    if next_line[0].islower() or line[-1] in ",;":
        return False
    words = _WORD.findall(line)
    if words and words[-1].lower() in _CONTINUES:
        return False
    if len(words) <= _SHORT_LINE_WORDS:
        return True
    long_words = [w for w in words[1:] if len(w) >= 4]
    title = sum(w[0].isupper() for w in long_words)
    return bool(long_words) and title >= _TITLE_RATIO * len(long_words)


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of text that no sentence crosses: headlines, bullets, paragraphs."""
    lines = []  # (start, end, starts_new_block, is_bullet), or None for a skipped line
    prev_end = 0
    for m in _LINE.finditer(text):
        start, end = m.span()
        new_block = not lines or len(_BREAK.findall(text, prev_end, start)) >= 2
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start, new_block = bullet.end(), True
        prev_end = end
        if _HAS_ALNUM.search(text, start, end):  # skip rules like "***" and lone markers
            lines.append((start, end, new_block, bool(bullet)))
        elif lines:
            lines.append(None)  # a skipped line still separates what is around it
    segments = []
    seg_start = None
    for i, line in enumerate(lines):
        if line is None:
            continue
        start, end, _, bullet = line
        if seg_start is None:
            seg_start = start
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        next_text = None if nxt is None or nxt[2] else text[nxt[0] : nxt[1]]
        if bullet or _stands_alone(text[start:end], next_text):
            segments.append((seg_start, end))
            seg_start = None
    return segments


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one text, so that ``text[start:end]`` is a sentence.

    >>> text = "U.S. officials met Dr. Smith on Jan. 5.\\n\\n• Talks resume"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['U.S. officials met Dr. Smith on Jan. 5.', 'Talks resume']
    """
    return list(iter_sentence_spans(text))


def iter_sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of :func:`split_sentences`, one at a time: each segment (headline, bullet,
    paragraph) is handed to Punkt only when its first sentence is asked for, so a reader that
    stops early ("up to the last sentence I need") does not pay for the rest of the text.

    >>> spans = iter_sentence_spans("Talks resumed. Nobody came.\\n\\nA second paragraph.")
    >>> next(spans), next(spans)
    ((0, 14), (15, 27))
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() needs a str, got {type(text).__name__}")
    return _iter_spans(text)


def _iter_spans(text: str) -> Iterator[tuple[int, int]]:
    tokenizer = _tokenizer()
    for seg_start, seg_end in _segments(text):
        segment = text[seg_start:seg_end]
        if not any(c in segment for c in ".?!"):
            yield seg_start, seg_end
            continue
        for s, e in tokenizer.span_tokenize(segment):
            sentence = segment[s:e]
            stripped = sentence.strip()
            if stripped:
                s += len(sentence) - len(sentence.lstrip())
                yield seg_start + s, seg_start + s + len(stripped)


def sentences(articles: pd.DataFrame, progress: bool | None = None) -> pd.DataFrame:
    """One row per sentence: ``doc_id, sent_id, start, end, text``.

    ``articles`` needs ``doc_id`` and ``text`` columns. ``sent_id`` counts from 0
    within each article; ``text[start:end]`` of the article is the sentence.
    Empty or missing texts give no rows. ``progress``: a tqdm bar over articles;
    None shows it on a terminal for more than 200 articles.

    >>> articles = pd.DataFrame({"doc_id": [7], "text": ["Macron said “yes.” Starmer agreed."]})
    >>> sentences(articles)["text"].tolist()
    ['Macron said “yes.”', 'Starmer agreed.']
    """
    missing = [c for c in ("doc_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(
            f"sentences() needs column(s) {missing}: expected one row per article "
            f"with 'doc_id' and 'text' (e.g. from load_corpus); got columns {list(articles.columns)}"
        )
    if progress is None:
        disable = None if len(articles) > _PROGRESS_MIN_DOCS else True
    else:
        disable = not progress
    rows, sent_ids, starts, ends, texts = [], [], [], [], []
    bar = tqdm(articles["text"].tolist(), desc="sentences", unit="doc", disable=disable)
    for row, text in enumerate(bar):
        if not isinstance(text, str):
            if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)):
                continue
            doc_id = articles["doc_id"].iloc[row]
            raise TypeError(f"text of doc_id {doc_id!r} is {type(text).__name__}, not str")
        for sent_id, (start, end) in enumerate(split_sentences(text)):
            rows.append(row)
            sent_ids.append(sent_id)
            starts.append(start)
            ends.append(end)
            texts.append(text[start:end])
    return pd.DataFrame(
        {
            "doc_id": articles["doc_id"].take(rows).reset_index(drop=True),
            "sent_id": pd.Series(sent_ids, dtype="int64"),
            "start": pd.Series(starts, dtype="int64"),
            "end": pd.Series(ends, dtype="int64"),
            "text": pd.Series(texts, dtype="str"),
        },
        columns=COLUMNS,
    )
