# Two entry points do all set-up on a fresh machine (see README.md):
#   make reproduce   environment + ground-truth data (quick profile)
#   make test        environment + the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PROFILE ?= quick
JOBS ?= 2

.PHONY: venv reproduce data test benchmark clean-venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

data: venv
	$(BIN)/ogn generate --all --profile $(PROFILE) --jobs $(JOBS)

reproduce: data

test: venv
	$(BIN)/python -m pytest -q

benchmark: venv
	$(BIN)/ogn benchmark-md --atoms 4000 --steps 300 --output results/benchmark_md.json

clean-venv:
	rm -rf $(VENV)
