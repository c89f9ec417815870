# syntax=docker/dockerfile:1
# One image for web (gunicorn), worker and beat (Celery), and the one-off migrate: see docker-compose.yml.
#
# Debian trixie, named rather than left to the `python:3.11-slim` tag's default: its Node.js (20.19)
# is the first Debian one that sass (engines: node >= 20.19) accepts; bookworm's is 18.

# ---- Front-end assets: our Sass over GOV.UK Frontend, its JS and htmx, into static/build/. ----
FROM python:3.11-slim-trixie AS assets
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY assets/ assets/
RUN npm run build

# ---- The application: Python dependencies, code, built assets; Node.js stays behind. ----
FROM python:3.11-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_CONCURRENCY=3
# bash with pipefail: a command failing inside a pipe fails the build (the default /bin/sh is dash).
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin mash
# Pango and a font for WeasyPrint (the PDFs that leave the MASH).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# requirements/base.lock: the [project] dependencies of pyproject.toml and everything they need, each
# pinned with its hashes (`make lock`), without the dev extra (no test tools, no Playwright, no browser).
# The lock is complete: pip installs it as it is and `pip check` proves it (the Makefile says why).
COPY requirements/base.lock requirements/
RUN pip install --require-hashes --only-binary :all: --no-deps -r requirements/base.lock && pip check

COPY . .
COPY --from=assets /app/static/build/ static/build/
# collectstatic only reads the settings: a throwaway key for this step, never kept in the image.
RUN SECRET_KEY=build-only-collectstatic-key python manage.py collectstatic --noinput

# The code stays owned by root and read-only to the app; beat writes its schedule under /tmp
# (see docker-compose.yml). No HEALTHCHECK here: worker and beat run this image too and serve no HTTP.
USER mash
EXPOSE 8000
# Gunicorn reads gunicorn.conf.py (threaded workers) and its number of workers from WEB_CONCURRENCY.
CMD ["gunicorn", "mash.config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
