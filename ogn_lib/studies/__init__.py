"""Studies: experiments that make data, train or load models, roll out and measure, built
on the learning and analysis layers: the models of the profile's data sets (shipped, or
trained here on data made when missing), the loss-curve studies, the lever study and the
recorded trainings of the shipped models, the accuracy of rollouts beside every baseline
(from held-out starts, atom by atom, over swept conditions), the energies by the MD
engine's force field and the system-level validation of rollouts, the comparison of the
two MD engines, the learning ablation, the recorded loss curves and the ASE driver
against MD."""
