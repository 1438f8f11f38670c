"""The built book in a real browser: every page of the toc loads in headless Chromium,
section pages show their figure, movies play, no internal link is broken, no table is
wider than the page and no figure is shrunk below most of the text column.

The book is built into a temporary folder with ``jupyter-book build -W -n --keep-going``
(or taken from ``$OGN_BOOK_HTML``, a built ``_build/html``), served on 127.0.0.1 by a
Python ``http.server`` thread that records every request, and each page is opened with
Debian's ``chromium --headless --dump-dom``. What the browser asked the server for, and got,
is what a reader would see: a figure counts only if Chromium fetched it with status 200.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import page_checks
import pytest

from ogn_lib.paths import REPOSITORY_ROOT

ROOT = REPOSITORY_ROOT
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--virtual-time-budget=3000",
                  "--window-size=1280,2000")
SECTION_CAPTION = "The supplement, section by section"
LAYOUT_PROBE = b"""<script>
window.addEventListener("load", () => {
  const article = document.querySelector(".bd-article");
  if (!article) return;
  const width = (element) => Math.round(element.getBoundingClientRect().width);
  document.body.setAttribute("data-ogn-layout", JSON.stringify({
    column: width(article),
    tables: [...article.querySelectorAll("table")].map(width),
    figures: [...article.querySelectorAll(".cell_output img, figure img")]
      .filter((image) => !image.src.startsWith("data:"))
      .map((image) => ({src: image.getAttribute("src"), width: width(image),
                        natural: image.naturalWidth}))}));
});
</script>"""
"""Served into every page (not written into the book): measures, in the browser's layout,
the article column and every table and figure in it, for the DOM dump to carry."""
MIN_FIGURE_FRACTION = 0.6
"""A figure narrower than this fraction of the text column is too small to read."""

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: `apt-get install -y chromium chromium-driver` "
           "(Debian) to run the browser test of the book")


def toc_pages() -> dict[str, str]:
    """Every page of ``_toc.yml`` (path without suffix) -> the caption of its part."""
    import yaml  # comes with jupyter-book (the `book` extra)

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = {toc["root"]: "root"}

    def visit(entries, caption):
        for entry in entries or []:
            if "file" in entry:
                pages[entry["file"]] = caption
            visit(entry.get("sections"), caption)

    for part in toc.get("parts", []):
        visit(part.get("chapters"), part.get("caption", ""))
    visit(toc.get("chapters"), "")
    return pages


def draws_a_figure(page: str) -> bool:
    """Whether the page's notebook holds an image among its stored outputs."""
    notebook = ROOT / f"{page}.ipynb"
    if not notebook.exists():
        return False
    cells = json.loads(notebook.read_text()).get("cells", [])
    return any(key.startswith("image/") for cell in cells for output in cell.get("outputs", [])
               for key in output.get("data", {}))


