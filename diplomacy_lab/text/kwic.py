"""Keyword in context (KWIC), and what a *term* is everywhere in the framing lexicons.

A term is a plain phrase or, after ``re:``, a Python regular expression. Both match
case-insensitively and on word boundaries (a match cannot begin or end inside a word);
whitespace inside a plain phrase matches any run of whitespace, and straight and curly
apostrophes match each other. The same rule serves :mod:`diplomacy_lab.framing.naming`,
:mod:`diplomacy_lab.framing.frames` and :mod:`diplomacy_lab.coverage.reporting_verbs`.

>>> import pandas as pd
>>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
...                      "date": pd.to_datetime(["2025-03-01", "2025-03-02"]),
...                      "text": ["Talks between Moscow and Kiev stalled.", "Aid to Kyiv, not to Kievan Rus."]})
>>> k = kwic(arts, "re:Kiev|Kyiv", window=3)
>>> k[["doc_id", "left", "match", "right"]]
  doc_id                left match     right
0      a  between Moscow and  Kiev  stalled.
1      b              Aid to  Kyiv  , not to
>>> print(format_kwic(k, width=12))
a  X  … Moscow and  [Kiev]  stalled.
b  Y        Aid to  [Kyiv]  , not to
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from diplomacy_lab.checks import require_columns
from diplomacy_lab.codebook.schema import APOSTROPHES, phrase_key
from diplomacy_lab.text.phrases import normalise_apostrophes

__all__ = [
    "KWIC_COLUMNS", "REGEX_PREFIX", "find_term", "format_kwic", "kwic", "load_term_source", "term_regex", "terms_regex",
]

REGEX_PREFIX = "re:"
KWIC_COLUMNS = ["doc_id", "outlet", "date", "term", "left", "match", "right", "start", "end"]
# A match may not begin or end inside a word; terms that begin or end with a
# non-word character (e.g. "U.S.") are judged by that character.
_START = r"(?:(?<!\w)|(?!\w))"
_END = r"(?:(?!\w)|(?<!\w))"
_CONTEXT_CHARS = 25  # characters read per context word before splitting


def _body(term: str) -> str:
    """The regex source of one term, without its boundary checks; errors name the term."""
    if not isinstance(term, str) or not term.strip():
        raise ValueError(f"a term must be a non-empty string, got {term!r}")
    if term.startswith(REGEX_PREFIX):
        body = term[len(REGEX_PREFIX) :].translate(APOSTROPHES)
        if not body.strip():
            raise ValueError(f"term {term!r} has an empty regular expression after 're:'")
        try:
            re.compile(body)
        except re.error as e:
            raise ValueError(
                f"term {term!r} is not a valid regular expression ({e}); fix the pattern or drop the "
                f"'re:' prefix for a plain phrase"
            ) from None
        return body
    return r"\s+".join(re.escape(w) for w in term.translate(APOSTROPHES).split())


def _starts_with_word(term: str, body: str) -> bool:
    """Whether every match of the term surely starts with a word character (then the start
    check is a plain ``(?<!\\w)``, which the regex engine tests much faster)."""
    if not term.startswith(REGEX_PREFIX):
        return _is_word(body[0])
    return _is_word(body[0]) and body[1:2] not in ("?", "*", "{") and "|" not in body


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def terms_regex(terms) -> re.Pattern:
    """One compiled pattern matching any of ``terms`` (each as :func:`term_regex` would).

    >>> [m.group() for m in terms_regex(["troops", "re:tanks?", "U.S."]).finditer("U.S. tanks, troops")]
    ['U.S.', 'tanks', 'troops']
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("terms is empty")
    bodies = [(t, _body(t)) for t in terms]
    fast = [f"(?:{b})" for t, b in bodies if _starts_with_word(t, b)]
    slow = [f"(?:{b})" for t, b in bodies if not _starts_with_word(t, b)]
    parts = []
    if fast:
        parts.append(r"(?<!\w)(?:" + "|".join(fast) + ")")
    if slow:
        parts.append(_START + "(?:" + "|".join(slow) + ")")
    return re.compile("(?:" + "|".join(parts) + ")" + _END, re.IGNORECASE)


def term_regex(term: str) -> re.Pattern:
    """The compiled pattern of one term (plain phrase or ``re:`` regex), case-insensitive.

    Match it against ``normalise_apostrophes(text)`` (:mod:`diplomacy_lab.text.phrases`) (apostrophes made straight; offsets unchanged).

    >>> bool(term_regex("Macron’s plan").search("macron's   plan"))
    True
    >>> term_regex("Kiev").search("Kievan Rus") is None
    True
    >>> term_regex("re:(")
    Traceback (most recent call last):
    ...
    ValueError: term 're:(' is not a valid regular expression (missing ), unterminated subpattern at position 0); fix the pattern or drop the 're:' prefix for a plain phrase
    """
    if not isinstance(term, str) or not term.strip():
        raise ValueError(f"a term must be a non-empty string, got {term!r}")
    return terms_regex([term])


