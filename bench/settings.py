"""PAKAR's settings, unchanged except for the URL configuration.

The benchmark server serves pakar.urls plus one yardstick view (bench/urls.py),
so the product itself never carries a benchmark-only URL.
"""

from pakar.settings import *  # noqa: F403 - the very same settings

ROOT_URLCONF = "bench.urls"
