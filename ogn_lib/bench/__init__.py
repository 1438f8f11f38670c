"""Speed benchmarks: MD through the library against LAMMPS run directly, and the OGN's
prediction and training throughput. They write JSON; the speed page reads it."""
