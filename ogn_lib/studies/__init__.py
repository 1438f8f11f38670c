"""Studies: experiments that make data, train or load models, roll out and measure, built
on the learning and analysis layers (issue 29 moves the existing ones here)."""
