"""RMSD, cage length and fictive temperature follow their written rules."""

from dataclasses import replace

import numpy as np
import pytest

from ogn_lib.analysis.dynamics import (
    RMSDCurve,
    cage_length,
    cage_length_by_slope,
    cage_lengths_by_temperature,
    rms_speed,
    rmsd_curve,
)
from ogn_lib.analysis.fictive import (
    FictiveTemperatureScan,
    fictive_temperature,
    fictive_temperature_by_intersection,
    fictive_temperature_by_rate,
    quench_curve,
)
from ogn_lib.data.sidecar import TrajectoryMetadata
from ogn_lib.data.trajectory import Trajectory


def straight_line_trajectory(speed=2.0, n_frames=50, dt=0.01, period=2):
    rng = np.random.default_rng(0)
    n_atoms = 30
    directions = rng.normal(size=(n_atoms, 3))
    velocities = speed * directions / np.linalg.norm(directions, axis=1, keepdims=True)
    times = np.arange(n_frames) * dt * period
    unwrapped = rng.uniform(-2, 2, (n_atoms, 3)) + times[:, None, None] * velocities
    box = np.full(3, 4.0)
    images = np.floor(unwrapped / box + 0.5)
    return Trajectory(
        box_lengths=box, positions=unwrapped - images * box,
        velocities=np.broadcast_to(velocities, unwrapped.shape).copy(),
        images=images.astype(np.int32), steps=np.arange(n_frames) * period,
        typeids=np.zeros(n_atoms, dtype=int), type_names=("A",),
        masses=np.ones(n_atoms), energies={},
        metadata=TrajectoryMetadata(system="free-flight", dt=dt, period_steps=period,
                                    n_frames=n_frames))


def test_rmsd_of_free_flight_is_speed_times_time():
    trajectory = straight_line_trajectory()
    curve = rmsd_curve(trajectory)
    np.testing.assert_allclose(curve.rmsd, 2.0 * curve.time, rtol=1e-3)  # freud uses FFTs
    assert curve.time[0] == pytest.approx(0.02)
    assert rms_speed(trajectory) == pytest.approx(2.0)


def ornstein_uhlenbeck_curve(diffusion=0.1, tau=0.05, t_max=20.0, n=4000):
    """Exact RMSD of a particle whose velocity relaxes in time tau (Langevin)."""
    time = np.linspace(t_max / n, t_max, n)
    msd = 6 * diffusion * (time - tau * (1 - np.exp(-time / tau)))
    return RMSDCurve(time=time, rmsd=np.sqrt(msd))


def test_cage_length_is_where_rmsd_joins_the_diffusive_line():
    diffusion, tau = 0.1, 0.05
    curve = ornstein_uhlenbeck_curve(diffusion, tau)
    speed = np.sqrt(3 * diffusion / tau)  # <v^2> = 3 kT/m and D = kT tau / m
    result = cage_length(curve, speed)
    assert result.diffusion_coefficient == pytest.approx(diffusion, rel=0.02)
    assert result.crossover == pytest.approx(6 * diffusion / speed, rel=0.02)
    # Independent: 1 - sqrt(1 - tau (1 - e^{-t/tau}) / t) = 0.1 solved by bisection.
    low, high = tau, 100 * tau
    for _ in range(60):
        middle = (low + high) / 2
        gap = 1 - np.sqrt(1 - tau * (1 - np.exp(-middle / tau)) / middle)
        low, high = (middle, high) if gap > 0.1 else (low, middle)
    expected = np.sqrt(6 * diffusion * (low - tau * (1 - np.exp(-low / tau))))
    assert result.value == pytest.approx(expected, rel=0.03)
    assert result.value > result.crossover


def random_walk_trajectory(n_atoms=40, n_frames=400, step=0.05):
    """Atoms that diffuse from the first lag on (their D(t) joins the diffusive line at
    once), with thermal velocities."""
    rng = np.random.default_rng(3)
    base = straight_line_trajectory()
    unwrapped = np.cumsum(rng.normal(0, step, (n_frames, n_atoms, 3)), axis=0)
    box = np.full(3, 4.0)
    images = np.floor(unwrapped / box + 0.5)
    return replace(base, positions=unwrapped - images * box, images=images.astype(np.int32),
                   velocities=rng.normal(0, 1, (n_frames, n_atoms, 3)),
                   steps=np.arange(n_frames) * 2, typeids=np.zeros(n_atoms, dtype=int),
                   masses=np.ones(n_atoms), metadata=replace(base.metadata, n_frames=n_frames))


def test_cage_length_needs_a_diffusive_window():
    curve = RMSDCurve(time=np.array([0.1, 0.2]), rmsd=np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="record a longer trajectory"):
        cage_length(curve, 1.0)


