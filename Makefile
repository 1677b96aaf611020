# perfsite: `make demo` to try it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format assets lock clean

install: $(STAMP) static/build/perfsite.css

$(STAMP): requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("perfsite needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

node_modules/.package-lock.json: package-lock.json
	node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || (echo "perfsite needs Node 20 or newer" && exit 1)
	npm ci --no-audit --no-fund

static/build/perfsite.css: node_modules/.package-lock.json $(wildcard static/scss/*.scss) scripts/build-assets.mjs
	npm run --silent build

assets: node_modules/.package-lock.json
	npm run --silent build

demo: install
	$(BIN)/python manage.py demo

# DJANGO_DEBUG=1 keeps the security redirects off for the test client; Django's
# test runner still runs every test with DEBUG=False. Tests run in parallel (pytest-xdist,
# one process per core; TEST_WORKERS=0 runs them in one process); --dist loadfile keeps each
# module's tests in one process, so a browser module starts one browser and live server.
TEST_WORKERS ?= auto
test: install
	DJANGO_DEBUG=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Recompile the lock after editing requirements.in (needs uv: pip install uv).
lock:
	uv pip compile --generate-hashes --python-version 3.11 requirements.in -o requirements.lock

clean:
	rm -rf $(VENV) node_modules static/build var
