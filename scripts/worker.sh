#!/usr/bin/env bash
# The Celery worker and beat, apart and each restarted if it dies (supervisord, scripts/supervisord.conf),
# in the foreground with their logs on the terminal. Ctrl-C (or SIGTERM) stops both: the worker after a
# warm shutdown. Used by `make worker`, by scripts/run.sh when CELERY_BROKER_URL is set, and by the drills.
#   WORKER_RUN_DIR      beat's schedule, supervisord's socket and pid file (default var/, ignored by git);
#                       give each supervised pair its own
#   WORKER_CONCURRENCY  the worker's processes (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
export MASH_ROOT="$PWD"
export WORKER_RUN_DIR="${WORKER_RUN_DIR:-$PWD/var}"
export WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-2}"
mkdir -p "$WORKER_RUN_DIR"
exec .venv/bin/supervisord --configuration "$MASH_ROOT/scripts/supervisord.conf"
