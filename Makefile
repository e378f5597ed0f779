# qbusiness.ops — set-up, tests and demo. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
PYTHON312 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3.12)
VENV := .venv
# amazon.aws is not on PyPI by itself; the 'ansible' package's wheel bundles it (12.3.0 -> amazon.aws 10.1.2).
ANSIBLE_BUNDLE ?= 12.3.0

# The version matrix besides the default cell (.venv: ansible-core 2.19, Python 3.11, amazon.aws 10.1.2):
#   NAME PYTHON ANSIBLE-CORE ANSIBLE-BUNDLE(-> amazon.aws) BOTO3/BOTOCORE
# 2.17 is the requires_ansible floor, with the oldest amazon.aws (9.5.0, in ansible 11.6.0) and boto3 we claim.
MATRIX_2.17 := 2.17 $(PYTHON) 2.17.14 11.6.0 1.34.0
MATRIX_2.18 := 2.18 $(PYTHON) 2.18.19 11.13.0 1.43.11
MATRIX_2.20 := 2.20 $(PYTHON312) 2.20.10 13.8.0 1.43.11
MATRIX_2.21 := 2.21 $(PYTHON312) 2.21.5 14.5.0 1.43.11
MATRIX_CELLS := 2.17 2.18 2.20 2.21
# The Pythons modules support on a managed host (tests/config.yml); tests/utils/target-pythons finds them.
TARGET_PYTHONS := 3.8 3.9 3.10 3.11 3.12 3.13

COLLECTIONS := $(CURDIR)/.build/collections
TREE := $(COLLECTIONS)/ansible_collections/qbusiness/ops
AMAZON_AWS := $(COLLECTIONS)/ansible_collections/amazon/aws
# The default cell's integration targets run from a staged copy of their own, so that they can run beside the
# steps that use TREE (ansible-test writes into the tree it runs from).
# ISUFFIX: another staged tree, for a second run of the default cell's integration beside the first (make test).
ISUFFIX ?=
ICOLLECTIONS := $(CURDIR)/.build/integration$(ISUFFIX)/collections
ITREE := $(ICOLLECTIONS)/ansible_collections/qbusiness/ops
PY := $(CURDIR)/$(VENV)/bin/python
PIP_QUIET := --quiet --disable-pip-version-check
# STAGED=1: the trees are staged already (tests/utils/run-suite stages once, then runs steps side by side).
STAGED ?=
# Arguments for ansible-test integration: targets to run, or --exclude TARGET (make integration ARGS=qbusiness_sync_gate).
ARGS ?=
# make check TARGET=<integration target>: the one integration target the quick loop also runs.
TARGET ?=
# Every task file of every integration target on the default cell; on the other cells of the matrix the ones that
# exercise what differs between ansible-core versions (qbusiness_test_scope; README.md, "What each cell runs").
TEST_SCOPE ?= full
MATRIX_TEST_SCOPE ?= matrix

.PHONY: help venv deps stage stage-integration matrix-setup $(addprefix matrix-setup-,$(MATRIX_CELLS)) target-pythons sanity sanity-pythons $(addprefix sanity-,$(MATRIX_CELLS)) lint lint-python format format-check license-headers typecheck changelog-lint \
	units emulator-tests integration integration-heavy $(addprefix integration-,$(MATRIX_CELLS)) ee artifact docs docs-check bench bench-report bench-inventory check test demo release \
	emulator clean system-deps

help:
	@echo "make demo      - set everything up, start the emulator, run demo/demo.yml, stop it"
	@echo "make check     - the quick loop: sanity (2.19), typecheck, ruff (lint, format-check), SPDX headers, unit and emulator tests in parallel,"
	@echo "                 then the integration target TARGET=<name> if given (e.g. make check TARGET=qbusiness_sync_gate)"
	@echo "make test      - everything: sanity and integration on ansible-core 2.17, 2.19 and 2.21, ansible-lint, typecheck,"
	@echo "                 ruff, changelog lint, unit and emulator tests, the execution-environment and artifact checks"
	@echo "make emulator  - run the Q Business emulator on 127.0.0.1:5000 with the demo scenario"
	@echo "make format    - apply the formatter and the import order (ruff, pyproject.toml) to every Python file"
	@echo "make docs      - regenerate the plugin reference in docs/plugins/ from the plugins' documentation"
	@echo "make bench     - the performance benchmark (not part of make test); writes docs/performance.md"
	@echo "make bench-report - only the benchmark's sync report part (a few minutes); updates docs/performance.md"
	@echo "make bench-inventory - only the benchmark's inventory part (2,500 hosts); updates docs/performance.md"
	@echo "make system-deps  - install the system packages of bindep.txt's test profile that are missing (apt-get;"
	@echo "                 make test and make check run it first)"

