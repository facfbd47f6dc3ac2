"""House style, export and the articles-over-time chart."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from diplomacy_lab.charts.export import export_figure, source_note
from diplomacy_lab.charts.style import (
    OKABE_ITO,
    STANCE_COLORS,
    STANCE_ORDER,
    annotate_figure,
    color_for,
    house_style,
    new_figure,
)
from diplomacy_lab.coverage.volume import articles_over_time, plot_articles_over_time


@pytest.fixture
def articles() -> pd.DataFrame:
    """4 articles, 2 outlets, one undated, nothing in February 2025."""
    return pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "a3", "a4"],
            "outlet": ["Il Foglio", "ANSA", "Il Foglio", "ANSA"],
            "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-02", None]),
        }
    )


@pytest.fixture
def table(articles) -> pd.DataFrame:
    return articles_over_time(articles)


def build(table, articles) -> Figure:
    return plot_articles_over_time(table, source_note=source_note(articles, "test corpus"))


# --- palette and style -------------------------------------------------------------

def test_palette_and_stance_colours_are_fixed():
    assert OKABE_ITO == {
        "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
        "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
        "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
    }
    assert STANCE_COLORS == {"support": "#009E73", "oppose": "#D55E00", "neutral": "#999999"}
    assert STANCE_ORDER == ("support", "oppose", "neutral")


def test_color_for_is_stable_and_keeps_stance_colours():
    names = ["la Repubblica", "ANSA", "Il Foglio"]
    colours = {n: color_for(n, names) for n in names}
    assert colours == {n: color_for(n, reversed(names)) for n in names}  # order-independent
    assert len(set(colours.values())) == 3
    assert set(colours.values()) <= set(OKABE_ITO.values())
    for stance in STANCE_ORDER:
        assert color_for(stance, STANCE_ORDER) == STANCE_COLORS[stance]
    with pytest.raises(ValueError, match="Corriere"):
        color_for("Corriere", names)


def test_house_style_settings():
    with house_style():
        import matplotlib as mpl

        rc = mpl.rcParams
        assert rc["svg.fonttype"] == "none"
        assert rc["pdf.fonttype"] == 42
        assert rc["savefig.dpi"] == 200
        assert rc["savefig.bbox"] in (None, "standard")
        assert rc["axes.grid.axis"] == "y"
        assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
        assert rc["font.sans-serif"][0] == "DejaVu Sans"
        cycle = [c.upper() for c in rc["axes.prop_cycle"].by_key()["color"]]
        assert set(cycle) == set(OKABE_ITO.values())


def test_annotate_figure_keeps_title_block_clear_of_axes():
    fig, ax = new_figure()
    ax.bar(["a", "b"], [3, 1], label="x")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    long_title = "A finding stated in a long sentence that will need to wrap onto a second line " * 2
    annotate_figure(fig, long_title, "The method", "Source: somewhere.")
    annotate_figure(fig, long_title, "The method", "Source: somewhere.")  # replaces, no duplicates
    assert len(fig.texts) == 3
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_tightbbox(renderer)
    boxes = [t.get_window_extent(renderer) for t in fig.texts]
    for box in boxes:
        assert not box.overlaps(axes_box)
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width  # inside the figure
    assert 0 <= axes_box.x0 and axes_box.x1 <= fig.bbox.width
    assert "\n" in fig.texts[0].get_text()  # wrapped


# --- export ------------------------------------------------------------------------

def test_export_writes_four_files(tmp_path, table, articles):
    paths = export_figure(build(table, articles), tmp_path / "new" / "dir", "timeline", table)
    assert sorted(paths) == ["csv", "pdf", "png", "svg"]
    for fmt, path in paths.items():
        assert path == tmp_path / "new" / "dir" / f"timeline.{fmt}"
        assert path.stat().st_size > 0


def test_export_is_byte_identical_on_rerun(tmp_path, table, articles):
    first = export_figure(build(table, articles), tmp_path / "one", "timeline", table)
    second = export_figure(build(table, articles), tmp_path / "two", "timeline", table)
    again = export_figure(build(table, articles), tmp_path / "one", "timeline", table)
    for fmt in ("png", "svg", "pdf", "csv"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt
        assert first[fmt].read_bytes() == again[fmt].read_bytes(), fmt


def test_export_formats_keep_text_fonts_and_resolution(tmp_path, table, articles):
    fig = build(table, articles)
    paths = export_figure(fig, tmp_path, "timeline", table)
    svg = paths["svg"].read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "January 2025 has the most articles (2 of 4)" in texts
    assert "<dc:date>" not in svg
    pdf = paths["pdf"].read_bytes()
    assert b"/FontFile2" in pdf
    assert b"/CreationDate" not in pdf
    with Image.open(paths["png"]) as png:
        assert round(png.info["dpi"][0]) >= 200
        assert png.size == (7 * 200, 4 * 200)  # no tight bbox: the figure size is kept
        assert "Software" not in png.info


def test_export_csv_equals_data(tmp_path):
    fig, ax = new_figure()
    data = pd.DataFrame({"outlet": ["A", "B"], "share": [0.1 + 0.2, 2 / 3], "n": [3, 1]})
    ax.bar(data["outlet"], data["share"])
    path = export_figure(fig, tmp_path, "shares", data, formats=("png",))["csv"]
    raw = path.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    assert raw.decode().splitlines()[0] == "outlet,share,n"
    pd.testing.assert_frame_equal(pd.read_csv(path), data, check_exact=False, rtol=1e-9)


def test_export_csv_of_timeline_is_the_table(tmp_path, table, articles):
    path = export_figure(build(table, articles), tmp_path, "timeline", table)["csv"]
    pd.testing.assert_frame_equal(pd.read_csv(path, dtype={"period": str}), table)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("ok", [1, 2], "DataFrame"),
        ("ok", pd.DataFrame({"x": []}), "empty"),
        ("sub/name", pd.DataFrame({"x": [1]}), "separator"),
        ("sub\\name", pd.DataFrame({"x": [1]}), "separator"),
        ("name.png", pd.DataFrame({"x": [1]}), "extension"),
        ("", pd.DataFrame({"x": [1]}), "non-empty"),
    ],
)
def test_export_rejects_bad_input(tmp_path, name, data, message):
    fig, _ = new_figure()
    with pytest.raises(ValueError, match=message):
        export_figure(fig, tmp_path, name, data)
    assert list(tmp_path.iterdir()) == []


def test_export_rejects_low_dpi_and_unknown_format(tmp_path):
    fig, _ = new_figure()
    data = pd.DataFrame({"x": [1]})
    with pytest.raises(ValueError, match="dpi"):
        export_figure(fig, tmp_path, "low", data, dpi=100)
    with pytest.raises(ValueError, match="jpg"):
        export_figure(fig, tmp_path, "fmt", data, formats=("jpg",))


# --- source note ---------------------------------------------------------------------

def test_source_note(articles):
    assert source_note(articles, "test corpus") == (
        "Source: test corpus — 4 articles, 2 outlets, Jan 2025 – Mar 2025 (1 undated)."
    )
    one = articles.iloc[:1]
    assert source_note(one, "seed corpus") == "Source: seed corpus — 1 article, 1 outlet, Jan 2025."
    undated = articles.assign(date=pd.NaT).astype({"date": "datetime64[ns]"})
    assert source_note(undated, "x") == "Source: x — 4 articles, 2 outlets, all undated."
    with pytest.raises(ValueError, match="'outlet'"):
        source_note(articles.drop(columns="outlet"), "x")


# --- articles over time ----------------------------------------------------------------

def test_articles_over_time_exact_table(table):
    expected = pd.DataFrame(
        {
            "period": ["2025-01", "2025-01", "2025-02", "2025-02",
                       "2025-03", "2025-03", "undated", "undated"],
            "outlet": ["ANSA", "Il Foglio"] * 4,
            "articles": [1, 1, 0, 0, 0, 1, 1, 0],
        }
    )
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize(
    "freq, periods",
    [("Q", ["2025Q1", "undated"]), ("Y", ["2025", "undated"]),
     ("W", ["2025-W01", "2025-W02", "2025-W03", "2025-W04", "2025-W05", "2025-W06",
            "2025-W07", "2025-W08", "2025-W09", "undated"])],
)
def test_articles_over_time_other_frequencies(articles, freq, periods):
    out = articles_over_time(articles, freq=freq)
    assert list(dict.fromkeys(out["period"])) == periods
    assert out["articles"].sum() == 4
    assert out["articles"].dtype == "int64"


def test_articles_over_time_by_other_column(articles):
    out = articles_over_time(articles.assign(lang=["it", "it", "en", None]), by="lang")
    assert list(out.columns) == ["period", "lang", "articles"]
    assert sorted(set(out["lang"])) == ["en", "it", "unknown"]


@pytest.mark.parametrize(
    "kwargs, drop, message",
    [({}, "outlet", "'outlet'"), ({}, "date", "'date'"), ({"by": "stance"}, None, "'stance'"),
     ({"freq": "D"}, None, "freq")],
)
def test_articles_over_time_bad_input(articles, kwargs, drop, message):
    data = articles.drop(columns=drop) if drop else articles
    with pytest.raises(ValueError, match=message):
        articles_over_time(data, **kwargs)


def test_plot_returns_figure_without_touching_pyplot(table, articles):
    before = plt.get_fignums()
    fig = build(table, articles)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "January 2025 has the most articles (2 of 4)"
    assert texts[1] == "Articles per month and outlet; N = 4 articles (1 undated, shown apart at right)"
    assert texts[2].startswith("Source: test corpus")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Il Foglio", "ANSA"]
    assert all(float(v).is_integer() for v in ax.get_yticks())


def test_plot_custom_texts_and_bad_table(table):
    fig = plot_articles_over_time(table, title="T", subtitle="S")
    assert [t.get_text() for t in fig.texts] == ["T", "S"]
    with pytest.raises(ValueError, match="'outlet'"):
        plot_articles_over_time(table.drop(columns="outlet"))
    with pytest.raises(ValueError, match="empty"):
        plot_articles_over_time(table.iloc[:0])
