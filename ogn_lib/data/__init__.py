"""Trajectories (GSD files with a validated metadata sidecar) and the data-set catalogue:
which trajectories each profile needs and how they are generated. Imports the MD layer
only to generate data."""
