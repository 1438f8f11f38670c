"""The learned simulator: periodic graph, network, simulator (normalisation and
integrator), training noise, presets, training, checkpoints, distributed placement,
rollouts and their cache, shipped models with their provenance. Learns from the
trajectories it is given; never reaches the MD layer, not even through the data layer."""
