"""`manage.py check` fails on a broken question bank, naming the problem."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.engine.test_bank import FIRST, write_bank

pytestmark = pytest.mark.django_db


def test_check_passes_on_the_shipped_bank():
    call_command("check")


def test_check_fails_on_a_broken_bank(tmp_path, settings):
    broken = FIRST.replace('article = "35", paragraph = "3"', 'article = "999", paragraph = "3"')
    settings.DPIA_QUESTION_BANK_DIR = write_bank(tmp_path, **{"sections/first.toml": broken})
    with pytest.raises(SystemCheckError, match=r"dpia\.E001.*GDPR Art\. 999"):
        call_command("check")
