"""What a reader should never meet on a built page, as checks over its HTML.

Each function takes what the browser test has of a page (its HTML as Chromium rendered it,
Chromium's console output, the PNG files of its figures) and returns the problems found,
one string each; an empty list means the page is clean. ``test_page_checks.py`` shows each
check failing on a page made to break it; ``test_book_browser.py`` applies them to every
page of the built book.
"""

from __future__ import annotations

import re
import struct
import zlib
from html.parser import HTMLParser

MAX_OUTPUT_LINES = 5
"""The longest stderr or warning block a page may show (lines)."""

MIN_FONT_PX = 9.0
"""The smallest text a figure may show at the width the page shows it (CSS pixels)."""

FONT_KEY = "ogn-smallest-font-px"
"""The PNG text chunk in which ``ogn_lib.book.figure_data.figure_png`` records the size of
a figure's smallest text in the PNG's pixels (the test does not import the library, so the
name is repeated here; ``test_page_checks`` checks that the two agree)."""

DEFAULT_MAX_EXPONENT = 6
"""The largest power of ten a page may write in exponent notation (1e+06) unless
:data:`PAGE_MAX_EXPONENT` states its own range: larger numbers on these pages are debris
(a blown-up temperature ratio), not measurements."""

MIN_EXPONENT = -16
"""The smallest power of ten any page may write: float64's resolution (a difference of two
runs that agree to the last bit, a chaos floor's first steps)."""

PAGE_MAX_EXPONENT = {"book/speed": 12}
"""Pages that state a wider range: the speed page gives rates in flop/s (about 1e+10)."""

_QUOTES = "'\"‘’“”"


class _Text(HTMLParser):
    """The text a reader sees in the article, leaving out scripts, styles and hidden code
    cells' inputs; with the stderr blocks, inline glued texts and images on the way."""

    def __init__(self):
        super().__init__()
        self.visible: list[str] = []
        self.stderr: list[str] = []
        self.pasted: list[str] = []
        self.images: list[dict] = []
        self._stack: list[tuple[str, str]] = []  # (tag, role) of open elements

    def _role(self, tag: str, classes: set[str]) -> str:
        if tag in ("script", "style") or "cell_input" in classes:
            return "skip"
        if tag == "code":  # a file name, a command, a commit: not a number of the prose
            return "code"
        if "stderr" in classes:
            return "stderr"
        if tag == "span" and ("pasted-text" in classes or {"output", "text_plain"} <= classes):
            return "pasted"
        return ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
            return
        if tag in ("br", "hr", "meta", "link", "input", "source", "wbr"):
            return
        classes = set((attributes.get("class") or "").split())
        role = self._role(tag, classes)
        if role == "stderr":
            self.stderr.append("")
        elif role == "pasted":
            self.pasted.append("")
        self._stack.append((tag, role))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        roles = [role for _, role in self._stack]
        if "skip" in roles:
            return
        if "stderr" in roles:
            self.stderr[-1] += data
        if "pasted" in roles:
            self.pasted[-1] += data
        if "code" not in roles:
            self.visible.append(data)


def read_page(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def long_output_blocks(html: str, limit: int = MAX_OUTPUT_LINES) -> list[str]:
    """stderr or warning blocks longer than ``limit`` lines."""
    return [f"a stderr/warning block of {len(block.strip().splitlines())} lines, starting "
            f"{block.strip().splitlines()[0][:80]!r}"
            for block in read_page(html).stderr if len(block.strip().splitlines()) > limit]


def quoted_glues(html: str) -> list[str]:
    """Inline glued texts that show as a quoted Python string (glue a Markdown object)."""
    problems = []
    for text in read_page(html).pasted:
        text = text.strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            problems.append(f"glued text in quotes: {text[:80]}")
    return problems


FILE_NAME = re.compile(r"(\.(png|jpe?g|svg|gif|webp)$)|(^[0-9a-f]{16,})", re.IGNORECASE)


def file_name_alts(html: str) -> list[str]:
    """Images whose alt text is missing or a file name."""
    problems = []
    for image in read_page(html).images:
        alt = (image.get("alt") or "").strip()
        source = image.get("src", "")
        if source.startswith("data:"):  # a movie's frames, drawn by its player
            continue
        if not alt or FILE_NAME.search(alt) or alt == source or alt in source:
            problems.append(f"{source[-60:]}: alt text {alt!r}")
    return problems


CONSOLE = re.compile(r"CONSOLE\(\d+\)\] \"(?P<message>.*?)\", source: (?P<source>\S*)")


def console_errors(chromium_log: str) -> list[str]:
    """JavaScript errors among Chromium's console messages (``--enable-logging=stderr``)."""
    return [f"{match['message'][:160]} ({match['source'][-60:]})"
            for match in CONSOLE.finditer(chromium_log)
            if re.search(r"Error|Uncaught", match["message"])]


NUMBER_WITH_EXPONENT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE]([+\-−]?)(\d+)\b")


def exponent_numbers(html: str, page: str = "") -> list[str]:
    """Numbers in exponent notation outside the page's range: a power of ten above
    :data:`PAGE_MAX_EXPONENT` (default :data:`DEFAULT_MAX_EXPONENT`) or below
    :data:`MIN_EXPONENT`, or a positive exponent of 3 or less, which reads better as a
    plain number (1.97e+03 is 1,970)."""
    limit = PAGE_MAX_EXPONENT.get(page, DEFAULT_MAX_EXPONENT)
    text = " ".join(read_page(html).visible)
    problems = []
    for match in NUMBER_WITH_EXPONENT.finditer(text):
        negative, power = match.group(1) in ("-", "−"), int(match.group(2))
        if not negative and power > limit:
            problems.append(f"{match.group(0)}: a power of ten above this page's 1e+{limit}")
        elif negative and -power < MIN_EXPONENT:
            problems.append(f"{match.group(0)}: a power of ten below 1e{MIN_EXPONENT}")
        elif not negative and power <= 3:
            problems.append(f"{match.group(0)}: write it as a plain number")
    return problems


def png_text(png: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG (keyword -> text)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return {}
    chunks, offset = {}, 8
    while offset + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        data = png[offset + 8:offset + 8 + length]
        if kind == b"tEXt" and b"\0" in data:
            key, value = data.split(b"\0", 1)
            chunks[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt" and b"\0" in data:
            key, value = data.split(b"\0", 1)
            chunks[key.decode("latin-1")] = zlib.decompress(value[1:]).decode("latin-1")
        offset += 12 + length
    return chunks


def small_figure_text(figures: list[dict], read_png) -> list[str]:
    """Figures whose smallest text is under :data:`MIN_FONT_PX` at the width shown.

    ``figures``: per figure of the page, ``src``, ``width`` (shown, CSS px) and
    ``natural`` (the PNG's own width, px), as the browser measured them; ``read_png``
    returns a figure's PNG bytes from its ``src``. A figure without the record of its
    smallest text was not drawn through ``glue_figure`` and counts as a problem."""
    problems = []
    for figure in figures:
        record = png_text(read_png(figure["src"])).get(FONT_KEY)
        name = figure["src"].rsplit("/", 1)[-1][:24]
        if record is None:
            problems.append(f"{name}: no record of its smallest text (draw it with "
                            "ogn_lib.book.figure_data.glue_figure)")
            continue
        shown = float(record) * figure["width"] / figure["natural"]
        if shown < MIN_FONT_PX:
            problems.append(f"{name}: smallest text {shown:.1f} px at the {figure['width']} px "
                            f"shown (at least {MIN_FONT_PX:g})")
    return problems
