"""The book's table of contents has the eleven supplement sections in order, each an
executed notebook of ``notebooks/``, and every section notebook is in it."""

from test_book_browser import toc_pages

from ogn_lib.paths import REPOSITORY_ROOT as ROOT


def test_toc_lists_the_eleven_sections_in_order_and_every_section_notebook():
    sections = [page for page in toc_pages() if page.startswith("notebooks/S")]
    assert [page.split("/")[1][:3] for page in sections] == [f"S{n:02d}" for n in range(1, 12)]
    on_disk = sorted(f"notebooks/{path.stem}" for path in (ROOT / "notebooks").glob("S*.ipynb"))
    assert sections == on_disk


def test_every_notebook_page_is_committed_executed():
    import nbformat

    for page in toc_pages():
        if not (ROOT / f"{page}.ipynb").exists():
            continue
        notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert all(cell.execution_count for cell in code), f"{page} has unexecuted cells"
