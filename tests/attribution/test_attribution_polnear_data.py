"""Tests on the real PolNeAR files; skipped (with the path and env var) when absent."""
import re

import pytest

from diplomacy_lab.attribution import attributions, evaluate_attributions, read_polnear
from diplomacy_lab.attribution.polnear import ENV_VAR, shared_data_root

DATA = shared_data_root() / "polnear" / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "dev").is_dir(),
    reason=f"PolNeAR data not found at {DATA} (set {ENV_VAR} to the folder holding polnear/data)")


def test_offsets_index_the_txt_files_exactly():
    """Every T span of the dev .ann files reproduces brat's own text field."""
    checked = 0
    for ann in sorted((DATA / "dev" / "attributions").glob("*.ann")):
        doc_id = ann.stem.rsplit("_", 1)[0]
        text = (DATA / "dev" / "text" / f"{doc_id}.txt").read_bytes().decode("utf-8")
        for line in ann.read_text(encoding="utf-8").split("\n"):
            m = re.match(r"^T\d+\t\S+ ([\d ;]+)\t(.*)$", line)
            if not m:
                continue
            spans = [tuple(map(int, p.split())) for p in m.group(1).split(";")]
            fragments = " ".join(text[a:b] for a, b in spans)
            # brat keeps line breaks inside a span's text: the .ann line then ends early
            assert fragments == m.group(2) or fragments.startswith(m.group(2)) and "\n" in fragments, ann
            checked += 1
    assert checked > 8000


def test_read_dev_split():
    articles, gold = read_polnear("dev")
    assert len(articles) == 84 and articles.doc_id.is_unique
    assert articles.annotators.map(len).max() > 1          # some articles have several annotators
    assert (articles.annotator == articles.annotators.map(lambda a: sorted(a)[0])).all()
    assert len(gold) > 2000 and set(gold.doc_id) <= set(articles.doc_id)
    texts = dict(zip(articles.doc_id, articles.text))
    for row in gold.head(300).itertuples():
        assert row.cue_text == " ".join(texts[row.doc_id][a:b] for a, b in row.cue_spans)
    assert outlets_ok(articles)


def outlets_ok(articles):
    return set(articles.outlet) == {"breitbart", "huff-post", "nyt", "politico", "usa-today",
                                    "wash-post", "west-journal"}


def test_shipped_model_beats_a_floor_on_some_dev_articles():
    articles, gold = read_polnear("dev")
    part = articles.iloc[::8]
    scores = evaluate_attributions(attributions(part), gold[gold.doc_id.isin(part.doc_id)],
                                   part, n_boot=0).set_index("metric")
    assert scores.loc["cue", "f1"] > 0.6 and scores.loc["content_words", "f1"] > 0.5
