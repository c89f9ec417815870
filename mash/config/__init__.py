"""The project's wiring: settings, the URL configuration, the Celery app, the WSGI and ASGI entry points.

The Celery app is loaded with the package, so that it is the current app (the one the core's and the
domain apps' @shared_task tasks are sent through) in every process that reads the settings."""

from mash.config.celery import app as celery_app

__all__ = ("celery_app",)
