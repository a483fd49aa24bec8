# dc43 portal: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# The server `make run` ships and `make bench` measures (docs/performance.md: why granian).
# GRANIAN_ACCESS_LOG=1 make run adds granian's access log (17 % of a cached API read; proxies keep their own).
SERVE_ARGS := --interface wsgi dc43_portal.wsgi:application --workers 2 --blocking-threads 4 --respawn-failed-workers
# Production-like environment for `check --deploy` (a TLS proxy in front, debug off).
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_SECURE_PROXY=true DJANGO_ALLOWED_HOSTS=portal.example.com \
	DJANGO_SECRET_KEY=check-deploy-$(shell head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

.PHONY: run run-collibra test lint check test-sqlite test-postgres browser java demo-pipeline bench bench-tools mutation clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e ".[lakehouse,git,http,test]"
	touch $(STAMP)

venv: $(STAMP)

var:
	mkdir -p var

run: $(STAMP) var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo_setup
	@echo "Serving on http://$(HOST):$(PORT)/ with the events worker; mail goes to this console (Ctrl+C stops both)"
	@export EMAIL_URL="$${EMAIL_URL:-console:}"; \
	$(PY) manage.py events_worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/granian $(SERVE_ARGS) --host $(HOST) --port $(PORT)

# The portal with Collibra as its store: the Collibra emulator on 127.0.0.1:$(COLLIBRA_PORT), state and database
# in var/collibra-demo, ports of the demo contracts from dc43_portal/demo/collibra-store.json. Ctrl+C stops both.
COLLIBRA_PORT ?= 8765
COLLIBRA_VAR := var/collibra-demo
run-collibra: $(STAMP)
	mkdir -p $(COLLIBRA_VAR)
	$(PY) -m dc43_portal.stores.collibra.emulator --port $(COLLIBRA_PORT) --state $(COLLIBRA_VAR)/collibra & \
	trap "kill $$!" EXIT; \
	for i in $$(seq 50); do $(PY) -c "import urllib.request as u; \
		u.urlopen('http://127.0.0.1:$(COLLIBRA_PORT)/_emulator/health', timeout=1)" 2>/dev/null && break; sleep 0.2; done; \
	export DC43_VAR_DIR=$(COLLIBRA_VAR) DC43_STORE_BACKEND=dc43_portal.stores.collibra.CollibraContractStore \
		DC43_STORE_OPTIONS="$$(sed 's/{port}/$(COLLIBRA_PORT)/' dc43_portal/demo/collibra-store.json)"; \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py demo_setup && echo "Serving on http://$(HOST):$(PORT)/ with Collibra (Ctrl+C to stop)" && \
	$(VENV)/bin/granian $(SERVE_ARGS) --host $(HOST) --port $(PORT)

browser:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The `spark` test runs a real dc43 Spark job: pyspark needs a Java runtime.
java:
	@command -v java >/dev/null || { echo "installing Debian's openjdk-17-jre-headless for the spark test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# The demo dc43 Spark job against the portal of `make run` (start it first): the version pages of
# demo.orders_raw and demo.orders_clean then show "Used by" and "Data quality".
demo-pipeline: $(STAMP) java var
	TOKEN=$$($(PY) manage.py pipeline_demo_setup) && \
	$(PY) dc43_portal/demo/pipeline.py --url http://$(HOST):$(PORT)/api/v1 --token "$$TOKEN" --workdir var/pipeline

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_sizes.py

check: $(STAMP) var
	$(PY) manage.py check --fail-level WARNING
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run -v0

test-sqlite: $(STAMP) browser java var
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q

test-postgres: $(STAMP)
	@if ! $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
		if [ "$$CI" = "true" ]; then \
			echo "PostgreSQL is down; starting it (CI=true)"; \
			pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
			for i in $$(seq 1 30); do $(PY) scripts/pg_ready.py "$(PG_URL)" && break; sleep 1; done; \
		fi; \
	fi; \
	if $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q -m database; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL did not start: failing"; exit 1; \
	else \
		echo ""; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! PostgreSQL does not answer at $(PG_URL): the PostgreSQL leg was SKIPPED"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

test: lint check test-sqlite test-postgres

# Mutation testing of the rule modules (docs/mutation.md); not part of `make test`. MODULES="ids diff" runs some.
mutation: $(STAMP)
	$(PY) -m pip install --quiet -e ".[mutation]"
	$(PY) scripts/mutation.py $(MODULES)

# HTTP load comes from wrk, cross-checked by ab (apache2-utils): independent tools, never our own generator.
bench-tools:
	@command -v wrk >/dev/null && command -v ab >/dev/null || { echo "installing wrk and apache2-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk apache2-utils >/dev/null; }

bench: $(STAMP) bench-tools java
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/api.py --serve "{bin}/granian $(SERVE_ARGS) --host 127.0.0.1 --port {port}"
	DATABASE_URL=$(PG_URL) $(PY) bench/pages.py
	$(PY) bench/textdiff.py
	$(PY) bench/stores.py --reps 1 --stores portal,dc43
	$(PY) bench/validate.py
	$(PY) bench/diff.py
	$(PY) bench/pipeline.py --reps 3

clean:
	rm -rf $(VENV) var/static .mypy_cache .pytest_cache .ruff_cache
