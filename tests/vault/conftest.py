"""The vault's refusal messages are checked in English, the msgid language;
tests/test_translations.py checks that the Indonesian catalogue covers them."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
