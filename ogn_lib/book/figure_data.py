"""The data behind each figure of the book, for the reader to download.

:func:`figure_data` reads back what a matplotlib figure draws, panel by panel: every line
(its label and x, y values, error bars included), every scatter's points and every 2-D
histogram's counts with its bin edges. :func:`glue_figure` glues a figure for a numbered
``{glue:figure}`` and shows, where the cell's output is, a link that downloads those data
as JSON (:func:`~ogn_lib.book.report.download_link`).

A glued figure is drawn as a PNG at :data:`DPI` that records, in a text chunk named
:data:`FONT_KEY`, the height of its smallest text in the PNG's own pixels: the book's
browser test scales it to the width the page shows the figure at and asks for at least
9 px, so a figure drawn wider than it is shown, with text that shrinks below legibility,
fails the test.
"""

from __future__ import annotations

import io
import json

import numpy as np
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure
from matplotlib.text import Text

from ogn_lib.book.report import download_link


def _values(array) -> list:
    """Plain numbers for JSON: NaN and infinities as null."""
    array = np.ma.filled(np.ma.asarray(array, dtype=float), np.nan)
    return [None if not np.isfinite(value) else float(value) for value in array.ravel()]


def figure_data(fig: Figure) -> dict:
    """Each panel of ``fig`` (title, axis labels and scales) with the data it draws."""
    panels = []
    for axes in fig.axes:
        panel = {"title": axes.get_title(), "x label": axes.get_xlabel(),
                 "y label": axes.get_ylabel(), "x scale": axes.get_xscale(),
                 "y scale": axes.get_yscale(), "lines": [], "points": [], "histograms": []}
        for line in axes.get_lines():
            x, y = line.get_xdata(orig=True), line.get_ydata(orig=True)
            if np.size(x) == 0:
                continue  # a legend-only entry
            panel["lines"].append({"label": line.get_label(), "x": _values(x),
                                   "y": _values(y)})
        for collection in axes.collections:
            if isinstance(collection, PathCollection) and len(collection.get_offsets()):
                offsets = np.asarray(collection.get_offsets())
                panel["points"].append({"label": collection.get_label(),
                                        "x": _values(offsets[:, 0]),
                                        "y": _values(offsets[:, 1])})
            elif isinstance(collection, QuadMesh):
                coordinates = np.asarray(collection.get_coordinates())
                panel["histograms"].append({
                    "x edges": _values(coordinates[0, :, 0]),
                    "y edges": _values(coordinates[:, 0, 1]),
                    "counts": np.ma.filled(np.ma.asarray(collection.get_array(), dtype=float)
                                           .reshape(coordinates.shape[0] - 1,
                                                    coordinates.shape[1] - 1), 0).tolist()})
        panels.append(panel)
    return {"title": fig._suptitle.get_text() if fig._suptitle else "", "panels": panels}


def figure_data_link(fig: Figure, name: str) -> str:
    """A link that downloads :func:`figure_data` of ``fig`` as ``<name>.json``."""
    content = json.dumps(figure_data(fig), indent=1).encode()
    return download_link(f"{name}.json", content,
                         f"Download the data of this figure ({name}.json)")


DPI = 150
"""Pixels per inch of a glued figure's PNG: a figure 7 inches wide, the book's text column
of 672 CSS pixels, is 1050 pixels, sharp on a high-density screen."""

FONT_KEY = "ogn-smallest-font-px"
"""The PNG text chunk that holds the smallest text's size in the PNG's pixels."""


def smallest_font_points(fig: Figure) -> float:
    """The size of the smallest visible, non-empty text of ``fig`` (points): tick labels,
    axis labels, legends, titles, annotations."""
    sizes = [text.get_fontsize() for text in fig.findobj(Text)
             if text.get_visible() and text.get_text().strip()]
    if not sizes:
        raise ValueError("the figure has no text: label its axes")
    return float(min(sizes))


def figure_png(fig: Figure) -> bytes:
    """``fig`` as a PNG at :data:`DPI`, cropped to what it draws, with the size of its
    smallest text in pixels recorded under :data:`FONT_KEY`."""
    smallest_px = smallest_font_points(fig) * DPI / 72
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight",
                metadata={FONT_KEY: f"{smallest_px:.2f}"})
    return buffer.getvalue()


def glue_figure(name: str, fig: Figure) -> None:
    """Glue ``fig`` under ``name`` for a ``{glue:figure}`` (:func:`figure_png`) and show
    the link to its data."""
    from IPython.display import HTML, Image, display
    from myst_nb import glue

    glue(name, Image(data=figure_png(fig), format="png"), display=False)
    display(HTML(figure_data_link(fig, name)))
