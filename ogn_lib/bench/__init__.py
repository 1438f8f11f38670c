"""Benchmarks: MD through the library against LAMMPS run directly, the two MD engines, the
OGN's prediction and training speed (across sizes, liquids and levers), and the shipped
models against the accuracy bars. Each returns the report that
a script in ``scripts/`` writes as JSON; the book's pages read it."""
