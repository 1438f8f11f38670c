"""Studies: experiments that make data, train or load models, roll out and measure, built
on the learning and analysis layers: the models of the profile's data sets (shipped, or
trained here on data made when missing), the loss-curve studies, the lever study and the
recorded trainings of the shipped models, the system-level validation of their rollouts,
and the comparison of the two MD engines."""
