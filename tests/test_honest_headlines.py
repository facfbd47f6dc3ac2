"""The brief for a reader with five minutes, and headlines that survive a check: ties stated, the neutral
band respected, one-article outlets flagged, dates at their precision, no mathtext from corpus text."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from diplomacy_lab import load_corpus
from diplomacy_lab.charts.export import export_figure
from diplomacy_lab.coverage.voices import plot_voice_share
from diplomacy_lab.framing.tone import group_tone, plot_tone
from diplomacy_lab.loading.dates import format_date
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.report.brief import write_brief
from diplomacy_lab.statements.matrix import plot_stance_matrix, stance_matrix
from diplomacy_lab.timeline.plots import plot_stance_timeline
from diplomacy_lab.timeline.shifts import detect_shifts
from diplomacy_lab.timeline.stances import stance_timeline

CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"
GOLD = data_dir() / "gold" / "seed_statements.csv"
# The seed brief before this work: 26,252 characters of visible text, all of it before any appendix
# (17,815 px at 1280 px in headless Chromium). Half of it is the bar.
TEXT_BEFORE = 26_252


def title(fig) -> str:
    return " ".join(fig.texts[0].get_text().split())


def visible_text(fragment: str) -> str:
    fragment = re.sub(r"<style>.*?</style>|<title>.*?</title>", "", fragment, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


@pytest.fixture(scope="module")
def brief(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    write_brief(load_corpus(seed_corpus_dir()), out, corpus_name="seed corpus", codebook=CODEBOOK, gold=GOLD)
    return out


@pytest.fixture(scope="module")
def page(brief) -> str:
    return (brief / "index.html").read_text(encoding="utf-8")


# -- the page ----------------------------------------------------------------------------------


def test_the_brief_opens_with_its_summary(page):
    body = page[page.index("<body>"):]
    assert re.search(r"<section[^>]*>", body).group() == '<section id="summary">'
    summary = visible_text(body[body.index('<section id="summary">'):body.index("</section>")])
    sentences = [s for s in re.split(r"(?<=\.) (?=[A-Z0-9])", summary.removeprefix("Summary ")) if s]
    assert 4 <= len(sentences) <= 8  # three to five summary sentences, then the caveat line
    assert "5 articles from 5 outlets, March 2025 to January 2026 (2 dated only to the month)." in summary
    assert "100% of what it reports is right and it finds 92%" in summary
    assert "What this cannot tell you:" in summary and "each is one article" in summary


def test_the_brief_is_under_half_its_former_length_above_the_appendix(page):
    above = visible_text(page[:page.index('<section id="appendix">')])
    assert len(above) < TEXT_BEFORE / 2, len(above)
    appendix = page[page.index('<section id="appendix">'):]
    for part in ('id="statements-table"', 'id="articles"', 'id="load-report"', 'id="notes"'):
        assert part in appendix and part not in page[:page.index('<section id="appendix">')]


def test_insufficient_evidence_is_one_sentence_per_reason(page):
    body = page[:page.index('<section id="appendix">')]
    assert body.count("<summary>22 series: all statements fall in one period (March 2025).</summary>") == 1
    assert visible_text(body).count("all statements fall in one period") == 1


def test_no_headline_is_cut_short(page):
    assert "…" not in visible_text(page[page.index('<section id="findings">'):page.index('<section id="appendix">')])


# -- ties ----------------------------------------------------------------------------------------


def test_ties_are_stated_not_broken_by_sort_order(page):
    text = visible_text(page)
    assert "6 items tie as the most mentioned: 5 articles each, in all 5 outlets" in text
    assert "is mentioned most" not in text
    documents = pd.DataFrame({"doc_id": ["a", "b", "a", "b"], "actor": ["Macron", "Macron", "Meloni", "Meloni"],
                              "target": "troops", "stance": ["support", "support", "oppose", "oppose"]})
    assert title(plot_stance_matrix(stance_matrix(documents))) == (
        "Macron supports “troops” and Meloni opposes “troops”: 2 documents each")
    voices = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "voice": ["Italy", "France", "Italy", "France"],
                           "speech": [2, 2, 1, 1], "speech_total": [4, 4, 2, 2], "speech_share": [0.5] * 4,
                           "speech_low": [0.1] * 4, "speech_high": [0.9] * 4})
    assert title(plot_voice_share(voices)).startswith("France and Italy tie as the voice reported most (3 of 6 each)")


# -- the neutral band and one-article outlets ---------------------------------------------------------


def test_a_mean_inside_the_neutral_band_is_never_called_negative():
    tone = pd.DataFrame({"outlet": ["Wire", "Blog", "Site"], "sentences": [20, 30, 25], "articles": [4, 5, 6],
                         "mean_compound": [0.47, 0.01, 0.2], "mean_low": [0.3, -0.1, 0.1],
                         "mean_high": [0.6, 0.1, 0.3]})
    tone.attrs["interval"] = "bootstrap"
    text = title(plot_tone(tone))
    assert "the lowest, Blog (0.01), is within the neutral band" in text
    assert "negative" not in text
    assert "95% intervals (resampling articles) do not overlap" in text
    tone.loc[1, ["mean_compound", "mean_low"]] = [-0.2, -0.3]
    assert "Blog the most negative (-0.20)" in title(plot_tone(tone))


def test_one_article_outlets_make_no_interval_claim_and_are_flagged(page):
    articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
                             "text": ["Good talks. Fine news. Great day.", "A horrible war. A terrible loss."]})
    text = title(plot_tone(group_tone(articles)))
    assert "one article per outlet" in text and "overlap" not in text
    bootstrap = group_tone(articles, interval="bootstrap")
    assert bootstrap[["mean_low", "mean_high"]].isna().all().all()  # resampling one article gives no interval
    findings = visible_text(page[page.index('<section id="findings">'):page.index("</section>", page.index(
        '<section id="findings">'))])
    outlet_part = findings[findings.index("Who covers what"):findings.index("Articles over time")]
    flagged = outlet_part.count("one article per outlet")
    assert flagged == outlet_part.count("evidence") >= 4  # every outlet finding says it rests on single articles
    assert "do not overlap" not in findings


# -- dates at their precision ------------------------------------------------------------------------


def test_dates_are_written_at_their_precision(brief, page):
    text = visible_text(page)
    assert "(Opinion blog (At a Glance), 2025-03-01)" not in text
    assert "<b>Opinion blog (At a Glance), March 2025</b>" in page
    assert "<b>Commentary site, 28 March 2025</b>" in page
    assert "2025-03-01" not in text  # no month-precision article is dated to a day anywhere on the page
    assert format_date(pd.Timestamp("2025-03-01"), "month") == "March 2025"


def test_every_exported_table_with_a_date_has_its_precision(brief):
    tables = sorted((brief / "data").glob("*.csv")) + sorted((brief / "figures").glob("*.csv"))
    dated = [p for p in tables if "date" in pd.read_csv(p, nrows=0).columns]
    assert {p.name for p in dated} >= {"statements.csv", "statements_by_document.csv", "shifts.csv",
                                       "shift_evidence.csv", "articles.csv"}
    for path in dated:
        frame = pd.read_csv(path)
        assert "date_precision" in frame.columns, path.name
        assert frame.loc[frame["date"].notna(), "date_precision"].notna().all(), path.name
    statements = pd.read_csv(brief / "data" / "statements.csv")
    month = statements[statements["doc_id"] == "italy-says-no"]
    assert set(month["date_precision"]) == {"month"} and set(month["date"]) == {"2025-03-01"}
    outlets = pd.read_csv(brief / "data" / "outlets.csv", dtype=str)
    assert outlets.set_index("outlet").loc["Opinion blog (At a Glance)", "first_date"] == "2025-03"


# -- mathtext --------------------------------------------------------------------------------------


def test_corpus_text_is_never_read_as_mathtext(tmp_path):
    """An outlet called 'Cost $x^{2}$' is printed as written in titles and tick labels, never as math."""
    name = "Cost $x^{2}$"
    articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": [name, "Y"],
                             "text": ["Good talks. Fine news.", "A horrible war. A terrible loss."]})
    table = group_tone(articles)
    fig = plot_tone(table)
    svg = Path(export_figure(fig, tmp_path, "tone", table)["svg"]).read_text(encoding="utf-8")
    assert svg.count(f">{name}") >= 2  # the title and the tick label, each one text element
    assert "font-style: oblique" not in svg and "font-style: italic" not in svg  # mathtext sets x in italic
    statements = pd.DataFrame({"doc_id": list("abcd"), "actor": "$a$", "target": "$t$", "stance": "oppose",
                               "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-01", "2025-03-02"])})
    timeline = stance_timeline(statements)
    fig = plot_stance_timeline(timeline, detect_shifts(statements))
    svg = Path(export_figure(fig, tmp_path, "timeline", timeline)["svg"]).read_text(encoding="utf-8")
    assert ">$a$ — $t$<" in svg and "font-style: oblique" not in svg
