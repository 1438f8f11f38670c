"""Molecular dynamics: the four systems (MD facts only), the LAMMPS engine, the protocols
that make liquids and glasses, and MD run as a baseline (a k-fold larger step, the chaos
floor). Knows nothing of torch or of the learned simulator."""
