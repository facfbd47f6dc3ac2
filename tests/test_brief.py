"""The brief: sections, figures, data, findings linked to their evidence, byte-identical reruns, offline."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from diplomacy_lab import load_corpus
from diplomacy_lab.cli import main
from diplomacy_lab.paths import data_dir, seed_corpus_dir
from diplomacy_lab.report.brief import coverage_section, write_brief
from diplomacy_lab.report.sections import Finding, Section, shifts_section, statements_section

CODEBOOK = data_dir() / "codebooks" / "ukraine_2025.yaml"
GOLD = data_dir() / "gold" / "seed_statements.csv"


def tree(folder: Path) -> dict[str, str]:
    """md5 of every file under ``folder``, by relative path (what ``md5sum`` over the tree compares)."""
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_briefs(tmp_path_factory) -> tuple[Path, Path]:
    """The seed brief built twice, into two folders."""
    root = tmp_path_factory.mktemp("briefs")
    articles = load_corpus(seed_corpus_dir())
    for name in ("a", "b"):
        write_brief(articles, root / name, corpus_name="seed corpus", codebook=CODEBOOK, gold=GOLD,
                    naming="russia_ukraine", frames="russia_ukraine")
    return root / "a", root / "b"


@pytest.fixture(scope="module")
def page(seed_briefs) -> str:
    return (seed_briefs[0] / "index.html").read_text(encoding="utf-8")


def test_seed_brief_has_its_sections_figures_and_data(seed_briefs, page):
    out = seed_briefs[0]
    for section in ("findings", "statements", "shifts", "coverage", "articles", "load-report", "notes"):
        assert f'<section id="{section}">' in page
    for name in ("articles_over_time", "stance_matrix", "stance_timeline_meloni"):
        for ext in ("png", "svg", "pdf", "csv"):
            assert (out / "figures" / f"{name}.{ext}").stat().st_size > 0
    for name in ("statements", "statements_by_document", "stance_timeline", "shifts", "shift_evidence", "articles"):
        assert len(pd.read_csv(out / "data" / f"{name}.csv")) > 0


def test_seed_findings_are_sentences_from_the_numbers(page):
    text = re.sub(r"\s+", " ", page)
    assert "Giorgia Meloni opposes sending troops to Ukraine in 5 documents." in text
    assert ("Giorgia Meloni took a stance on Europe reopening dialogue with Russia for the first time in January 2026: "
            "support") in text
    assert "A new stance, not a shift" in text
    assert "Giorgia Meloni opposed sending troops to Ukraine in every period with statements" in text
    assert "too little evidence to test for a shift" in text
    assert re.search(r"Of \d+ actor–proposal series, 0 show a statistically significant change", text)
    assert re.search(r"Insufficient evidence \(\d+ series\)", text)
    assert "all statements fall in one period (March 2025)" in text
    assert re.search(r"gold standard for 5 of these articles \(52 statements\), at document level: "
                     r"precision [01]\.\d\d \(95% interval [01]\.\d\d–[01]\.\d\d\), recall [01]\.\d\d", text)


def test_every_finding_links_to_an_anchor_on_the_page(page):
    findings = page[page.index('<section id="findings">'):page.index("</section>", page.index('<section id="findings">'))]
    links = re.findall(r'<a href="#([^"]+)">evidence</a>', findings)
    assert len(links) >= 10
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert set(links) <= ids, set(links) - ids
    assert any(link.startswith("ev-") for link in links) and any(link.startswith("shift-") for link in links)


def test_a_finding_links_to_all_its_documents_and_quotes(page):
    """'opposes ... in 5 documents' opens a block with the five documents and each quoted sentence."""
    start = page.index('id="ev-meloni-troops_to_ukraine"')
    block = page[start:page.index("</div>", start)]
    assert "Giorgia Meloni opposes sending troops to Ukraine" in block
    assert len(re.findall(r"<li>", block)) == 5
    assert {"boycott-videoconf", "paris-us-role", "italy-says-no", "rejects-coalition", "dialogue-jan2026"} == set(
        re.findall(r"</b> \(([a-z0-9-]+)\)", block))


def test_brief_is_self_contained(seed_briefs, page):
    out = seed_briefs[0]
    images = re.findall(r'<img src="([^"]+)"', page)
    assert images and all(src.startswith("figures/") and src.endswith(".png") for src in images)
    assert all((out / src).is_file() for src in images)
    for href in re.findall(r'href="([^"#][^"]*)"', page):
        assert (out / href).is_file(), href  # every file link resolves inside the folder
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page


def test_brief_is_byte_identical_on_rerun(seed_briefs):
    first, second = tree(seed_briefs[0]), tree(seed_briefs[1])
    assert len(first) >= 30
    assert first == second


@pytest.mark.skipif(importlib.util.find_spec("diplomacy_lab.framing.frames") is None, reason="framing modules not installed")
def test_outlet_sections_are_included_when_available(page):
    assert '<section id="framing">' in page
    assert "not shown" in page or "fig-fighting_words" in page  # five one-article outlets: said, not dropped


def test_brief_shows_a_shift_with_its_evidence(tmp_path):
    n = 5
    texts = [f"Giorgia Meloni rejected dialogue with Russia on day {i}." for i in range(n)]
    texts += [f"Giorgia Meloni backed dialogue with Russia on day {i}." for i in range(n)]
    dates = [f"2025-01-{10 + i}" for i in range(n)] + [f"2025-06-{10 + i}" for i in range(n)]
    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(2 * n)], "text": texts,
                             "outlet": ["Wire A", "Wire B"] * n, "date": pd.to_datetime(dates)})
    sections = [statements_section, shifts_section]
    page = write_brief(load_corpus(articles), tmp_path, codebook=CODEBOOK, sections=sections).read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", page)
    assert "Giorgia Meloni moved from opposing to supporting Europe reopening dialogue with Russia in June 2025" in text
    # The series card lists every statement, before and after the split, with outlet and date.
    assert "<b>Wire A, 14 January 2025</b> (d4): oppose — “Giorgia Meloni rejected dialogue with Russia on day 4.”" in text
    assert "<b>Wire B, 10 June 2025</b> (d5): support — “Giorgia Meloni backed dialogue with Russia on day 0.”" in text
    assert len(re.findall(r"rejected dialogue with Russia on day \d", text)) >= n
    shifts = pd.read_csv(tmp_path / "data" / "shifts.csv")
    assert shifts.loc[0, "status"] == "shift" and shifts.loc[0, "date"] == "2025-06-01"


def test_brief_without_gold_says_accuracy_is_not_measured(tmp_path):
    articles = pd.DataFrame({"doc_id": ["x"], "text": ["Italy will not be sending troops to Ukraine."],
                             "outlet": ["o"], "date": pd.to_datetime(["2025-03-13"])})
    sections = [statements_section, shifts_section]
    page = write_brief(load_corpus(articles), tmp_path, codebook=CODEBOOK, sections=sections).read_text(encoding="utf-8")
    assert "accuracy on this corpus is not measured" in page
    assert "all statements fall in one period (March 2025)" in page


def test_custom_sections_and_progress(tmp_path, capsys):
    def hello(ctx):
        return Section("hello", "Hello", f"<p>{len(ctx.articles)} articles</p>", [Finding("Said hello.", "#hello")])

    articles = load_corpus(seed_corpus_dir())
    page = write_brief(articles, tmp_path, sections=[hello, coverage_section], progress=True).read_text(encoding="utf-8")
    assert '<section id="hello"><h2>Hello</h2>' in page and "<p>5 articles</p>" in page
    assert 'Said hello. <a href="#hello">evidence</a>' in page
    assert '<section id="statements">' not in page
    assert "brief" in capsys.readouterr().err  # the progress bar, on stderr
    write_brief(articles, tmp_path / "quiet", sections=[hello])
    assert capsys.readouterr().err == ""  # not a terminal: quiet


def test_cli_brief_writes_the_folder(tmp_path, capsys):
    assert main(["brief", str(seed_corpus_dir()), "--out", str(tmp_path), "--name", "seed"]) == 0
    assert "Brief written to" in capsys.readouterr().out
    assert (tmp_path / "index.html").is_file() and (tmp_path / "figures" / "articles_over_time.png").is_file()
