"""Helpers to drive the wizard through the test client as a browser would."""

import re

from django.urls import reverse

from dpia.engine.bank import default_bank
from dpia.services import kept_digest, merge_answers
from dpia.stepforms import StepForm


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
    # A page made now carries the input kept unsaved in this step, as the wizard's page does.
    data[f"{step}-kept"] = [kept_digest(assessment.pending_steps.get(step))]
    data[f"assessment_{assessment.pk}-current_step"] = [step]
    data.update({k: v if isinstance(v, list) else [v] for k, v in extra.items()})
    return data


def save_step(client, assessment, step, answers, **kwargs):
    return client.post(step_url(assessment, step), step_post_data(assessment, step, answers, **kwargs))


def fill_required(form):
    """POST data answering every required question shown in this step, as a diligent user would."""
    data = form.data_from_answers()
    sample = {"short_text": "Act no. 2021-646, article 12", "long_text": "Described in the attached study.",
              "number": "1000", "date": "2027-01-31"}
    for name, binding in form.bindings.items():
        question = binding.question
        if not question.required:
            continue
        key = form.add_prefix(name)
        if binding.role == "answer" and binding.row is None:
            if question.choice_values():
                data[key] = [question.choice_values()[0]]
            else:
                data[key] = [sample[question.type]]
        elif binding.row == 0 and binding.item_field is question.fields[0]:
            first = question.fields[0]
            data[key] = [first.choice_values()[0] if first.choice_values() else "First entry"]
    return data



def complete_through_wizard(client, assessment):
    """Walk every step that applies, answering each required question; returns (steps, finish URL)."""
    bank = default_bank()
    url = client.get(reverse("wizard_start", kwargs={"pk": assessment.pk})).url
    visited = []
    while "/finish/" not in url:
        step = url.rstrip("/").rsplit("/", 1)[-1]
        visited.append(step)
        assert client.get(url).status_code == 200
        assessment.refresh_from_db()
        form = StepForm(section=bank.section(step), bank=bank, answers=assessment.answers, language="en",
                        prefix=step, initial={"revision": assessment.revision})
        data = fill_required(form)
        data[f"assessment_{assessment.pk}-current_step"] = [step]
        response = client.post(url, data)
        assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())[:5]
        url = response.url
        assert len(visited) < 20
    return visited, url