def test_fictive_temperature_is_the_inflection_of_energy_against_temperature():
    rng = np.random.default_rng(1)
    temperatures = np.linspace(0.05, 2.0, 800)
    slope = 1.5 + 0.5 * np.exp(-(((temperatures - 0.62) / 0.15) ** 2))
    energies = -7.5 + np.concatenate([[0.0], np.cumsum(
        0.5 * (slope[1:] + slope[:-1]) * np.diff(temperatures))])
    energies += rng.normal(0, 0.003, temperatures.shape)
    result = fictive_temperature(temperatures, energies)
    assert result.value == pytest.approx(0.62, abs=0.03)
    assert np.nanmax(result.slopes) == pytest.approx(2.0, abs=0.1)


def test_fictive_temperature_needs_samples_in_its_windows():
    with pytest.raises(ValueError, match="holds 5 samples"):
        fictive_temperature([2.0, 1.8, 1.6, 1.4], [1, 2, 3, 4])


def test_quench_curve_averages_quenches_per_atom():
    base = straight_line_trajectory()
    logs = [{"set_point": [2.0, 1.0, 0.5], "temperature": [2.1, 0.9, 0.5],
             "potential_energy": [-30.0, -60.0, -90.0]},
            {"set_point": [2.0, 1.0, 0.5], "temperature": [1.9, 1.1, 0.4],
             "potential_energy": [-60.0, -90.0, -120.0]}]
    runs = [replace(base, metadata=replace(base.metadata, quench=log)) for log in logs]
    curve = quench_curve(runs)
    np.testing.assert_allclose(curve.temperature, [2.0, 1.0, 0.5])
    np.testing.assert_allclose(curve.energy_per_atom, np.array([-45.0, -75.0, -105.0]) / 30)
    assert curve.n_quenches == 2
    with pytest.raises(ValueError, match="without a quench log"):
        quench_curve([base])


def caged_msd(time, plateau=0.04, tau=0.1, diffusion=0.01):
    """MSD of an atom that flies, rattles in a cage of MSD ``plateau``, then diffuses."""
    return plateau * (1 - np.exp(-(time / tau) ** 2)) + 6 * diffusion * time


def test_the_slope_rule_finds_where_a_caged_rmsd_starts_to_grow_as_root_t():
    time = np.geomspace(1e-3, 50.0, 3000)
    curve = RMSDCurve(time=time, rmsd=np.sqrt(caged_msd(time)))
    # Independent: the analytic local slope t MSD' / (2 MSD) falls to 1/2 (bisection).
    def slope(t, plateau=0.04, tau=0.1, diffusion=0.01):
        derivative = plateau * 2 * t / tau**2 * np.exp(-(t / tau) ** 2) + 6 * diffusion
        return t * derivative / (2 * caged_msd(t))
    low, high = 1e-3, 0.3  # slope 1 at the start, below 1/2 on the plateau by t = 0.3
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if slope(middle) > 0.5 else (low, middle)
    assert cage_length_by_slope(curve) == pytest.approx(np.sqrt(caged_msd(low)), rel=0.01)


def test_the_slope_rule_finds_no_cage_in_a_liquid_without_one():
    assert np.isnan(cage_length_by_slope(ornstein_uhlenbeck_curve()))


def test_two_lines_meet_at_the_fictive_temperature():
    temperature = np.linspace(2.0, 0.05, 400)
    glass = -7.0 + 1.2 * temperature
    liquid = -7.0 + 1.2 * 0.6 + 2.5 * (temperature - 0.6)  # meets the glass line at 0.6
    energy = np.where(temperature > 0.6, liquid, glass)
    result = fictive_temperature_by_intersection(temperature, energy)
    assert result.value == pytest.approx(0.6, abs=1e-9) and result.readable == result.value
    assert result.liquid[0] == pytest.approx(2.5) and result.glass[0] == pytest.approx(1.2)
    with pytest.raises(ValueError, match="holds 0 samples"):
        fictive_temperature_by_intersection(temperature, energy, liquid_window=(3.0, 4.0))
    with pytest.raises(ValueError, match="same slope"):
        fictive_temperature_by_intersection(temperature, glass)


def test_the_crossing_of_two_noisy_lines_has_the_spread_of_its_error():
    rng = np.random.default_rng(1)
    temperature = np.linspace(2.0, 0.05, 200)
    exact = np.where(temperature > 0.6, -7.0 + 1.2 * 0.6 + 2.5 * (temperature - 0.6),
                     -7.0 + 1.2 * temperature)
    fits = [fictive_temperature_by_intersection(temperature, exact + rng.normal(0, 0.01, 200))
            for _ in range(400)]
    values = np.array([fit.value for fit in fits])
    assert np.std(values) == pytest.approx(np.median([fit.stderr for fit in fits]), rel=0.15)
    assert all(fit.bend_resolved for fit in fits)
    measured = fits[0].measurement(4)
    assert measured.low < fits[0].value < measured.high and measured.n == 4


def test_a_straight_noisy_curve_has_no_bend_and_no_fictive_temperature():
    rng = np.random.default_rng(2)
    temperature = np.linspace(2.0, 0.05, 200)
    fit = fictive_temperature_by_intersection(temperature, -7.0 + 1.2 * temperature
                                              + rng.normal(0, 0.05, 200))
    assert not fit.bend_resolved
    assert "no bend" in fit.measurement(4).failure


