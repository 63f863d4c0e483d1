# ISP Portal. `make run` and `make test` are all a newcomer needs (see README).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
DEV_ENV := DEBUG=true
# Tests run with debug off, as production does, but over plain HTTP and a throwaway key.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-secret-key-not-for-production AUDIT_HMAC_KEY=test-only-audit-key-not-for-production MFA_ENCRYPTION_KEY=dGVzdC1vbmx5LW1mYS1rZXktbm90LWZvci1wcm9kISE= SECURE_HTTPS=false \
	MFA_REQUIRED=false TERMS_REQUIRED=false STATIC_MANIFEST=false ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test lint format install install-prod lock assets migrate seed bench loadtest clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "ISP Portal needs Python 3.12 or newer (Django 6.1 does not install on $$($(PYTHON) -V 2>&1))."; \
	  echo "Install it (pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 run"; exit 1; }

# Development and tests: everything in requirements/dev.lock, every file checked against its hash.
$(VENV)/.installed: requirements/dev.lock pyproject.toml | check-python
	@test -x $(PY) && $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip sync --quiet --require-hashes --python $(PY) requirements/dev.lock
	touch $@

# Production: only what the portal runs (requirements/runtime.lock), with pip alone, hashes required.
install-prod: | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/runtime.lock

# Re-pin after editing pyproject.toml: the runtime lock first, then the development lock on top of it.
lock: install
	$(UV) pip compile --quiet pyproject.toml --python-version 3.12 --generate-hashes \
	  -o requirements/runtime.lock --custom-compile-command "make lock"
	$(UV) pip compile --quiet pyproject.toml --extra dev --python-version 3.12 --generate-hashes \
	  -c requirements/runtime.lock -o requirements/dev.lock --custom-compile-command "make lock"

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/portal.css: node_modules/.installed static/scss/portal.scss
	npm run --silent build

assets: static/build/portal.css

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

# The web server and, beside it, the worker that sends the email outbox (docs/operations.md):
# its lines are marked [worker], and it stops when the server does.
run: install assets seed
	$(DEV_ENV) $(PY) -u manage.py db_worker --no-reload > >(sed -u 's/^/[worker] /') 2>&1 & \
	  trap "kill $$!" EXIT; \
	  $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Ends with how long the suite took (wall clock, and CPU, which a busy machine distorts less).
test: install assets
	@TIMEFORMAT='make test: %0R s elapsed (%0U s user, %0S s system CPU)'; \
	  time $(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install assets
	bash bench/run

loadtest: install
	bash bench/loadtest

clean:
	rm -rf $(VENV) node_modules static/build var
