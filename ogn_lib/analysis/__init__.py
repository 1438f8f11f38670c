"""Analysis of trajectories, whoever made them (MD or an OGN): dynamics and glass
quantities, energies, scores, trivial baselines, accuracy against baselines and swept
conditions. Computes only: tables, figures and Markdown live in :mod:`ogn_lib.book`."""