$(VENV)/.installed: tests/requirements-dev.txt emulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_QUIET) --upgrade pip
	$(VENV)/bin/pip install $(PIP_QUIET) -r tests/requirements-dev.txt -e ./emulator
	tests/utils/install-get-pip-standin $(VENV)/bin/python
	touch $@

# make test and make check install the system packages first, unzip among them, even under -j.
$(AMAZON_AWS)/MANIFEST.json: | $(VENV)/.installed $(if $(filter test check,$(MAKECMDGOALS)),system-deps)
	mkdir -p .cache/wheels $(COLLECTIONS)
	$(VENV)/bin/pip download $(PIP_QUIET) --no-deps --dest .cache/wheels ansible==$(ANSIBLE_BUNDLE)
	rm -rf $(AMAZON_AWS)
	cd $(COLLECTIONS) && unzip -q -o $(CURDIR)/.cache/wheels/ansible-$(ANSIBLE_BUNDLE)-py3-none-any.whl 'ansible_collections/amazon/aws/*'
	touch $@

venv: $(VENV)/.installed
deps: $(VENV)/.installed $(AMAZON_AWS)/MANIFEST.json

# bindep.txt's test profile, installed with apt-get when missing (tests/utils/system-deps); make demo needs none of it.
system-deps: venv
	tests/utils/system-deps

# Always re-staged (unless STAGED=1): the copy is cheap and must match the working tree.
stage: deps
ifneq ($(STAGED),1)
	tests/utils/stage-collection $(TREE)
endif

stage-integration: deps
ifneq ($(STAGED),1)
	tests/utils/stage-collection $(ITREE)
	rm -rf $(ICOLLECTIONS)/ansible_collections/amazon && cp -a $(COLLECTIONS)/ansible_collections/amazon $(ICOLLECTIONS)/ansible_collections/
endif

sanity: stage
	cd $(TREE) && $(CURDIR)/$(VENV)/bin/ansible-test sanity --local --python 3.11 --color no

$(addprefix sanity-,$(MATRIX_CELLS)): sanity-%: venv
	tests/utils/matrix-cell $(MATRIX_$*) sanity

# The matrix cells' virtualenvs and amazon.aws, made before steps that share them run side by side.
matrix-setup: $(addprefix matrix-setup-,$(MATRIX_CELLS))

$(addprefix matrix-setup-,$(MATRIX_CELLS)): matrix-setup-%: venv
	tests/utils/matrix-cell $(MATRIX_$*) setup

# Links to the supported target Pythons (for ansible-test) and a virtualenv of each with the oldest boto3.
target-pythons:
	tests/utils/target-pythons

# The module side (modules and module_utils) compiles and imports on every supported target Python.
sanity-pythons: stage target-pythons
	cd $(TREE) && for v in $(TARGET_PYTHONS); do \
	  PATH=$(CURDIR)/.build/pythons/bin:$$PATH $(CURDIR)/$(VENV)/bin/ansible-test sanity --local --color no \
	    --test compile --test import --python $$v || exit 1; done

$(addprefix integration-,$(MATRIX_CELLS)): integration-%: venv
	TEST_SCOPE=$(MATRIX_TEST_SCOPE) tests/utils/matrix-cell $(MATRIX_$*) integration $(ARGS)

changelog-lint: venv
	$(VENV)/bin/antsibull-changelog lint

# The plugin reference in docs/plugins/ is generated from the plugins' own documentation, never edited by hand.
docs: stage
	tests/utils/build-docs generate

docs-check: stage
	tests/utils/build-docs check

# The performance benchmark: not part of `make test` (benchmarks/README.md).
bench: stage
	benchmarks/run

# Only the benchmark's sync report part (50 data sources x 36,000 jobs, 25 ms latency): a few minutes.
bench-report: stage
	benchmarks/run --sync-report

# Only the benchmark's inventory part (50 applications x 50 data sources, 25 ms latency): a couple of minutes.
bench-inventory: stage
	benchmarks/run --inventory

# Execution environment: ansible-builder introspect and create, offline (tests/utils/check-ee).
ee: stage
	tests/utils/check-ee

# Build, check, install and run the collection artifact (tests/utils/check-artifact).
artifact: deps
	tests/utils/check-artifact

