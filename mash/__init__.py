"""The core every domain app builds on (accounts, agencies, clocks, common, notifications, people,
sharing, tokens) and, in mash/config, the project's wiring: settings, URLs, the Celery app, WSGI/ASGI."""
