#!/usr/bin/env bash
# Serve on http://127.0.0.1:8000. With a broker configured, the Celery worker and beat run beside it,
# supervised (scripts/worker.sh: each restarted if it dies). Ctrl-C stops the server and both.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  scripts/worker.sh &
  worker=$!
  # supervisord also receives the terminal's Ctrl-C; on any exit, stop it and wait for the worker's
  # warm shutdown so nothing is left running.
  trap 'kill -TERM $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT
fi
.venv/bin/python manage.py runserver 127.0.0.1:8000