# Cut a release: the changelog from the fragments (antsibull-changelog reads the plugins through ansible-doc, from the
# staged tree), the version everywhere it is written (tests/utils/set-version), the plugin reference. CONTRIBUTING.md.
release: stage
	@[[ "$(VERSION)" =~ ^[0-9]+\.[0-9]+\.[0-9]+$$ ]] || { echo "usage: make release VERSION=X.Y.Z (got '$(VERSION)')" >&2; exit 2; }
	@[[ -z "$$(git status --porcelain --untracked-files=no)" ]] || { echo "make release: commit or stash your changes first" >&2; exit 2; }
	$(VENV)/bin/antsibull-changelog lint
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(VENV)/bin/antsibull-changelog release --version $(VERSION)
	tests/utils/set-version $(VERSION)
	$(MAKE) --no-print-directory docs

# ansible-lint reads the repository (playbooks, targets, meta, galaxy.yml); collections resolve from the staged tree.
lint: stage
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) ansible-lint

# ruff over the Python that ansible-test sanity does not read: the emulator (emulator/pyproject.toml, which extends the
# root's), the benchmarks, the test utilities (pyproject.toml).
lint-python: venv
	$(VENV)/bin/ruff check --no-cache emulator
	$(VENV)/bin/ruff check --no-cache benchmarks tests/utils

# One formatter and import order for every Python file of the repository (ruff, pyproject.toml): format applies them,
# format-check fails on a file that is not formatted or whose imports are out of order.
format: venv
	$(VENV)/bin/ruff check --no-cache --select I --fix --quiet .
	$(VENV)/bin/ruff format --no-cache .

format-check: venv
	$(VENV)/bin/ruff format --no-cache --check .
	$(VENV)/bin/ruff check --no-cache --select I .

# Every source file carries the SPDX license identifier (tests/utils/check-spdx).
license-headers:
	tests/utils/check-spdx

# mypy over the plugins (as Ansible imports them, from the staged tree) and over the emulator.
typecheck: stage
	cd $(COLLECTIONS) && $(PY) -m mypy --config-file $(CURDIR)/mypy.ini --no-incremental ansible_collections/qbusiness/ops/plugins
	cd emulator && $(PY) -m mypy --no-incremental qbusiness_emulator

# No bytecode in the staged tree: make check runs sanity, which lists the tree's files, beside this.
units: stage
	cd $(TREE) && PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$(COLLECTIONS) $(PY) -m pytest tests/unit -q -p no:cacheprovider $(PYTEST_ARGS)

emulator-tests: venv
	$(PY) -m pytest emulator/tests -q -p no:cacheprovider $(PYTEST_ARGS)

integration: stage-integration
	TEST_SCOPE=$(TEST_SCOPE) PYTHON=$(PY) tests/utils/with-emulator -- \
	  tests/utils/run-integration $(ITREE) $(CURDIR)/$(VENV)/bin/ansible-test $(ARGS)

# The default cell's targets that run nested ansible-playbook processes (the longest), from a tree of their own, so that
# make test runs them beside the default cell's other targets.
HEAVY_TARGETS := reliability playbook_probe
integration-heavy:
	$(MAKE) --no-print-directory integration ISUFFIX=-heavy ARGS="$(HEAVY_TARGETS)"

# The quick loop for day-to-day work: the default cell's sanity beside the type check, ruff and the unit and emulator
# tests, then one integration target if named. make test stays the whole truth.
check: system-deps stage
	$(MAKE) --no-print-directory -j3 --output-sync=target STAGED=1 PYTEST_ARGS="-n 2" sanity typecheck lint-python format-check license-headers units emulator-tests
ifneq ($(TARGET),)
	$(MAKE) --no-print-directory integration ARGS=$(TARGET)
endif

# Everything, in two streams side by side and the clock-bound target alone at the end (tests/utils/run-suite).
test: system-deps stage stage-integration
	$(MAKE) --no-print-directory stage-integration ISUFFIX=-heavy
	tests/utils/run-suite

demo: stage
	PYTHON=$(PY) tests/utils/with-emulator --scenario emulator/scenarios/demo.json -- \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) bash -c \
	  '$(VENV)/bin/ansible-playbook -i localhost, demo/demo.yml -e qbusiness_endpoint_url=$$QBUSINESS_ENDPOINT_URL' 

emulator: venv
	$(PY) -m qbusiness_emulator --host 127.0.0.1 --port 5000 --scenario emulator/scenarios/demo.json

clean:
	rm -rf .build tests/output
