"""Presets: one source for each OGN setting."""

from dataclasses import replace

import pytest

from ogn_lib.learn.presets import (
    DATA_SETS,
    FAST_K_STEPS,
    GRAPH_CUTOFFS,
    PRESETS,
    PROFILE_TRAINING,
    SYSTEM_EPOCHS,
    data_system,
    graph_cutoff,
    model_config,
    training_config,
)
from ogn_lib.md.systems import SYSTEMS


def test_every_system_has_a_graph_cutoff_and_every_data_set_a_fast_stride():
    assert set(GRAPH_CUTOFFS) == set(SYSTEMS)
    assert set(FAST_K_STEPS) == set(SYSTEMS) | set(DATA_SETS)


def test_a_data_set_is_made_by_a_known_system_and_a_liquid_is_named_after_its_own():
    assert {data_system(name) for name in DATA_SETS} <= set(SYSTEMS)
    assert [data_system(name) for name in ("lj", "lj-glass", "cuzr")] == ["lj", "lj", "cuzr"]


def test_the_glass_fast_ogn_predicts_ten_md_steps_and_its_liquid_five():
    assert PRESETS["fast"].k_steps("lj-glass") == 10 and PRESETS["fast"].k_steps("lj") == 5
    assert PRESETS["reference"].k_steps("lj-glass") == 1


def test_the_265_atom_training_box_holds_twice_the_lj_graph_cutoff():
    assert SYSTEMS["lj"].box_length(265) >= 2 * graph_cutoff("lj")


def test_fast_ogn_strides_are_the_supplements():
    assert [PRESETS["fast"].k_steps(name) for name in ("lj", "silica", "si", "cuzr")] == [
        5, 10, 10, 10]
    assert {PRESETS["reference"].k_steps(name) for name in SYSTEMS} == {1}
    assert (PRESETS["reference"].n_layers, PRESETS["fast"].n_layers) == (10, 2)


def test_paper_profile_has_the_gns_widths():
    assert model_config("fast", "paper", 2, 2.5, "lj").latent_size == 128
    with pytest.raises(ValueError, match="unknown preset"):
        model_config("slow", "quick", 2, 2.5, "lj")


def test_a_users_own_liquid_gets_the_non_lj_stride_but_must_name_its_cutoff():
    assert PRESETS["fast"].k_steps("argon") == 10
    with pytest.raises(ValueError, match="--cutoff"):
        graph_cutoff("argon")


def test_every_preset_and_profile_has_sizes_and_training():
    for profile, preset in PROFILE_TRAINING:
        assert model_config(preset, profile, 2, 2.0, "lj").n_layers == PRESETS[preset].n_layers
        assert training_config(profile, preset).epochs > 0
    with pytest.raises(ValueError, match="choose from"):
        training_config("quick", "slow")


def test_a_system_with_its_own_epochs_keeps_the_rest_of_its_profile_settings():
    for (profile, preset, system), epochs in SYSTEM_EPOCHS.items():
        own, shared = training_config(profile, preset, system), training_config(profile, preset)
        assert own.epochs == epochs != shared.epochs
        assert replace(own, epochs=shared.epochs) == shared
    assert training_config("quick", "fast", "lj") == training_config("quick", "fast")


def test_only_systems_with_angular_forces_get_tensor_channels():
    assert model_config("fast", "quick", 1, 4.0, "si").n_tensors == 8
    assert {model_config("fast", "quick", 2, 2.0, name).n_tensors
            for name in ("lj", "silica", "cuzr", "argon")} == {0}
