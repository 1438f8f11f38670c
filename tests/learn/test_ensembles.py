"""Rollout ensembles: each keeps what it promises (energy, canonical temperature, momentum)."""

from dataclasses import replace

import numpy as np
import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib import thermo
from ogn_lib.learn.ensembles import CSVR, NVE, EnergyRescaledNVE, EnsembleError, Langevin
from ogn_lib.learn.rollout import RolloutBlowUp, rollout_states, rollout_trajectory

STEP_TIME = 0.01


@pytest.fixture(scope="module")
def start():
    return toy_trajectory().configuration(0)


class HarmonicWell:
    """A stand-in energy model: U = sum_i |x_i|^2 / 2 (energy unit)."""

    def potential_energy(self, state) -> float:
        return 0.5 * float(np.sum(state.positions.astype(np.float64) ** 2))


def _momentum(state) -> np.ndarray:
    return state.masses @ state.velocities.astype(np.float64)


def _jostled(state, random, scale=0.05):
    """The state with its positions and velocities moved as a poor simulator would."""
    return replace(state, positions=state.positions + scale * random.standard_normal(
        state.positions.shape), velocities=state.velocities * (1 + scale * random.standard_normal(
            state.velocities.shape)))


def test_energy_rescaling_holds_the_total_energy_to_rounding(start):
    ensemble = EnergyRescaledNVE(HarmonicWell(), mvv2e=1.0)
    step = ensemble.begin(start, STEP_TIME)
    random = np.random.default_rng(0)
    state = start
    for _ in range(20):
        jostled = _jostled(state, random)
        state = step(jostled)
        assert ensemble.total_energy(state) == pytest.approx(ensemble.total_energy(start),
                                                             rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(_momentum(state), _momentum(jostled), atol=1e-9)


def test_energy_rescaling_keeps_the_momentum_it_is_given(start):
    moving = replace(start, velocities=1.1 * start.velocities + np.array([0.3, -0.1, 0.2]))
    state = EnergyRescaledNVE(HarmonicWell(), mvv2e=1.0).begin(start, STEP_TIME)(moving)
    np.testing.assert_allclose(_momentum(state), _momentum(moving), atol=1e-9)
    assert not np.allclose(state.velocities, moving.velocities)


def test_energy_rescaling_refuses_an_energy_no_rescaling_restores(start):
    step = EnergyRescaledNVE(HarmonicWell(), mvv2e=1.0).begin(start, STEP_TIME)
    far = replace(start, positions=start.positions * 10)
    with pytest.raises(EnsembleError, match="no rescaling of the velocities restores it"):
        step(far)


def test_csvr_samples_the_canonical_kinetic_energy_distribution(start):
    """Without dynamics, CSVR alone is a Markov chain on K whose stationary law is the
    canonical one: K ~ Gamma(n_f / 2, k_B T), mean n_f k_B T / 2, variance n_f (k_B T)^2 / 2."""
    temperature = 0.7
    step = CSVR(temperature, coupling_time=0.05, seed=3).begin(start, STEP_TIME)
    state, energies = start, []
    for index in range(20000):
        state = step(state)
        if index >= 500:
            energies.append(thermo.thermal_kinetic_energy(state.masses, state.velocities))
    n_free = thermo.degrees_of_freedom(start.n_atoms)
    assert np.mean(energies) == pytest.approx(0.5 * n_free * temperature, rel=0.03)
    assert np.var(energies) == pytest.approx(0.5 * n_free * temperature**2, rel=0.15)
    np.testing.assert_allclose(_momentum(state), _momentum(start), atol=1e-9)


def test_langevin_thermalises_each_velocity_and_keeps_the_momentum(start):
    temperature = 1.3
    step = Langevin(temperature, coupling_time=0.02, seed=5).begin(start, STEP_TIME)
    state, temperatures = start, []
    for index in range(3000):
        state = step(state)
        if index >= 100:
            temperatures.append(thermo.kinetic_temperature(state.masses, state.velocities))
    assert np.mean(temperatures) == pytest.approx(temperature, rel=0.03)
    np.testing.assert_allclose(_momentum(state), _momentum(start), atol=1e-9)


@pytest.mark.parametrize("thermostat", [CSVR, Langevin])
@pytest.mark.parametrize("temperature, coupling, message", [
    (-1.0, 0.1, "temperature -1.0: give a positive k_B T"),
    (float("nan"), 0.1, "temperature nan: give a positive k_B T"),
    (1.0, 0.0, "coupling time 0.0: give a positive time"),
])
def test_a_bad_thermostat_setting_is_refused_with_what_to_give(thermostat, temperature,
                                                               coupling, message):
    with pytest.raises(ValueError, match=message):
        thermostat(temperature, coupling)


def test_thermostatted_rollout_keeps_the_total_momentum_and_records_its_ensemble(start):
    ensemble = CSVR(2.0, coupling_time=0.05, seed=1)
    trajectory = rollout_trajectory(untrained_simulator(), start, 5, ensemble)
    momenta = trajectory.masses @ trajectory.velocities.astype(np.float64)
    np.testing.assert_allclose(momenta, np.broadcast_to(momenta[0], momenta.shape), atol=1e-4)
    assert trajectory.metadata.extra["ensemble"] == {
        "name": "nvt-csvr", "temperature": 2.0, "coupling_time": 0.05, "mvv2e": 1.0, "seed": 1}
    temperatures = [thermo.kinetic_temperature(trajectory.masses, v)
                    for v in trajectory.velocities]
    assert temperatures[-1] != pytest.approx(temperatures[0], rel=1e-3)


def test_raw_nve_rollout_is_unchanged_by_the_ensemble_layer(start):
    plain = list(rollout_states(untrained_simulator(), start, 3))
    explicit = list(rollout_states(untrained_simulator(), start, 3, NVE()))
    for a, b in zip(plain, explicit):
        np.testing.assert_array_equal(a.velocities, b.velocities)


def test_an_ensemble_that_cannot_be_kept_stops_the_rollout_as_a_blow_up(start):
    class Rising(HarmonicWell):
        def potential_energy(self, state) -> float:
            return 0.0 if state.step == start.step else 1e9

    with pytest.raises(RolloutBlowUp, match="prediction 1: step 5: the total energy"):
        list(rollout_states(untrained_simulator(), start, 2,
                            EnergyRescaledNVE(Rising(), mvv2e=1.0)))


def test_make_ensemble_converts_units_and_defaults_the_coupling_to_100_md_steps():
    from ogn_lib.learn.ensembles import (
        CSVR,
        DEFAULT_COUPLING_MD_STEPS,
        NVE,
        Langevin,
        make_ensemble,
    )

    assert DEFAULT_COUPLING_MD_STEPS == 100
    assert make_ensemble("nve", dt=0.005, boltzmann=1.0) == NVE()
    csvr = make_ensemble("nvt-csvr", dt=0.002, boltzmann=8.617e-5, mvv2e=1.036e-4,
                         temperature=2000.0, seed=3)
    assert isinstance(csvr, CSVR) and csvr.temperature == pytest.approx(8.617e-5 * 2000.0)
    assert csvr.coupling_time == pytest.approx(0.2) and csvr.seed == 3
    langevin = make_ensemble("nvt-langevin", dt=0.005, boltzmann=1.0, temperature=0.9,
                             coupling_time=1.5)
    assert isinstance(langevin, Langevin) and langevin.coupling_time == 1.5
    for name, options, message in (("nvt-csvr", {}, "needs a temperature"),
                                   ("nve", {"temperature": 1.0}, "takes no temperature"),
                                   ("nve-rescaled", {}, "needs an energy model"),
                                   ("npt", {}, "choose one of")):
        with pytest.raises(ValueError, match=message):
            make_ensemble(name, dt=0.005, boltzmann=1.0, **options)
