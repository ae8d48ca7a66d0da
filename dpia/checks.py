"""System checks of the workbench: `manage.py check` fails on a broken question bank."""

from django.conf import settings
from django.core.checks import Error, register

from dpia.engine.bank import DEFAULT_BANK_DIR, BankError, load_bank


@register()
def question_bank_is_valid(app_configs=None, **kwargs):
    directory = getattr(settings, "DPIA_QUESTION_BANK_DIR", DEFAULT_BANK_DIR)
    try:
        load_bank(directory)
    except BankError as exc:
        return [Error(message, hint="Fix the question bank file named in the message.", id="dpia.E001")
                for message in exc.errors]
    return []
