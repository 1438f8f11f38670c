"""Each check of ``page_checks`` fails on a page made to break it and passes a clean one."""

import io

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from page_checks import (
    FONT_KEY,
    console_errors,
    exponent_numbers,
    file_name_alts,
    long_output_blocks,
    png_text,
    quoted_glues,
    small_figure_text,
)

from ogn_lib.book import figure_data

CLEAN = """<html><body><article class="bd-article">
<p>The OGN reaches <span class="output text_plain">0.109</span> σ after 100 MD steps;
LAMMPS runs at 1.4e+06 atom-steps/s, the rate 3e-4 per τ.</p>
<div class="cell_output"><div class="output stdout"><pre>one line</pre></div>
<div class="output stderr"><pre>a short warning
second line</pre></div></div>
<div class="cell_input"><pre>x = 1.97e+03  # hidden code is not read</pre></div>
<img alt="(A) RMSE after 100 MD steps against N" src="../_images/abc.png"/>
<img src="data:image/png;base64,AAAA"/>
</article></body></html>"""


def test_a_clean_page_passes_every_check():
    assert long_output_blocks(CLEAN) == []
    assert quoted_glues(CLEAN) == []
    assert file_name_alts(CLEAN) == []
    assert exponent_numbers(CLEAN) == []


def test_a_long_stderr_block_is_found():
    wall = "\n".join(f"implicit data copy when writing chunk {i}" for i in range(7))
    page = CLEAN.replace("second line", wall)
    (problem,) = long_output_blocks(page)
    assert "8 lines" in problem


def test_glued_text_in_quotes_is_found_whatever_the_quote_marks():
    for quoted in ("'in every system'", "‘0.109’", '"two"'):
        page = CLEAN.replace(">0.109<", f">{quoted}<")
        assert len(quoted_glues(page)) == 1, quoted
    pasted = '<span class="pasted-text">\'where the paper finds 2\'</span>'
    assert quoted_glues(CLEAN.replace("</article>", pasted + "</article>"))


def test_an_alt_text_that_is_a_file_name_or_missing_is_found():
    hashed = '<img alt="../_images/66121a814aade5f9.png" src="../_images/66121a814aade5f9.png"/>'
    assert file_name_alts(CLEAN.replace("</article>", hashed + "</article>"))
    assert file_name_alts(CLEAN.replace("</article>", '<img src="x.png"/></article>'))


def test_numbers_outside_the_pages_range_are_found():
    huge = CLEAN.replace("1.4e+06", "2.64e+19")
    assert "above" in exponent_numbers(huge)[0]
    tiny = CLEAN.replace("3e-4", "3e-21")
    assert "below" in exponent_numbers(tiny)[0]
    assert exponent_numbers(CLEAN.replace("3e-4", "9.51e-16")) == []
    plain = CLEAN.replace("1.4e+06", "T = 1.97e+03 K")
    assert "plain number" in exponent_numbers(plain)[0]
    commit = CLEAN.replace("1.4e+06", "commit <code>0e37783</code>")
    assert exponent_numbers(commit) == []
    flops = CLEAN.replace("1.4e+06", "1.6e+10")
    assert exponent_numbers(flops) and not exponent_numbers(flops, page="book/speed")


def test_javascript_errors_in_chromium_console_are_found():
    log = ('[1207/081500.1:INFO:CONSOLE(59)] "Uncaught SyntaxError: Identifier '
           '\'THEBE_JS_URL\' has already been declared", source: http://x/S05.html (59)\n'
           '[1207/081500.2:INFO:CONSOLE(3)] "loaded", source: http://x/a.js (3)\n')
    (problem,) = console_errors(log)
    assert "THEBE_JS_URL" in problem
    assert console_errors(log.splitlines()[1]) == []


def drawn(width_in, font_pt):
    fig, ax = plt.subplots(figsize=(width_in, 3))
    ax.plot([0, 1], [0, 1], label="OGN")
    ax.set_xlabel("time (τ)", fontsize=font_pt + 2)
    ax.tick_params(labelsize=font_pt)
    ax.legend(fontsize=font_pt)
    png = figure_data.figure_png(fig)
    plt.close(fig)
    return png


def natural_width(png):
    return int.from_bytes(png[16:20], "big")


def test_a_figure_drawn_wider_than_shown_has_text_too_small_to_read():
    assert FONT_KEY == figure_data.FONT_KEY
    column = 672
    for width_in, font_pt, readable in ((7.0, 8, True), (12.0, 8, False), (7.0, 5, False)):
        png = drawn(width_in, font_pt)
        recorded = float(png_text(png)[FONT_KEY])
        assert recorded == pytest.approx(font_pt * figure_data.DPI / 72, abs=0.01)
        shown = min(column, natural_width(png))
        problems = small_figure_text([{"src": "f.png", "width": shown,
                                       "natural": natural_width(png)}], {"f.png": png}.get)
        assert (problems == []) == readable, (width_in, font_pt, problems)


def test_a_figure_without_the_record_is_a_problem():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    (problem,) = small_figure_text([{"src": "x.png", "width": 600, "natural": 640}],
                                   lambda src: buffer.getvalue())
    assert "glue_figure" in problem
