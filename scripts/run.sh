#!/usr/bin/env bash
# Serve on http://127.0.0.1:8000. With a broker configured, run a Celery worker (and beat) beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  .venv/bin/celery -A mash worker --beat --loglevel=info --concurrency=2 &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
fi
.venv/bin/python manage.py runserver 127.0.0.1:8000
