# commops: two commands do all the set-up on a fresh machine (Python 3.11, git, make).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen

.PHONY: bootstrap demo test dev bench lint clean

# --compile-bytecode: the packages' .pyc are written once at install. Without them every
# process (each pipeline stage, dbt, Dagster run worker, test worker) compiles dlt, dagster,
# GX and pyarrow's Python from source again: 3-9 s per process start on this machine, more
# where PYTHONDONTWRITEBYTECODE is set (as in our CI image).
bootstrap:  ## install uv (if missing) and the locked environment into .venv
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv>=0.5"
	@$(UV) sync --frozen --quiet --compile-bytecode

demo: bootstrap  ## generate the sample community, serve it, run the whole pipeline, summarize
	$(RUN) commops demo

test: bootstrap  ## run the test suite
	$(RUN) pytest -n 2 --dist loadfile --no-loadscope-reorder

dev: bootstrap  ## Dagster UI on the project (instance in data/.dagster_home, warehouse pool of 1)
	mkdir -p data/.dagster_home && cp -n orchestration/dagster.yaml data/.dagster_home/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/data/.dagster_home $(RUN) dagster dev -m orchestration.definitions

bench: bootstrap  ## benchmark at 100,000 people; writes data/bench/results-<people>.json
	$(RUN) python -m orchestration.bench

lint: bootstrap
	$(RUN) ruff check .
	$(RUN) ruff format --check .

clean:
	rm -rf .venv data dbt_project/target dbt_project/logs
