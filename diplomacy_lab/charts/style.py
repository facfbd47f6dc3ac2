"""House style for every chart: palette, stance colours, figure factory, title block.

The title states the finding, the subtitle the method, the source note the corpus::

    >>> from diplomacy_lab.charts.style import annotate_figure, new_figure, STANCE_COLORS
    >>> fig, ax = new_figure()
    >>> _ = ax.bar(["support", "oppose"], [3, 1],
    ...            color=[STANCE_COLORS["support"], STANCE_COLORS["oppose"]])
    >>> _ = annotate_figure(fig, "Support outnumbers opposition 3 to 1",
    ...                     "Stance per article, hand-coded; N = 4",
    ...                     "Source: seed corpus — 4 articles, 2 outlets, Mar 2025.")

Figures are :class:`HouseFigure` objects (a ``matplotlib.figure.Figure``) with an Agg canvas:
nothing is registered with pyplot, so nothing leaks into notebooks or headless runs. A
returned figure still shows as a picture in Jupyter, without ``%matplotlib inline`` (it has a
``_repr_png_``). Text is never read as mathtext: an outlet called ``Cost $x^{2}$`` prints
as written, in titles, tick labels, legends and cells alike.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import matplotlib as mpl
import matplotlib.style as mstyle
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

from diplomacy_lab.paths import resource_path

__all__ = [
    "CATEGORY_COLORS",
    "HOUSE_STYLE",
    "OKABE_ITO",
    "STANCE_COLORS",
    "STANCE_ORDER",
    "HouseFigure",
    "annotate_figure",
    "category_order",
    "color_for",
    "house_style",
    "new_figure",
]

HOUSE_STYLE = resource_path("house.mplstyle")

#: The eight colours of Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: One fixed colour per stance, in every chart.
STANCE_COLORS: dict[str, str] = {
    "support": OKABE_ITO["bluish_green"],
    "oppose": OKABE_ITO["vermillion"],
    "neutral": "#999999",
}
STANCE_ORDER: tuple[str, ...] = ("support", "oppose", "neutral")

#: Order in which categories (outlets, countries...) take colours; the stance
#: colours come late so that few-category charts do not look like stance charts.
CATEGORY_COLORS: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in (
        "blue", "orange", "sky_blue", "reddish_purple",
        "bluish_green", "vermillion", "yellow", "black",
    )
)

# Title block, in points and inches. Fixed numbers keep the layout reproducible.
_TITLE = {"fontsize": 12.5, "fontweight": "bold", "color": "#111111"}
_SUBTITLE = {"fontsize": 9.5, "fontweight": "normal", "color": "#444444"}
_NOTE = {"fontsize": 7.5, "fontweight": "normal", "color": "#777777"}
_EDGE = 0.12  # inches between figure edge and any content
_GAP_AFTER_TITLE = 0.05
_GAP_BEFORE_AXES = 0.16
_GAP_AFTER_AXES = 0.10
_GIDS = ("house-title", "house-subtitle", "house-source-note")


def sentence_case(label: str) -> str:
    """A label to run inside a sentence: first letter lower-cased unless it starts an acronym.

    >>> sentence_case("Sending troops"), sentence_case("NATO guarantees"), sentence_case("US role")
    ('sending troops', 'NATO guarantees', 'US role')
    """
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def house_style():
    """Context manager (and decorator) applying ``resources/house.mplstyle``.

    >>> import matplotlib as mpl
    >>> with house_style():
    ...     mpl.rcParams["svg.fonttype"]
    'none'
    """
    return mstyle.context(str(HOUSE_STYLE))


#: Pixels per figure pixel in the notebook picture, shown at the figure's size: sharper than 1 on high-density
#: screens, at about 120 kB a chart in the notebook file (2 would be 170 kB).
NOTEBOOK_SCALE = 1.5


class HouseFigure(Figure):
    """A ``Figure`` that shows itself in Jupyter and never reads its text as mathtext.

    ``_repr_png_`` draws it (at ``NOTEBOOK_SCALE`` times its dpi, shown at its size), so a figure
    returned by a ``plot_*`` function is a picture in a fresh kernel, without ``%matplotlib
    inline`` and without pyplot. Drawing happens with ``text.parse_math`` off, so tick labels made
    at draw time treat ``$`` as a dollar sign like every other text of the house style: corpus
    text (outlet names, titles, quotes) is printed as written.

    >>> fig, ax = new_figure()
    >>> _ = ax.bar(["Cost $x^{2}$"], [1])
    >>> png, size = fig._repr_png_()
    >>> png[:4], size
    (b'\x89PNG', {'width': 700, 'height': 400})
    >>> [t.get_parse_math() for t in ax.get_xticklabels()]
    [False]
    """

    def __repr__(self) -> str:  # a Figure like any other: the notebook's text output stays "<Figure size ...>"
        return Figure.__repr__(self).replace(type(self).__name__, "Figure", 1)

    def draw(self, renderer):
        with mpl.rc_context({"text.parse_math": False}):
            return super().draw(renderer)

    def _repr_png_(self) -> tuple[bytes, dict]:
        buffer = io.BytesIO()
        width, height = self.get_size_inches() * self.dpi
        with mpl.rc_context({"savefig.bbox": "standard"}):
            self.savefig(buffer, format="png", dpi=self.dpi * NOTEBOOK_SCALE, metadata={"Software": None})
        return buffer.getvalue(), {"width": round(width), "height": round(height)}


def new_figure(width: float = 7.0, height: float = 4.0) -> tuple[Figure, Axes]:
    """A fresh house-style :class:`HouseFigure` (not known to pyplot) with one ``Axes``.

    >>> fig, ax = new_figure()
    >>> fig.get_size_inches().tolist()
    [7.0, 4.0]
    """
    with house_style():
        fig = HouseFigure(figsize=(width, height))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        freeze_ticks(ax)
    return fig, ax


def freeze_ticks(ax: Axes) -> None:
    """Store the style's tick look on the axes: ticks made later (at draw time,
    possibly outside the style context, e.g. in a notebook) then look the same."""
    rc = mpl.rcParams
    for name, axis in (("xtick", ax.xaxis), ("ytick", ax.yaxis)):
        axis.set_tick_params(
            which="major",
            size=rc[f"{name}.major.size"],
            width=rc[f"{name}.major.width"],
            pad=rc[f"{name}.major.pad"],
            direction=rc[f"{name}.direction"],
            color=rc[f"{name}.color"],
            labelcolor=rc[f"{name}.labelcolor"] if rc[f"{name}.labelcolor"] != "inherit"
            else rc[f"{name}.color"],
            labelsize=rc[f"{name}.labelsize"],
        )


def category_order(names: Iterable) -> list:
    """The fixed order of categories: unique, sorted case-insensitively.

    >>> category_order(["la Repubblica", "ANSA", "Il Foglio", "ANSA"])
    ['ANSA', 'Il Foglio', 'la Repubblica']
    """
    return sorted(set(names), key=lambda n: (str(n).casefold(), str(n)))


def color_for(name, names: Iterable) -> str:
    """Stable colour of category ``name`` among ``names``, by its place in ``category_order(names)``.

    Stance labels always get their stance colour. Past eight categories the
    palette repeats: group small categories before plotting that many.

    >>> color_for("b", ["c", "a", "b"])
    '#E69F00'
    >>> color_for("oppose", ["support", "oppose"])
    '#D55E00'
    """
    unique = category_order(names)
    if name not in unique:
        raise ValueError(f"{name!r} is not one of the categories {unique!r}")
    if all(n in STANCE_COLORS for n in unique):
        return STANCE_COLORS[name]
    return CATEGORY_COLORS[unique.index(name) % len(CATEGORY_COLORS)]


def annotate_figure(
    fig: Figure,
    title: str,
    subtitle: str | None = None,
    source_note: str | None = None,
) -> Figure:
    """Add the title block (bold finding, method subtitle, grey source note) and
    fit the axes between them. Calling it again replaces the earlier block.

    Long texts are wrapped to the figure width. Margins are measured once
    from the drawn axes (tick labels, axis labels, legends outside the axes
    included) and set with ``subplots_adjust``, so the layout is the same on
    every run. Call it after the axes are complete.

    >>> fig, ax = new_figure()
    >>> _ = annotate_figure(fig, "A finding", "A method", "Source: a corpus.")
    >>> sorted(t.get_text() for t in fig.texts)
    ['A finding', 'A method', 'Source: a corpus.']
    """
    for text in [t for t in fig.texts if t.get_gid() in _GIDS]:
        text.remove()
    renderer = _renderer(fig)
    width_in, height_in = fig.get_size_inches()
    # Text is measured at the figure's dpi but exported at MIN_DPI or more, where hinting makes it
    # a little wider: wrap with a margin so a line never runs off the edge of the PNG.
    max_px = (width_in - 2 * _EDGE) * fig.dpi * _WRAP_MARGIN

    def put(text: str, y_in: float, va: str, gid: str, props: dict) -> float:
        wrapped = _wrap(text, props, max_px, renderer)
        artist = fig.text(
            _EDGE / width_in, y_in / height_in, wrapped, ha="left", va=va,
            gid=gid, parse_math=False, linespacing=1.25, **props,
        )
        return artist.get_window_extent(renderer).height / fig.dpi

    top = height_in - _EDGE
    if title:
        top -= put(title, top, "top", _GIDS[0], _TITLE) + _GAP_AFTER_TITLE
    if subtitle:
        top -= put(subtitle, top, "top", _GIDS[1], _SUBTITLE)
    bottom = _EDGE
    if source_note:
        bottom += put(source_note, bottom, "bottom", _GIDS[2], _NOTE)
    _fit_axes(fig, renderer, top - _GAP_BEFORE_AXES, bottom + _GAP_AFTER_AXES)
    return fig


_WRAP_MARGIN = 0.94


def _renderer(fig: Figure):
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _wrap(text: str, props: dict, max_px: float, renderer) -> str:
    """Greedy word wrap using real text widths; explicit newlines are kept."""
    font = FontProperties(size=props["fontsize"], weight=props["fontweight"])

    def fits(s: str) -> bool:
        return renderer.get_text_width_height_descent(s, font, ismath=False)[0] <= max_px

    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and not fits(candidate):
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _fit_axes(fig: Figure, renderer, top_in: float, bottom_in: float) -> None:
    """Place the axes so everything they draw sits inside the free band."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return
    width_in, height_in = fig.get_size_inches()
    for _ in range(2):  # a second pass absorbs tick labels that changed with the size
        inner = Bbox.union([ax.get_position() for ax in axes])
        outer = Bbox.union([ax.get_tightbbox(renderer) for ax in axes])
        outer = outer.transformed(fig.dpi_scale_trans.inverted())  # pixels -> inches
        left = (_EDGE + max(inner.x0 * width_in - outer.x0, 0)) / width_in
        right = (width_in - _EDGE - max(outer.x1 - inner.x1 * width_in, 0)) / width_in
        bottom = (bottom_in + max(inner.y0 * height_in - outer.y0, 0)) / height_in
        top = (top_in - max(outer.y1 - inner.y1 * height_in, 0)) / height_in
        if not (0 < left < right < 1 and 0 < bottom < top < 1):
            raise ValueError(
                "figure too small for its title block, labels and legend; "
                "use a larger size or shorter texts"
            )
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
