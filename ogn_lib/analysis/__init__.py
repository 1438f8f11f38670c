"""Analysis of trajectories, whoever made them (MD or an OGN): dynamics and glass
quantities, energies, scores, trivial baselines, accuracy against baselines and swept
conditions. Measures only: it never runs an MD engine, rolls a model out or loads one
(:mod:`ogn_lib.studies` does), and tables, figures and Markdown live in :mod:`ogn_lib.book`."""
