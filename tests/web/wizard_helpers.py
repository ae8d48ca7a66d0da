"""Helpers to drive the wizard through the test client as a browser would."""

from django.urls import reverse

from dpia.engine.bank import default_bank
from dpia.services import merge_answers
from dpia.wizard import StepForm


def step_url(assessment, step):
    return reverse("wizard_step", kwargs={"pk": assessment.pk, "step": step})


def step_post_data(assessment, step, answers, *, revision=None, **extra):
    """The POST a browser sends for `step` after the user typed `answers` (question id -> value)."""
    bank = default_bank()
    assessment.refresh_from_db()
    merged = merge_answers(assessment.answers, answers)
    form = StepForm(section=bank.section(step), bank=bank, answers=merged, language="en",
                    prefix=step, initial={"revision": assessment.revision if revision is None else revision})
    data = form.data_from_answers()
    data[f"assessment_{assessment.pk}-current_step"] = [step]
    data.update({k: v if isinstance(v, list) else [v] for k, v in extra.items()})
    return data


def save_step(client, assessment, step, answers, **kwargs):
    return client.post(step_url(assessment, step), step_post_data(assessment, step, answers, **kwargs))
