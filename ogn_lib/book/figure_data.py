"""The data behind each figure of the book, for the reader to download.

:func:`figure_data` reads back what a matplotlib figure draws, panel by panel: every line
(its label and x, y values, error bars included), every scatter's points and every 2-D
histogram's counts with its bin edges. :func:`glue_figure` glues a figure for a numbered
``{glue:figure}`` and shows, where the cell's output is, a link that downloads those data
as JSON (:func:`~ogn_lib.book.report.download_link`).
"""

from __future__ import annotations

import json

import numpy as np
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

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


def glue_figure(name: str, fig: Figure) -> None:
    """Glue ``fig`` under ``name`` for a ``{glue:figure}`` and show the link to its data."""
    from IPython.display import HTML, display
    from myst_nb import glue

    glue(name, fig, display=False)
    display(HTML(figure_data_link(fig, name)))
