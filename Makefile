# One command per habit. Every target builds .venv from requirements.lock first.
PY      := .venv/bin/python
VENV    := .venv/.installed
DB      ?= $(or $(CJB_TRACKER_DB),data/tracker.duckdb)
# What make prints of DB: a postgresql:// address without its password.
DB_SHOWN = $(shell printf '%s' '$(DB)' | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#')

.PHONY: run test check bench load demo clean cluster cluster-stop cluster-test cluster-load

# Before DuckDB itself changes version, the database is exported with the DuckDB still
# installed (the new one may not read its file): cjb_tracker/engine.py; migrate rebuilds it.
$(VENV): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	@echo "$(PY) -m cjb_tracker.engine export-if-changing --lock requirements.lock --db '$(DB_SHOWN)'"
	@$(PY) -m cjb_tracker.engine export-if-changing --lock requirements.lock --db '$(DB)'
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)

# A tracker kept in PostgreSQL (CJB_TRACKER_DB=postgresql://...) is made once with
# `cjb-tracker init --db ...`, never by make: there is no file to look for.
ifeq ($(findstring postgresql://,$(DB)),)
$(DB): | $(VENV)
	$(PY) -m cjb_tracker init --demo --db $(DB)

run: $(VENV) $(DB)
else
run: $(VENV)
endif
	@echo "$(PY) -m cjb_tracker migrate --db '$(DB_SHOWN)' --by \"make run\""
	@$(PY) -m cjb_tracker migrate --db '$(DB)' --by "make run"
	@echo "CJB_TRACKER_DB='$(DB_SHOWN)' $(PY) -m streamlit run serve.py"
	@CJB_TRACKER_DB='$(DB)' $(PY) -m streamlit run serve.py --server.address $${STREAMLIT_SERVER_ADDRESS:-127.0.0.1}

load: $(VENV)
	$(PY) -m benchmarks.load $(LOAD_ARGS)

demo: $(VENV)
	rm -f $(DB) $(DB).wal
	$(PY) -m cjb_tracker init --demo --db $(DB)

test: $(VENV)
	$(PY) -m pytest

check: $(VENV)
	$(PY) -m ruff format --check cjb_tracker pages tests benchmarks deploy dashboard.py serve.py
	$(PY) -m ruff check cjb_tracker pages tests benchmarks deploy dashboard.py serve.py
	$(PY) -m mypy
	.venv/bin/lint-imports
	$(MAKE) test

bench: $(VENV)
	$(PY) -m benchmarks.startup
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.pages
	$(PY) -m benchmarks.migrate

# Several replicas on one PostgreSQL behind nginx, on 127.0.0.1 (README "Running for several
# Boards"): deploy/cluster.py. CLUSTER_ARGS: --replicas N, --port P, --dir D, --empty.
cluster: $(VENV)
	$(PY) -m deploy.cluster start $(CLUSTER_ARGS)

cluster-stop: $(VENV)
	$(PY) -m deploy.cluster stop $(CLUSTER_ARGS)

cluster-test: $(VENV)
	$(PY) -m pytest -n 0 tests/browser/test_cluster.py tests/test_replica.py

# make load on one process with 30 sessions, then on the cluster with 60, in one run.
cluster-load: $(VENV)
	$(PY) -m benchmarks.cluster_load $(LOAD_ARGS)

clean:
	rm -rf .venv build *.egg-info