def test_lines_that_meet_inside_a_fit_window_bracket_no_bend():
    temperature = np.linspace(2.0, 0.05, 400)
    bent_at_0_2 = np.where(temperature > 0.2, -7.0 + 1.2 * 0.2 + 2.5 * (temperature - 0.2),
                           -7.0 + 1.2 * temperature)
    fit = fictive_temperature_by_intersection(temperature, bent_at_0_2, (0.8, 1.4), (0.05, 0.3))
    assert fit.value < 0.3 and fit.between == (0.3, 0.8)
    assert "outside the gap between their fit windows" in fit.measurement(4).failure
    assert np.isnan(fit.readable)


def kinked_quench(rate: float, fictive: float, n_atoms: int = 30) -> Trajectory:
    """A melt-quench whose E(T) log bends at ``fictive`` (glass slope 1.2, liquid 2.5 per
    atom), cooled at ``rate``."""
    base = straight_line_trajectory()
    set_point = np.linspace(2.0, 0.05, 400)
    per_atom = np.where(set_point > fictive, -7.0 + 1.2 * fictive + 2.5 * (set_point - fictive),
                        -7.0 + 1.2 * set_point)
    log = {"set_point": set_point.tolist(), "temperature": set_point.tolist(),
           "potential_energy": (n_atoms * per_atom).tolist()}
    return replace(base, typeids=np.zeros(n_atoms, dtype=int), metadata=replace(
        base.metadata, quench=log, parameters={"cooling_rate": rate}))


def test_the_rate_scan_groups_quenches_by_rate_and_finds_the_rate_of_a_given_tf():
    # T_f rises by 0.1 per decade of rate: 0.5 at 1e-4, 0.6 at 1e-3, 0.7 at 1e-2.
    quenches = [kinked_quench(rate, fictive) for rate, fictive in
                ((1e-2, 0.69), (1e-2, 0.71), (1e-4, 0.5), (1e-3, 0.6), (1e-3, 0.6))]
    scan = fictive_temperature_by_rate(quenches, (0.9, 1.5), (0.05, 0.3))
    np.testing.assert_allclose(scan.rates, [1e-4, 1e-3, 1e-2])
    np.testing.assert_allclose(scan.mean("two lines"), [0.5, 0.6, 0.7], atol=1e-9)
    assert scan.spread("two lines")[2] == pytest.approx(np.std([0.69, 0.71], ddof=1))
    assert np.isnan(scan.spread("two lines")[0])
    assert scan.rate_at(0.62, "two lines") == pytest.approx(10 ** -2.8, rel=1e-6)
    assert np.isnan(scan.rate_at(0.8, "two lines"))  # beyond the scan: never extrapolated
    assert len(scan.values["peak of dE/dT"][2]) == 2
    with pytest.raises(ValueError, match="at least two"):
        fictive_temperature_by_rate(quenches[:2], (0.9, 1.5), (0.05, 0.3))


def test_the_cage_scan_orders_runs_by_temperature_and_finds_where_a_length_is_crossed():
    # Free flight at three speeds (faster: "hotter"); no cage, so the slope rule gives NaN.
    runs = []
    for temperature, speed in ((2.0, 1.0), (1.0, 0.5), (3.0, 1.5)):
        run = straight_line_trajectory(speed=speed, n_frames=200)
        runs.append(replace(run, metadata=replace(run.metadata,
                                                  parameters={"temperature": temperature})))
    scan = cage_lengths_by_temperature(runs)
    np.testing.assert_allclose(scan.temperatures, [1.0, 2.0, 3.0])
    joined = scan.values["joins the diffusive line"]
    assert all(np.isnan(scan.values["slope falls to 1/2"]))
    assert joined[0] < joined[1] < joined[2]
    middle = 0.5 * (joined[0] + joined[1])
    assert scan.temperature_at(middle, "joins the diffusive line") == pytest.approx(1.5)
    assert np.isnan(scan.temperature_at(10 * joined[2], "joins the diffusive line"))
    with pytest.raises(ValueError, match="set-point temperature"):
        cage_lengths_by_temperature([straight_line_trajectory()])


def test_a_rate_scan_leaves_out_quenches_whose_lines_mark_no_bend():
    scan = FictiveTemperatureScan(rates=np.array([1e-3, 1e-2, 1e-1]),
                                  values={"two lines": [np.array([0.40, np.nan]),
                                                        np.array([0.50, 0.52]),
                                                        np.array([np.nan, np.nan])]})
    assert scan.counts("two lines").tolist() == [1, 2, 0]
    assert scan.mean("two lines")[:2] == pytest.approx([0.40, 0.51])
    assert np.isnan(scan.mean("two lines")[2]) and np.isnan(scan.spread("two lines")[0])
    # the line through the two rates that gave a T_f: 0.40 at 1e-3, 0.51 at 1e-2
    assert scan.rate_at(0.455, "two lines") == pytest.approx(10 ** -2.5, rel=1e-6)
