"""The fast paths of extract_statements give the statements of the exact path.

The focused path (sentences and mentions only around target phrases), the Aho–Corasick target
filter and the cue lexicon as one regex are speed-ups only: the tables must not change. Each
test compares the fast path with the whole-article path, on constructed texts made to stress
what the focused path skips (pronoun chains, quotes open across sentences, late paragraphs),
on the seed corpus and, where ../shared/data is present, on the 5,690 AllSides articles.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from diplomacy_lab.codebook.matcher import compile_codebook
from diplomacy_lab.codebook.mentions import find_mentions
from diplomacy_lab.codebook.schema import load_codebook
from diplomacy_lab.loading.corpus import load_corpus
from diplomacy_lab.paths import data_dir, shared_data_dir
from diplomacy_lab.statements.extract import extract_statements
from diplomacy_lab.statements.focus import focused_tables
from diplomacy_lab.text.phrases import required_literals
from diplomacy_lab.text.sentences import iter_sentence_spans, sentences, split_sentences

ALLSIDES = shared_data_dir() / "article-bias-prediction" / "jsons"

BOOK = load_codebook({
    "name": "focus test",
    "actors": {
        "meloni": {"name": "Giorgia Meloni", "country": "Italy", "gender": "female",
                   "aliases": ["Giorgia Meloni", "Meloni"], "roles": ["the Italian leader"]},
        "macron": {"name": "Emmanuel Macron", "country": "France", "gender": "male", "aliases": ["Macron"]},
        "italy": {"name": "Government of Italy", "country": "Italy", "kind": "government", "metonyms": ["Rome"]},
    },
    "targets": {
        "truce": {"label": "Truce", "patterns": ["truce", "re:cease-?fire"]},
        "troops": {"label": "Troops", "patterns": ["re:send(ing)? (\\w+ ){0,2}troops", "peace keepers"]},
    },
})

TEXTS = {
    # "she" in the target sentence resolves only through a chain of earlier pronouns
    "chain": "Meloni spoke in Rome. Later she met aides. She then left. She said little. "
             "Finally she rejected the truce.",
    # the quote opened in the target sentence closes two sentences later, where its speaker is named
    "open-quote": "Talks went on.\n\n\u201cWe will never accept a ceasefire. Never. Not now,\u201d said Macron. "
                  "Then he left.",
    # the target is in the last of many paragraphs: sentence ids count every sentence before
    "late": "\n\n".join(f"Paragraph {i} says nothing. It has two sentences." for i in range(12))
            + "\n\nMacron backed sending troops. He also backed the truce.",
    # targets in two paragraphs, a pronoun with its antecedent in the window
    "two": "Macron backed the truce.\n\nOther news. Much more news.\n\nMeloni spoke. She opposed sending more troops.",
    # a whitespace run inside a plain phrase, a regex match across a line break
    "spaces": "Rome backed the peace\n   keepers. The Italian leader rejected a cease-\nfire.",
    "none": "Nothing about any proposal here.",
    "empty": "",
}


def table(texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "outlet": "Wire", "source": "test"})


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert a.to_csv(index=False) == b.to_csv(index=False)


@pytest.mark.parametrize("neutral", [False, True])
def test_focused_equals_whole_on_constructed_texts(neutral):
    articles = table(TEXTS)
    fast = extract_statements(articles, BOOK, include_neutral=neutral)
    same(fast, extract_statements(articles, BOOK, include_neutral=neutral, focused=False))
    assert len(fast) >= (6 if neutral else 4)  # the texts do hold statements


def test_the_hard_cases_are_found():
    st = extract_statements(table(TEXTS), BOOK, include_neutral=True)
    chain = st[st["doc_id"].eq("chain")]
    assert chain[["actor", "target", "stance", "via"]].values.tolist() == [["meloni", "truce", "oppose", "pronoun"]]
    quote = st[st["doc_id"].eq("open-quote")]
    assert quote[["actor", "holder", "sent_id"]].values.tolist() == [["macron", "speaker", 1]]
    late = st[st["doc_id"].eq("late")]
    assert late["sent_id"].tolist() == [24, 25]


def test_focused_tables_split_only_what_is_needed():
    sents, ments = focused_tables(table(TEXTS), BOOK)
    whole = sentences(table(TEXTS))
    # "chain": every sentence (the last holds the target); "open-quote": up to where the quote closes
    assert sents.groupby("doc_id", sort=False).size().to_dict() == {"chain": 5, "open-quote": 4, "late": 26, "two": 5,
                                                                   "spaces": 1}
    assert len(whole) > len(sents)
    # the sentences that were split are those of the whole split, with the same ids
    merged = sents.merge(whole, on=["doc_id", "sent_id"], suffixes=("", "_whole"))
    assert len(merged) == len(sents) and (merged["text"] == merged["text_whole"]).all()
    # mentions only in sentences that can hold a statement or name a quote's speaker
    assert set(zip(ments["doc_id"], ments["sent_id"])) <= {("chain", 4), ("open-quote", 1), ("open-quote", 2),
                                                            ("open-quote", 3), ("late", 24), ("late", 25), ("two", 0),
                                                            ("two", 4), ("spaces", 0), ("spaces", 1)}


def test_duplicate_doc_ids_take_the_whole_path():
    articles = table({"a": TEXTS["chain"]})
    doubled = pd.concat([articles, articles], ignore_index=True)
    with pytest.raises(Exception) as fast:
        extract_statements(doubled, BOOK)
    with pytest.raises(Exception) as whole:
        extract_statements(doubled, BOOK, focused=False)
    assert type(fast.value) is type(whole.value)


def test_seed_corpus_focused_equals_whole(seed, seed_codebook):
    for neutral in (False, True):
        fast = extract_statements(seed, seed_codebook, include_neutral=neutral)
        same(fast, extract_statements(seed, seed_codebook, include_neutral=neutral, focused=False))
    assert len(fast) > 20


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def test_target_spans_cover_every_target_mention(seed, seed_codebook):
    """The filter is a superset: each target mention of the matcher lies inside the spans (overlapping
    mentions of one target are merged into one, so it may take two overlapping spans)."""
    articles = pd.concat([seed, table(TEXTS)], ignore_index=True)
    for book in (seed_codebook, BOOK):
        flt = compile_codebook(book).prefilter
        ments = find_mentions(sentences(articles), book)
        targets = ments[ments["kind"].eq("target")]
        assert len(targets)
        spans = {d: merged(flt.spans(t)) for d, t in zip(articles["doc_id"], articles["text"])}
        for doc_id, start, end in zip(targets["doc_id"], targets["start"], targets["end"]):
            assert any(s <= start and end <= e for s, e in spans[doc_id]), (doc_id, start, end)
        for text in articles["text"]:
            assert flt.search(text) == bool(flt.spans(text))


def test_required_literals_are_in_every_match(seed, seed_codebook):
    """Each codebook regex: every match (in the seed texts and in made-up ones) holds one of its literals."""
    texts = [t.lower() for t in seed["text"]] + ["send 300 more troops", "a cease-fire", "the ceasefire"]
    checked = 0
    for path in sorted((data_dir() / "codebooks").glob("*.yaml")):
        for rgx in compile_codebook(load_codebook(path)).regexes:
            if not rgx.lowered:
                continue
            literals = required_literals(rgx.rx.pattern)
            for text in texts:
                for m in rgx.rx.finditer(text):
                    if m.group():
                        checked += 1
                        assert literals and any(lit in m.group() for lit in literals), (rgx.rx.pattern, m.group())
    assert checked > 20


def test_required_literals_of_tricky_regexes():
    assert required_literals(r"(?i:peace) talks") == (" talks",)  # a group with flags gives nothing
    assert required_literals(r"x{0,9}") == ()
    assert required_literals(r"defen[cs]e (aid|help)") == ("defence aid", "defence help", "defense aid", "defense help")
    assert set(required_literals(r"(a|b)+ce")) == {"ce"}
    for pattern, text in [(r"(aid|arms)+ to (kyiv|kiev)", "arms aid to kiev"), (r"(?:ab|cd)?ef", "ef")]:
        m = re.search(pattern, text)
        assert any(lit in m.group() for lit in required_literals(pattern))


def test_sentence_spans_are_split_lazily(monkeypatch):
    from diplomacy_lab.text import sentences as module

    text = "\n\n".join(f"Paragraph {i}. It ends here." for i in range(50))
    expected = split_sentences(text)[:3]
    calls = []
    original = module._tokenizer()
    monkeypatch.setattr(original, "span_tokenize", lambda s, _f=original.span_tokenize: calls.append(1) or _f(s))
    spans = iter_sentence_spans(text)
    assert [next(spans) for _ in range(3)] == expected
    assert len(calls) == 2  # two paragraphs split, not fifty


@pytest.mark.skipif(not ALLSIDES.is_dir(), reason=f"AllSides articles not found at {ALLSIDES} (../shared/data)")
def test_allsides_focused_equals_whole():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(ALLSIDES, text="content_original", progress=False)
    book = load_codebook(data_dir() / "codebooks" / "allsides_russia_ukraine.yaml")
    fast = extract_statements(articles, book)
    same(fast, extract_statements(articles, book, focused=False))
    assert len(fast) > 300
