"""The companion book: paper numbers and paper-vs-run tables, figure styles and plots,
movies, the methods and speed pages, and the notebook runner. Imported by the notebooks
and the command line; nothing else in the library imports it."""
