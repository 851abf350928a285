# Coconnect — `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
ALLOWED_HOSTS ?= $(HOST),localhost,127.0.0.1,[::1]

# `make run` serves as the product does: DEBUG off (Dutch error pages), static files collected and
# served by WhiteNoise, and a secret key made once and kept in var/secret_key, so sessions and
# the printed links outlive a restart.
SECRET_KEY_FILE := var/secret_key
RUN_ENV = DEBUG=0 SECRET_KEY_FILE=$(SECRET_KEY_FILE) ALLOWED_HOSTS='$(ALLOWED_HOSTS)'

# In CI the suite runs against the real PostgreSQL and Redis on loopback.
ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coconnect
export REDIS_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: help lock install system-deps messages makemessages migrate demo static run worker lint test bench migrations-check clean

help:
	@echo "make run    - install everything, migrate, load the demo trajectory and serve on http://$(HOST):$(PORT)/"
	@echo "make test   - install everything, lint (ruff), check migrations and run the whole test suite"
	@echo "make worker - run a Celery worker (needs REDIS_URL)"
	@echo "make bench  - run the benchmarks under bench/ and print their tables"
	@echo "make lock   - pin every dependency with its hashes after a change to pyproject.toml"

# Exactly what CI tested: every package pinned, with its hashes (requirements-dev.lock = the app's
# requirements.lock plus the test and lint tools). The app runs from this checkout, so it is not
# installed itself. `make lock` pins anew after a change to pyproject.toml.
$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

LOCK = var/lock-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

lock:
	test -x var/lock-tools/bin/pip-compile || ($(PYTHON) -m venv var/lock-tools \
		&& var/lock-tools/bin/pip install --quiet 'pip-tools>=7.6,<8')
	$(LOCK) --output-file=requirements.lock pyproject.toml
	$(LOCK) --extra=dev --output-file=requirements-dev.lock pyproject.toml

system-deps:
	@bash .ci/system-deps.sh

install: system-deps $(STAMP)

messages: $(STAMP)
	@$(BIN)/python .ci/compilemessages.py

makemessages: $(STAMP)
	@$(BIN)/python .ci/makemessages.py

$(SECRET_KEY_FILE):
	@mkdir -p $(dir $@)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

migrate: install messages $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

# Invite links printed by the demo point at the address `make run` serves.
demo run: export SITE_URL ?= http://$(HOST):$(PORT)

demo: migrate static
	$(RUN_ENV) $(BIN)/python manage.py load_demo

static: install $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: demo
	@echo ""
	@echo "  Coconnect runs at http://$(HOST):$(PORT)/"
	@echo "  Demo facilitator: username 'demo', password 'coconnect-demo'"
	@echo "  Demo manager:     username 'manager', password 'coconnect-demo'"
	@echo "  Demo coordinator: username 'coordinator', password 'coconnect-demo' (/organisaties/)"
	@echo ""
	$(RUN_ENV) $(BIN)/uvicorn coconnect.asgi:application --host $(HOST) --port $(PORT)

worker: install messages $(SECRET_KEY_FILE)
	$(RUN_ENV) $(BIN)/celery -A coconnect worker --loglevel=INFO --concurrency=2

# Lint, format and a missing migration fail the run before a single test starts.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install messages lint migrations-check
	$(BIN)/python -m pytest --durations=30

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install messages
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles var/coconnect.sqlite3 var/demo_invite_token
