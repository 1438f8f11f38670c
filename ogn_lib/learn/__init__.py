"""The learned simulator: periodic graph, network, simulator (normalisation and
integrator), training noise, presets, training, checkpoints, distributed placement,
rollouts, trained models and loss curves. Reads trajectories; never imports the MD layer."""
