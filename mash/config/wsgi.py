import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.config.settings")
application = get_wsgi_application()

# What a web worker holds from here to its end (Django, the apps, the URLconf and every view it
# imports: some 270,000 objects) is moved out of the garbage collector's reach. Its full collections
# had walked all of it, about once every 150 requests, for 100 ms: 0.8 ms a request on average, and a
# pause that lands on one unlucky page (bench/profiles/after-issue-19.md).
import_module(settings.ROOT_URLCONF)
gc.freeze()
