"""A Sphinx extension for what the book's HTML needs beyond Jupyter Book 1's defaults
(``_config.yml``: ``sphinx: extra_extensions``).

- **No thebe.** Jupyter Book always loads ``sphinx_thebe``; with launch buttons off it
  still writes thebe's scripts into every page, one of them twice (``const THEBE_JS_URL``
  declared twice is a JavaScript ``SyntaxError`` in every page), and a thebe configuration
  that names thebe's example repository. The book has no live kernel (readers run the
  notebooks locally, ``book/reproduce.md``), so all of it is left out.
- **Alt text from the caption.** A glued figure's image has no alt text of its own, and
  the HTML writer then uses its hashed file name; the figure's caption says what it shows.
"""

from __future__ import annotations

import re

from docutils import nodes

THEBE = re.compile(r"thebe", re.IGNORECASE)
ALT_LENGTH = 300
"""The longest alt text taken from a caption (characters; cut at a word)."""


def _not_thebe(asset) -> bool:
    """Whether a script or stylesheet of the page is not thebe's (by file name or body)."""
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return not (THEBE.search(str(getattr(asset, "filename", asset) or "")) or THEBE.search(body))


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove thebe's scripts and stylesheet from the page's context."""
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if _not_thebe(asset)]


def drop_thebe_config(app, doctree, docname) -> None:
    """Remove the ``text/x-thebe-config`` block sphinx_thebe puts into a page."""
    for node in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in node.astext():
            node.parent.remove(node)


def caption_alt(caption: str) -> str:
    """A figure's alt text from its caption: whitespace collapsed, at most
    :data:`ALT_LENGTH` characters, cut at a word."""
    text = " ".join(caption.split())
    if len(text) <= ALT_LENGTH:
        return text
    return text[:ALT_LENGTH].rsplit(" ", 1)[0] + " …"


def alt_from_captions(app, doctree, docname) -> None:
    """Give every image inside a captioned figure that has no alt text the caption's."""
    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        if not captions:
            continue
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = caption_alt(captions[0].astext())


def setup(app):
    # After sphinx_thebe's handlers (default priority 500).
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    app.connect("doctree-resolved", alt_from_captions, priority=900)
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
