"""WSGI entry point of the benchmark server: PAKAR plus the yardstick view.

PAKAR_BENCH=1 gunicorn -c deploy/gunicorn.conf.py bench.wsgi
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

if os.environ.get("PAKAR_BENCH") != "1":
    raise RuntimeError("bench.wsgi is for `make bench` only; serve pakar.wsgi in production")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_wsgi_application()
