# One command per habit. Every target builds .venv from requirements.lock first.
PY      := .venv/bin/python
VENV    := .venv/.installed
DB      ?= $(or $(CJB_TRACKER_DB),data/tracker.duckdb)

.PHONY: run test check bench load demo clean

# Before DuckDB itself changes version, the database is exported with the DuckDB still
# installed (the new one may not read its file): cjb_tracker/engine.py; migrate rebuilds it.
$(VENV): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m cjb_tracker.engine export-if-changing --lock requirements.lock --db $(DB)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)

$(DB): | $(VENV)
	$(PY) -m cjb_tracker init --demo --db $(DB)

run: $(VENV) $(DB)
	$(PY) -m cjb_tracker migrate --db $(DB) --by "make run"
	CJB_TRACKER_DB=$(DB) $(PY) -m streamlit run dashboard.py --server.address $${STREAMLIT_SERVER_ADDRESS:-127.0.0.1}

load: $(VENV)
	$(PY) -m benchmarks.load $(LOAD_ARGS)

demo: $(VENV)
	rm -f $(DB) $(DB).wal
	$(PY) -m cjb_tracker init --demo --db $(DB)

test: $(VENV)
	$(PY) -m pytest

check: $(VENV)
	$(PY) -m ruff format --check cjb_tracker pages tests benchmarks dashboard.py
	$(PY) -m ruff check cjb_tracker pages tests benchmarks dashboard.py
	$(PY) -m mypy
	.venv/bin/lint-imports
	$(MAKE) test

bench: $(VENV)
	$(PY) -m benchmarks.startup
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.pages
	$(PY) -m benchmarks.migrate

clean:
	rm -rf .venv build *.egg-info
