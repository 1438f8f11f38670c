# Two entry points do all set-up on a fresh machine (see README.md):
#   make book   environment + ground-truth data + notebooks (papermill) + the Jupyter Book
#   make test   environment + unit tests + notebook regression tests (nbval) + browser test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PROFILE ?= quick
JOBS ?= 2
export PATH := $(CURDIR)/$(BIN):$(PATH)
# One torch/OpenMP thread per process: the jobs run side by side on the cores, and on a
# 2-core machine a second thread per process made training ~30x slower, not faster.
OMP_NUM_THREADS ?= 1
export OMP_NUM_THREADS

.PHONY: venv hoomd-wheel hoomd chromium data movies book test benchmark clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,book]"
	$(MAKE) --no-print-directory hoomd-wheel
	rm -f $(VENV)/.installed-*
	touch $@

# HOOMD-blue, the second MD engine (`ogn generate --engine hoomd`), is not on PyPI. Where
# ../shared/wheels holds the CPU wheel built from the vendored source, the environment
# gets it; elsewhere the HOOMD tests are skipped and say so. `make hoomd` builds it from
# ../shared/vendor instead (~45 min on 2 cores); conda users take it from conda-forge.
HOOMD_WHEELS := $(wildcard ../shared/wheels/hoomd-*.whl)
hoomd-wheel:
	$(if $(HOOMD_WHEELS),$(BIN)/python -m pip install --quiet --no-index \
	  --find-links ../shared/wheels hoomd==4.8.2,@echo "no HOOMD-blue wheel in ../shared/wheels: the HOOMD engine stays off")

hoomd: venv
	bash ../shared/vendor/build-hoomd.sh $(CURDIR)/$(BIN)/python

# Debian's Chromium for the browser test of the book (needs root, as on CI).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

data: venv
	$(BIN)/ogn generate --all --profile $(PROFILE) --jobs $(JOBS)

movies: venv
	$(BIN)/ogn movies --profile $(PROFILE)

book: data
	$(BIN)/ogn reproduce --profile $(PROFILE) --jobs $(JOBS)

# The browser test opens the movies, which are generated (git-ignored), hence `movies`.
# `data` first: the notebooks would otherwise make the same missing trajectories in two
# workers at once. pytest-xdist runs JOBS workers; `--dist loadfile` keeps every cell of a
# notebook in one worker (one kernel), as nbval requires; the notebooks come first, in
# collection order, so that the long ones do not start last.
test: venv chromium data movies
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile --no-loadscope-reorder \
	  --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks tests

benchmark: venv
	$(BIN)/ogn benchmark-md --atoms 4000 --steps 300 --output book/data/benchmark_md.json

clean-venv:
	rm -rf $(VENV)
