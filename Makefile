# The two commands of the README. Both are idempotent.
.PHONY: run test serve setup setup-test setup-serve lint bench loadtest calibrate

run: export DJANGO_DEBUG=1
run: setup
	.venv/bin/python manage.py migrate --noinput -v 0
	.venv/bin/python manage.py load_demo
	bash scripts/together.sh ".venv/bin/python manage.py runserver 127.0.0.1:8000" \
		".venv/bin/python manage.py db_worker"

# The production configuration on this machine, against your PostgreSQL (README, "Production").
serve: setup-serve
	bash scripts/serve.sh

test: export DJANGO_SETTINGS_MODULE=config.settings_test
test: setup-test
	.venv/bin/python -m ruff check .
	.venv/bin/python manage.py makemigrations --check --dry-run -v 0
	.venv/bin/python -m pytest

setup:
	bash scripts/bootstrap.sh run

setup-test:
	bash scripts/bootstrap.sh test

setup-serve:
	bash scripts/bootstrap.sh serve

lint: setup-test
	.venv/bin/python -m ruff check .

# Every benchmark, with the machine and the date. The seed (10,000 published assessments) is made once and cached
# under bench/.cache/; set DATABASE_URL to run on PostgreSQL.
bench: setup-test
	.venv/bin/python bench/common.py
	.venv/bin/python bench/seed.py
	.venv/bin/python bench/register.py
	.venv/bin/python bench/wizard.py
	DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python bench/report_pdf.py
	.venv/bin/python bench/load_test.py

# 50 users for 60 s against gunicorn on a throwaway PostgreSQL cluster (bench/load_test.py).
loadtest: setup-test
	.venv/bin/python bench/load_test.py

# Agreement of the engine with real decisions (tests/scenarios/calibration), per outcome class.
calibrate: setup-test
	.venv/bin/python -m dpia.engine.calibration
