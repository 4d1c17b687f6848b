# The two commands that matter: `make run` (demo on SQLite) and `make test` (every test, on
# SQLite and on PostgreSQL, browser tests included). Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
DEMO_TODAY ?= 2020-04-10
# The demo's session key: random, made once into instance/ and reused (never a string in the source).
export SECRET_KEY_FILE ?= $(CURDIR)/instance/secret_key

.PHONY: run test setup venv translations chromium db demo bench messages clean stack stack-down

run: setup db demo
	@echo "Serving on http://127.0.0.1:5000 (today is pinned to $(DEMO_TODAY) for the demo)"
	TRACKER_TODAY=$(DEMO_TODAY) DEMO_NOTICE=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup chromium
	bash scripts/test.sh

setup: venv translations

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

translations: venv
	$(BIN)/pybabel compile --use-fuzzy -d tracker/translations

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

db: setup instance/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask rebuild-stats

instance/secret_key:
	mkdir -p instance
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@

demo: db
	TRACKER_TODAY=$(DEMO_TODAY) $(BIN)/flask seed-demo

# The production shape on one machine (scripts/stack.sh): PostgreSQL, Redis, an S3-compatible
# server, two gunicorn app servers on :8001 and :8002, a Celery worker and the scheduler.
stack: setup instance/secret_key
	bash scripts/stack.sh

stack-down:
	bash scripts/stack-down.sh

# The national-scale bench (bench/run.py): SQLite and PostgreSQL, in-process timings and
# statement counts, then gunicorn + wrk on loopback. Results in bench/results/ (not committed).
bench: setup
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Re-extract the messages and merge them into the catalogues (for developers).
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _n:1,2 -o tracker/translations/messages.pot --no-location --sort-output . templates/_macros
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