@pytest.fixture(scope="module")
def book_html() -> Path:
    """A freshly built book (no warnings allowed), or ``$OGN_BOOK_HTML``."""
    given = os.environ.get("OGN_BOOK_HTML")
    if given:
        yield Path(given)
        return
    output = Path(tempfile.mkdtemp(prefix="ogn-book-"))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    assert jupyter_book.exists(), (f"{jupyter_book} is missing: install the book tools with "
                                   "`pip install -e '.[test,book]'`")
    build = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(output), "-W", "-n",
         "--keep-going"], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, (
        "the book does not build without warnings:\n" + build.stdout[-4000:] + build.stderr[-4000:])
    yield output / "_build" / "html"
    shutil.rmtree(output, ignore_errors=True)


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass

    def do_GET(self):
        """Pages get :data:`LAYOUT_PROBE` before ``</body>``; everything else as it is."""
        path = Path(self.translate_path(self.path))
        if path.suffix != ".html" or not path.is_file():
            return super().do_GET()
        body = path.read_bytes().replace(b"</body>", LAYOUT_PROBE + b"</body>", 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_response(self, code, message=None):
        self.server.requests.append((unquote(urlsplit(self.path).path), code))
        super().send_response(code, message)


@pytest.fixture(scope="module")
def server(book_html):
    """``(base_url, requests)``: the book on 127.0.0.1; ``requests`` lists (path, status)."""
    handler = functools.partial(_RecordingHandler, directory=str(book_html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.requests
    httpd.shutdown()
    httpd.server_close()


def dump_dom(url: str, console: list | None = None) -> str:
    """The page's DOM after load, as Chromium renders it (fresh profile each time); with
    ``console``, Chromium's log (its console messages among them) is appended to it."""
    with tempfile.TemporaryDirectory(prefix="ogn-chromium-") as profile:
        result = subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"chromium failed on {url}: {result.stderr[-2000:]}"
    if console is not None:
        console.append(result.stderr)
    return result.stdout


class _Elements(HTMLParser):
    """Collects ids, links, images, iframes and headings of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.images, self.iframes, self.h1 = set(), [], [], [], []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "img":
            self.images.append(attrs.get("src") or "")
        elif tag == "iframe":
            self.iframes.append(attrs.get("src") or "")
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1 and data.strip():
            self.h1.append(data.strip())


def parse(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    return elements


@functools.cache
def ids_of(path: Path) -> frozenset:
    return frozenset(parse(path.read_text(encoding="utf-8", errors="replace")).ids)


def broken_links(page_url: str, base_url: str, hrefs, book_html: Path) -> list[str]:
    """Local links of the page whose file or anchor does not exist in the built book."""
    broken = []
    for href in hrefs:
        target = urlsplit(urljoin(page_url, href))
        if f"{target.scheme}://{target.netloc}" != base_url:
            continue  # external (http(s) elsewhere, mailto:, ...): not this test's business
        path = book_html / unquote(target.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(f"{href} (no file {path.relative_to(book_html)})")
        elif target.fragment and path.suffix == ".html" and target.fragment not in ids_of(path):
            broken.append(f"{href} (no anchor #{target.fragment} in {path.name})")
    return broken


CONSOLE_LOGS: dict[str, str] = {}
"""Each toc page -> Chromium's log while it rendered (filled by :func:`rendered`)."""


@pytest.fixture(scope="module")
def rendered(server):
    """Each toc page -> its DOM as Chromium rendered it (its console in
    :data:`CONSOLE_LOGS`)."""
    base_url, requests = server
    pages = toc_pages()

    def open_page(page):
        console = []
        dom = dump_dom(f"{base_url}/{page}.html", console)
        CONSOLE_LOGS[page] = console[0]
        return page, dom

    with ThreadPoolExecutor(max_workers=2) as pool:
        doms = dict(pool.map(open_page, pages))
    return doms


def test_every_toc_page_loads_with_its_title(rendered, server):
    _, requests = server
    missing_pages = [page for page in toc_pages()
                     if (f"/{page}.html", 200) not in requests]
    assert not missing_pages, f"pages not served to the browser: {missing_pages}"
    for page, dom in rendered.items():
        elements = parse(dom)
        assert elements.h1, f"{page}: the browser shows no title (empty or failed page)"
        assert 'class="bd-article"' in dom or "bd-article" in dom, f"{page}: no article body"


def test_every_section_page_shows_its_figure(rendered, server, book_html):
    """Section pages (S01-S11), and every other notebook that draws a figure (the speed
    page), show at least one image that the browser fetched successfully."""
    base_url, requests = server
    served = {path for path, status in requests if status == 200}
    figure_pages = [page for page, caption in toc_pages().items()
                    if caption == SECTION_CAPTION or draws_a_figure(page)]
    assert figure_pages, "the toc lists no section page"
    for page in figure_pages:
        images = [src for src in parse(rendered[page]).images if "logo" not in src]
        fetched = [src for src in images if src.startswith("data:image")
                   or urlsplit(urljoin(f"{base_url}/{page}.html", src)).path in served]
        assert fetched, f"{page}: no figure shown (images in the page: {images})"


def test_no_internal_link_is_broken(rendered, server, book_html):
    base_url, _ = server
    problems = {}
    for page, dom in rendered.items():
        elements = parse(dom)
        broken = broken_links(f"{base_url}/{page}.html", base_url,
                              elements.hrefs + elements.iframes, book_html)
        if broken:
            problems[page] = broken
    assert not problems, f"broken internal links: {problems}"


def test_no_resource_the_browser_asked_for_is_missing(rendered, server):
    _, requests = server
    failed = sorted({path for path, status in requests if status >= 400
                     and not path.endswith("favicon.ico")})
    assert not failed, f"the browser asked for files the book does not have: {failed}"


def test_movies_play(rendered, server, book_html):
    """Every movie embedded in a page is served, and its player shows a frame once its
    JavaScript has run (the <img> gets a data: image)."""
    base_url, _ = server
    movies = [(page, src) for page, dom in rendered.items() for src in parse(dom).iframes
              if "movies/" in src]
    if "book/movies" in rendered:
        assert len(movies) >= 4, f"the movies page embeds {len(movies)} movies, expected 4"
    for page, src in movies:
        url = urljoin(f"{base_url}/{page}.html", src)
        assert (book_html / urlsplit(url).path.lstrip("/")).is_file(), (
            f"{src} (in {page}) is missing: write the movies first with "
            "`python -m ogn_lib.book.movies quick`, then rebuild the book")
        dom = dump_dom(url)
        frames = [image for image in parse(dom).images if image.startswith("data:image/png")]
        assert frames, f"{src} (in {page}): the movie shows no frame in the browser"


def layout_of(dom: str) -> dict | None:
    """What :data:`LAYOUT_PROBE` measured on a rendered page (None: no article)."""
    found = re.search(r'data-ogn-layout="([^"]*)"', dom)
    return json.loads(html.unescape(found.group(1))) if found else None


def test_no_table_is_wider_than_the_page_and_no_figure_narrower_than_most_of_it(rendered):
    problems = {}
    for page, dom in rendered.items():
        layout = layout_of(dom)
        assert layout is not None, f"{page}: the layout probe did not run"
        column = layout["column"]
        wide = [width for width in layout["tables"] if width > column + 2]
        narrow = [figure["width"] for figure in layout["figures"]
                  if figure["width"] < MIN_FIGURE_FRACTION * column]
        if wide or narrow:
            problems[page] = (f"column {column} px; tables wider: {wide}; figures narrower "
                              f"than {MIN_FIGURE_FRACTION:.0%} of it: {narrow}")
    assert not problems, f"pages a reader cannot read at a glance: {problems}"


def article_of(dom: str) -> str:
    """The page's article (what the checks read: not the navigation or the toc)."""
    start = dom.find('class="bd-article"')
    end = dom.find("</article>", start)
    return dom[start:end] if start >= 0 and end > start else dom


def test_no_page_shows_what_a_reader_should_not_meet(rendered, book_html):
    """No long stderr blocks, no glued text in quotes, no file name as alt text, no
    JavaScript error, no number in exponent notation outside the page's range, and no
    figure text under 9 px at the width shown (:mod:`page_checks`)."""
    problems = {}
    for page, dom in rendered.items():
        article = article_of(dom)
        page_url = f"/{page}.html"

        def read_png(src, page_url=page_url):
            return (book_html / urljoin(page_url, src).lstrip("/")).read_bytes()

        found = (page_checks.long_output_blocks(article) + page_checks.quoted_glues(article)
                 + page_checks.file_name_alts(article)
                 + page_checks.console_errors(CONSOLE_LOGS.get(page, ""))
                 + page_checks.exponent_numbers(article, page)
                 + page_checks.small_figure_text(layout_of(dom)["figures"], read_png))
        if found:
            problems[page] = found
    assert not problems, "what a reader should not meet:\n" + "\n".join(
        f"{page}: {problem}" for page, found in problems.items() for problem in found)