def find_term(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Non-empty matches of a compiled term in ``text``, as ``(start, end)`` offsets.

    >>> find_term("Kyiv and kyiv", term_regex("Kyiv"))
    [(0, 4), (9, 13)]
    """
    return [m.span() for m in pattern.finditer(normalise_apostrophes(text)) if m.end() > m.start()]


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    reach = window * _CONTEXT_CHARS
    left = text[max(0, start - reach) : start].split()
    right = text[end : end + reach].split()
    if start - reach > 0 and left:
        left = left[1:]  # the first word may be cut
    return " ".join(left[-window:]) if window else "", " ".join(right[:window]) if window else ""


def kwic(articles: pd.DataFrame, terms: str | list[str], window: int = 8) -> pd.DataFrame:
    """Every match of ``terms`` in the articles, with ``window`` words of context either side.

    ``terms`` is one term or a list (see :func:`term_regex`). Columns: ``doc_id, outlet, date,
    term, left, match, right, start, end`` (``outlet``/``date`` are missing values when the
    articles lack them; ``start``/``end`` index the article text). Sorted by article order,
    then offset; overlapping matches of different terms are all kept.

    >>> kwic(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), [])
    Traceback (most recent call last):
    ...
    ValueError: terms is empty: give a phrase such as 'Kiev' or a regex such as 're:K(ie|yi)v'
    """
    require_columns(articles, ["doc_id", "text"], "articles")
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("terms is empty: give a phrase such as 'Kiev' or a regex such as 're:K(ie|yi)v'")
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative number of words, got {window!r}")
    patterns = [(t, term_regex(t)) for t in dict.fromkeys(terms)]
    outlets = articles["outlet"] if "outlet" in articles.columns else pd.Series(pd.NA, index=articles.index)
    dates = articles["date"] if "date" in articles.columns else pd.Series(pd.NaT, index=articles.index)
    rows = []
    for order, (doc_id, outlet, date, text) in enumerate(
        zip(articles["doc_id"], outlets, dates, articles["text"].fillna(""))
    ):
        for term, pattern in patterns:
            for start, end in find_term(text, pattern):
                left, right = _context(text, start, end, window)
                rows.append((order, doc_id, outlet, date, term, left, text[start:end], right, start, end))
    table = pd.DataFrame(rows, columns=["_order", *KWIC_COLUMNS])
    table = table.sort_values(["_order", "start", "end"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True).astype({"start": "int64", "end": "int64"})


def format_kwic(table: pd.DataFrame, width: int = 45, max_rows: int | None = None) -> str:
    """A concordance as text: ``doc_id  outlet  left [match] right``, matches aligned.

    Contexts are cut to ``width`` characters (left from its start, right at its end), so the
    text is stable and reads in a notebook with ``print``. ``max_rows`` keeps the first rows
    and says how many were left out.
    """
    require_columns(table, ["doc_id", "left", "match", "right"], "kwic table")
    if table.empty:
        return "(no matches)"
    shown = table if max_rows is None else table.head(max_rows)
    ids = shown["doc_id"].astype(str)
    outlets = shown["outlet"].fillna("").astype(str) if "outlet" in shown.columns else pd.Series("", index=shown.index)
    id_w, out_w = ids.str.len().max(), outlets.str.len().max()
    lines = []
    for doc_id, outlet, left, match, right in zip(ids, outlets, shown["left"], shown["match"], shown["right"]):
        left = left if len(left) <= width else "…" + left[-(width - 1) :]
        right = right if len(right) <= width else right[: width - 1] + "…"
        match = " ".join(match.split())
        lines.append(f"{doc_id:<{id_w}}  {outlet:<{out_w}}  {left:>{width}}  [{match}]  {right}".rstrip())
    if max_rows is not None and len(table) > max_rows:
        lines.append(f"… {len(table) - max_rows} more")
    return "\n".join(lines)


# --- lexicon files: YAML or dict, with keys checked ---------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key repeated in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                raise ValueError(
                    f"the key {key!r} appears twice (lines {seen[key]} and {key_node.start_mark.line + 1}); "
                    "YAML would keep only the last one: merge the two entries or rename one"
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_term_source(source: str | Path | dict, what: str) -> tuple[str, dict]:
    """Read a lexicon given as a YAML path or a dict; return ``(where, data)`` for messages.

    ``what`` names the lexicon in errors ("naming lexicon", "frame dictionary").

    >>> load_term_source({"a": 1}, "frame dictionary")
    ('frame dictionary <dict>', {'a': 1})
    >>> load_term_source("no/such.yaml", "frame dictionary")
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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except UnicodeDecodeError as e:
        raise ValueError(f"{where}: not UTF-8 text ({e}); re-save the file as UTF-8") from None
    except yaml.YAMLError as e:
        raise ValueError(f"{where}: not valid YAML: {e}") from None
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where}: the file must hold a mapping at the top level, got {type(data).__name__}")
    return where, data


def check_terms(where: str, value: Any) -> list[str]:
    """A list of valid, distinct terms, else ValueError naming ``where``."""
    if isinstance(value, str):
        raise ValueError(f"{where}: must be a list of terms, got a string: write [{value!r}]")
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of terms, got {value!r}")
    seen: dict[str, str] = {}
    for term in value:
        if not isinstance(term, str) or not term.strip():
            raise ValueError(f"{where}: every term must be a non-empty string, got {term!r}")
        try:
            term_regex(term)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        key = term if term.startswith(REGEX_PREFIX) else phrase_key(term)
        if key in seen:
            raise ValueError(f"{where}: the term {term!r} is listed twice; keep one")
        seen[key] = term
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


_ID = re.compile(r"[a-z][a-z0-9_]*")


def check_id(where: str, key: Any) -> str:
    """An entry id: lower-case letters, digits and ``_``, starting with a letter."""
    if not isinstance(key, str) or not _ID.fullmatch(key):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", str(key).lower()).strip("_") or "entry"
        raise ValueError(
            f"{where}: the id {key!r} is not valid: use lower-case letters, digits and '_', "
            f"starting with a letter (e.g. {suggestion!r})"
        )
    return key
