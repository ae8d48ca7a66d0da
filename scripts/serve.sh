#!/usr/bin/env bash
# `make serve`: the production configuration on this machine, against PostgreSQL: debug off,
# collectstatic, gunicorn with several workers, and the task worker. It starts nothing else: the
# database is yours (DATABASE_URL=postgres://user:password@host:5432/name). Plain HTTP on
# 127.0.0.1:8000 (DJANGO_HTTPS=0) stands in for the TLS proxy of a real deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "make serve runs against PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name" >&2
     exit 2 ;;
esac
export DJANGO_DEBUG=0
export DJANGO_HTTPS="${DJANGO_HTTPS:-0}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  # One key per machine, kept out of the repository, so that sessions survive a restart.
  secret_file=.stamps/serve-secret-key
  [ -s "$secret_file" ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$secret_file"
  DJANGO_SECRET_KEY=$(cat "$secret_file")
  export DJANGO_SECRET_KEY
fi
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
echo "Serving on http://${GUNICORN_BIND:-127.0.0.1:8000} (gunicorn and the task worker; Ctrl-C stops both)"
exec bash scripts/together.sh \
  ".venv/bin/python -m gunicorn -c config/gunicorn.conf.py config.wsgi" \
  ".venv/bin/python manage.py db_worker --no-reload -v 0"
