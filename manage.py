#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.config.settings")
    # manage.py is a developer's tool: unless told otherwise it runs with DEBUG on (so no SECRET_KEY is
    # needed to make migrations or load demo data). The served app (WSGI) and Celery default to off, and
    # docker-compose and `make test` set DEBUG=0 explicitly.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
