# PAKAR — `make run` starts the portal with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PAKAR_DATA_DIR ?= $(CURDIR)/var
TEST_DATA_DIR := $(CURDIR)/var/test
PYTEST_ARGS ?= -n 2

.PHONY: run test lint typecheck checks messages bench clean worker

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
	    rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

messages: $(VENV)/.installed
	@cd pakar && ../$(PY) ../manage.py compilemessages -v0 --ignore '.venv'

run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "PAKAR is starting on http://127.0.0.1:$(PORT)/  (data in $(PAKAR_DATA_DIR))"
	@echo "Back office: http://127.0.0.1:$(PORT)/staff/  — use a demo login above."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py run_deadlines
	$(PY) manage.py send_staff_digest --schedule
	$(PY) manage.py db_worker

test: $(VENV)/.installed node_modules/.installed messages
	rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR)
	PAKAR_DATA_DIR=$(TEST_DATA_DIR) PAKAR_TESTING=1 PAKAR_KDF_MEMORY_KIB=8192 \
	  $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	PAKAR_DATA_DIR=$(TEST_DATA_DIR) $(VENV)/bin/mypy pakar

checks: $(VENV)/.installed messages
	PAKAR_DATA_DIR=$(TEST_DATA_DIR) $(PY) manage.py makemigrations --check --dry-run
	scripts/check-translations
	scripts/check-deploy

bench: $(VENV)/.installed messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var
