"""The web worker's entry point (mash/config/wsgi.py): what it loads before the first request is kept
out of the garbage collector's full collections (gc.freeze), the URLconf included."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, sys
import mash.config.wsgi
print(gc.get_freeze_count(), "{urls}" in sys.modules)
"""


def test_the_worker_freezes_what_it_loaded_with_the_urlconf():
    probe = PROBE.format(urls=settings.ROOT_URLCONF)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    frozen, urls_loaded = result.stdout.split()
    assert int(frozen) > 100_000
    assert urls_loaded == "True"
