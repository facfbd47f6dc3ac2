"""Naming variants: the lexicon, the counts per group, the chart."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from diplomacy_lab.charts.export import export_figure, source_note
from diplomacy_lab.framing.naming import (
    LEXICON_COLUMNS,
    load_naming_lexicon,
    naming_matches,
    naming_variants,
    plot_naming_variants,
)
from diplomacy_lab.paths import REPO_DIR
from diplomacy_lab.uncertainty import wilson_interval

KYIV = {"concepts": {"kyiv": {"label": "Ukraine's capital", "variants": {"Kyiv": ["Kyiv"], "Kiev": ["Kiev"]}}}}


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["rt1", "rt2", "bbc1", "x1"],
        "outlet": ["RT", "RT", "BBC", None],
        "text": [
            "Kiev and KIEV again; Kievan Rus is not a mention.",
            "Talks in Kyiv. Kiev rejected them.",
            "Kyiv said the Kyiv-based envoy left.",
            "Nothing about the capital.",
        ],
    })


def test_counts_shares_and_intervals(articles):
    t = naming_variants(articles, KYIV)
    assert list(t.columns) == ["outlet", "concept", "label", "variant", "mentions", "concept_mentions", "share",
                               "share_low", "share_high", "articles", "group_articles"]
    rows = {(r.outlet, r.variant): r for r in t.itertuples()}
    assert sorted(t["outlet"].unique()) == ["BBC", "RT", "unknown"]      # a missing outlet is "unknown"
    assert (rows["RT", "Kiev"].mentions, rows["RT", "Kiev"].concept_mentions) == (3, 4)
    assert (rows["RT", "Kiev"].articles, rows["RT", "Kiev"].group_articles) == (2, 2)
    assert (rows["RT", "Kyiv"].mentions, rows["RT", "Kyiv"].articles) == (1, 1)
    assert rows["RT", "Kiev"].share == 0.75
    assert (rows["RT", "Kiev"].share_low, rows["RT", "Kiev"].share_high) == wilson_interval(3, 4)
    assert (rows["BBC", "Kyiv"].mentions, rows["BBC", "Kiev"].mentions) == (2, 0)  # "Kyiv-based" counts
    unknown = t[t["outlet"] == "unknown"]
    assert unknown["mentions"].sum() == 0 and unknown["share"].isna().all() and unknown["share_low"].isna().all()


def test_matches_index_the_text(articles):
    m = naming_matches(articles, KYIV)
    texts = articles.set_index("doc_id")["text"]
    assert all(texts[r.doc_id][r.start:r.end] == r.surface for r in m.itertuples())
    assert "Kievan" not in set(m["surface"])


def test_overlaps_within_a_concept_go_to_the_longest_match():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"],
                         "text": ["Aid to the Ukraine. The Ukraine war goes on in Ukraine's east."]})
    m = naming_matches(arts, "russia_ukraine")
    ukr = m[m["concept"] == "ukraine_article"]
    assert ukr[["variant", "surface"]].values.tolist() == [
        ["the Ukraine", "the Ukraine"], ["Ukraine", "Ukraine"], ["Ukraine", "Ukraine"]]


def test_overlaps_across_concepts_are_kept():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"], "text": ["The Kiev regime refused."]})
    m = naming_matches(arts, "russia_ukraine")
    assert set(zip(m["concept"], m["variant"])) == {("kyiv", "Kiev"), ("kyiv_government", "regime")}


def test_shipped_lexicon_shape():
    lex = load_naming_lexicon("russia_ukraine")
    assert list(lex.columns) == LEXICON_COLUMNS
    assert {"kyiv", "kharkiv", "donbas", "the_war", "the_force"} <= set(lex["concept"])
    force = set(lex.loc[lex["concept"] == "the_force", "variant"])
    assert {"coalition of the willing", "reassurance force", "peacekeepers", "peacekeeping force",
            "military intervention", "boots on the ground"} <= force
    assert (lex.groupby("concept")["variant"].nunique() >= 2).all()


def test_shipped_lexicon_distinguishes_spellings():
    arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"],
                         "text": ["Donbass, Donbas, Kharkov and Kharkiv; a special military operation."]})
    m = naming_matches(arts, "russia_ukraine")
    assert m[["variant"]].value_counts().to_dict() == {
        ("Donbas",): 1, ("Donbass",): 1, ("Kharkiv",): 1, ("Kharkov",): 1, ("special military operation",): 1}


def test_resources_ship_with_the_package():
    pyproject = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["diplomacy_lab"]
    package = REPO_DIR / "diplomacy_lab"
    for name in ("lexicons/naming/russia_ukraine.yaml", "lexicons/frames/general.yaml",
                 "lexicons/frames/russia_ukraine.yaml", "reporting_verbs.yaml", "english.yaml"):
        relative = (package / "resources" / name).relative_to(package).as_posix()
        assert (package / relative).is_file()
        assert any(fnmatch(relative, g) for g in globs), f"{relative} is not in package-data {globs}"


def test_no_naming_lexicon_is_a_clear_error_naming_the_shipped_ones(seed):
    with pytest.raises(ValueError, match="no naming lexicon given.*'russia_ukraine'"):
        naming_variants(seed)
    with pytest.raises(ValueError, match="no shipped naming lexicon 'kyiv_names'; shipped: \\['russia_ukraine'\\]"):
        naming_variants(seed, "kyiv_names")
    with pytest.raises(ValueError, match="name the shipped lexicon to extend"):
        load_naming_lexicon({"concepts": {"kyiv": {"variants": ["Kyiv", "Kiev"]}}}, extend=True)


# --- user lexicons ---------------------------------------------------------------------------------


def test_own_lexicon_replaces_and_shorthand_lists_work():
    lex = load_naming_lexicon({"concepts": {"odesa": {"variants": ["Odesa", "Odessa"]}}})
    assert lex.values.tolist() == [["odesa", "odesa", "Odesa", "Odesa"], ["odesa", "odesa", "Odessa", "Odessa"]]


def test_extend_adds_concepts_variants_and_terms():
    lex = load_naming_lexicon({"concepts": {
        "kyiv": {"label": "the capital", "variants": {"Kyiv": ["Kyjiw"], "Kiew": ["Kiew"]}},
        "mariupol": {"variants": ["Mariupol", "Mariupolʹ"]},
    }}, extend="russia_ukraine")
    kyiv = lex[lex["concept"] == "kyiv"]
    assert kyiv["term"].tolist() == ["Kyiv", "Kyyiv", "Kyjiw", "Kiev", "Kiew"]
    assert set(kyiv["label"]) == {"the capital"}
    assert "mariupol" in set(lex["concept"]) and "kharkiv" in set(lex["concept"])


def test_extend_keeps_the_shipped_label_when_none_is_given():
    lex = load_naming_lexicon({"concepts": {"kyiv": {"variants": {"Kyiv": ["Kyjiw"]}}}}, extend="russia_ukraine")
    assert set(lex.loc[lex["concept"] == "kyiv", "label"]) == {"Ukraine's capital"}


def test_table_lexicon_round_trips(articles):
    table = load_naming_lexicon(KYIV)
    assert naming_variants(articles, table).equals(naming_variants(articles, KYIV))


def test_yaml_lexicon(tmp_path, articles):
    path = tmp_path / "mine.yaml"
    path.write_text("concepts:\n  kyiv:\n    variants:\n      Kyiv: [Kyiv]\n      Kiev: [Kiev]\n", encoding="utf-8")
    assert naming_variants(articles, str(path))["mentions"].sum() == 6


@pytest.mark.parametrize(
    ("lexicon", "message"),
    [
        ({}, r"naming lexicon <dict>: missing key\(s\) \['concepts'\]"),
        ({"concepts": {}}, "concepts must be a non-empty mapping"),
        ({"concepts": {"Kyiv": {"variants": ["a", "b"]}}}, "the id 'Kyiv' is not valid"),
        ({"concepts": {"kyiv": {"variants": ["Kyiv"]}}}, "concepts.kyiv has 1 variant"),
        ({"concepts": {"kyiv": {"variants": {"Kyiv": ["Kyiv"], "Kiev": ["re:Ki(ev"]}}}},
         r"concepts.kyiv.variants.Kiev: term 're:Ki\(ev' is not a valid regular expression"),
        ({"concepts": {"kyiv": {"variants": {"Kyiv": ["Kyiv"], "Kiev": ["kyiv"]}}}},
         "the term 'kyiv' counts for both 'Kyiv' and 'Kiev'"),
        ({"concepts": {"kyiv": {"variants": {"Kyiv": ["Kyiv", "KYIV"], "Kiev": ["Kiev"]}}}},
         "concepts.kyiv.variants.Kyiv: the term 'KYIV' is listed twice"),
        ({"concepts": {"kyiv": {"variants": {"Kyiv": [], "Kiev": ["Kiev"]}}}},
         "concepts.kyiv.variants.Kyiv: must be a non-empty list"),
        ({"concepts": {"kyiv": {"variants": ["Kyiv", "Kiev"], "colour": "red"}}},
         r"concepts.kyiv: unknown key\(s\) \['colour'\]"),
        ({"concepts": {"kyiv": {"label": "", "variants": ["Kyiv", "Kiev"]}}}, "concepts.kyiv.label"),
    ],
)
def test_bad_lexicons_name_the_entry(lexicon, message):
    with pytest.raises(ValueError, match=message):
        load_naming_lexicon(lexicon)


def test_bad_articles_and_by(articles):
    with pytest.raises(ValueError, match=r"missing column\(s\) \['site'\]"):
        naming_variants(articles, KYIV, by="site")
    with pytest.raises(ValueError, match="clashes with an output column"):
        naming_variants(articles.assign(variant="x"), KYIV, by="variant")
    with pytest.raises(ValueError, match="duplicate doc_id"):
        naming_variants(pd.concat([articles, articles]), KYIV)


# --- the seed corpus -------------------------------------------------------------------------------


def test_seed_state_media_writes_kiev(seed):
    t = naming_variants(seed, "russia_ukraine").set_index(["outlet", "concept", "variant"])
    rt = "Russian state-media repost"
    assert (t.loc[(rt, "kyiv", "Kiev"), "mentions"], t.loc[(rt, "kyiv", "Kyiv"), "mentions"]) == (6, 0)
    for outlet in ("EU-affairs explainer", "Summit wire report"):
        assert t.loc[(outlet, "kyiv", "Kyiv"), "mentions"] == 1 and t.loc[(outlet, "kyiv", "Kiev"), "mentions"] == 0
    # the repost calls the war a "conflict", never a "war"
    assert t.loc[(rt, "the_war", "conflict"), "mentions"] == 5 and t.loc[(rt, "the_war", "war"), "mentions"] == 0
    # the opinion blog uses its sponsors' name for the force most
    assert t.loc[("Opinion blog (At a Glance)", "the_force", "reassurance force"), "mentions"] == 4


def test_seed_plot_and_export(seed, tmp_path):
    table = naming_variants(seed, "russia_ukraine")
    fig = plot_naming_variants(table, source_note=source_note(seed, "seed corpus"))
    assert isinstance(fig, Figure)
    title = " ".join(fig.texts[0].get_text().split())
    assert title == ("Russian state-media repost writes “Kiev” in 6 of 6 mentions of Ukraine's capital; "
                     "the other outlets in 1 of 3")
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Ukraine's capital", "The war itself",
                                                             "The proposed European force"]
    paths = export_figure(fig, tmp_path, "naming", table)
    assert Path(paths["csv"]).read_text(encoding="utf-8").startswith("outlet,concept,label,variant,mentions")


def test_plot_picks_concepts_and_refuses_unknown(seed):
    table = naming_variants(seed, "russia_ukraine")
    fig = plot_naming_variants(table, concepts=["kyiv"], title="T")
    assert len(fig.axes) == 1
    with pytest.raises(ValueError, match=r"concept\(s\) \['kiev'\] are not in the table"):
        plot_naming_variants(table, concepts=["kiev"])
