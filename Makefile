# The only way people and CI run things. Each target makes/refreshes the virtualenv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: venv demo serve test lint bench i18n screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

## demo: prepare the embedded database with the demo data set and serve Arna on :8000
## (seed-demo prints the demo logins: the one list of them, from arna.appeals.demo)
demo: $(STAMP)
	$(BIN)/arna db seed-demo
	@echo "Arna is starting at http://$${ARNA_HOST:-127.0.0.1}:$${ARNA_PORT:-8000}/ (Ctrl+C stops it)"
	$(BIN)/arna serve

serve: $(STAMP)
	$(BIN)/arna serve

## test: the whole suite (PostgreSQL too when ARNA_TEST_DATABASE_URL is set); the scale tests
## alone at the end, so that their load does not skew the timing tests beside them
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not scale" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m scale -p no:cacheprovider $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: none chosen

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src/arna

## i18n: extract the messages of the code and templates into the kk and ru catalogs (translators
## then fill the empty msgstr in src/arna/locale/*/LC_MESSAGES/messages.po) and check they compile
LOCALE := src/arna/locale
i18n: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k gettext_ -k ngettext_:1,2 -k N_ --no-location --omit-header --sort-output \
		--width 100 -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100
	@for lang in kk ru; do \
		$(BIN)/pybabel compile --statistics -l $$lang -D messages \
			-i $(LOCALE)/$$lang/LC_MESSAGES/messages.po -o /dev/null || exit 1; \
	done

bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done

## screenshots: the main pages of a temporary demo site in kk/ru/en into docs/screenshots/
## (needs /usr/bin/chromium)
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
