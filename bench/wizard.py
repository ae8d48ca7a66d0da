"""Benchmark: a wizard step (GET and POST) against a plain Django form view with the same number of fields,
in the same run, on the same database and through the same middleware, timed in turns (wizard, floor, wizard,
floor, ...: the median of 15 calls each) so that a shared machine's changing load weighs on both alike.

    make bench   (or: .venv/bin/python bench/wizard.py)

The plain view is the floor: a django.forms.Form of as many CharFields as the step's form has, rendered in the
site's base template, and on POST validated, written to the draft in one UPDATE and redirected. A second floor,
printed beside it ("same-fields form view"), is the same view with copies of the step form's own fields (their
classes, widgets, choices, labels and help texts) rendered by the step form's renderer (dpia.widgets: field groups
and widgets written in Python), posted the step's own data; the target is judged against the first. Target: the wizard
at most 1.5 times the floor, with at most 4 queries per GET and 6 per POST. It asserts nothing.
"""

import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RUNS, machine, row, setup  # noqa: E402

TARGET_RATIO = 1.5
STEPS = ("project", "risks")


def plain_view(fields: int | dict):
    """`fields`: a number of CharFields, or the step form's own fields (same classes, widgets, choices, labels and
    help texts), copied."""
    from django import forms
    from django.http import HttpResponse
    from django.shortcuts import redirect
    from django.template import engines

    from dpia.models import Assessment
    from dpia.stepforms import StepForm

    class PlainForm(forms.Form):
        pass

    if isinstance(fields, dict):
        PlainForm.base_fields.update(copy.deepcopy(fields))
        PlainForm.default_renderer = StepForm.default_renderer  # the step form's field groups, written in Python
    else:
        for n in range(fields):
            PlainForm.base_fields[f"field_{n}"] = forms.CharField(label=f"Question {n}", max_length=2000,
                                                                  required=False)
    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}<form method="post">{% csrf_token %}{{ form }}'
        '<button type="submit">Save</button></form>{% endblock %}')

    def view(request, pk):
        assessment = Assessment.objects.get(pk=pk, organisation__memberships__user=request.user)
        form = PlainForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cleaned = {k: v for k, v in form.cleaned_data.items() if isinstance(v, str | int | list | None)}
            Assessment.objects.filter(pk=assessment.pk).update(answers={**assessment.answers, **cleaned})
            return redirect(request.path)
        return HttpResponse(page.render({"form": form}, request))

    return view


def interleaved(*calls, runs: int = max(RUNS, 15)) -> list[tuple[float, int]]:
    """(median ms, queries of one call) of each call, timed in turns (a, b, c, a, b, c, ...) after a warm-up
    call each: on a shared machine whose load changes from second to second, each view then runs under the
    same conditions as the others, which timing one view's runs after the other's does not give."""
    from django.db import connection

    counts = []
    for call in calls:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            call()
        counts.append(len(queries))
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for n, call in enumerate(calls):
            start = time.perf_counter()
            call()
            times[n].append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), q) for t, q in zip(times, counts, strict=True)]


def bench_step(client, draft, bank, step: str) -> float:
    """Print the wizard's and the plain view's figures for one step; return the worse of the two ratios."""
    from django.test.utils import override_settings
    from django.urls import include, path, reverse

    from dpia.stepforms import StepForm

    draft.refresh_from_db()
    form = StepForm(section=bank.section(step), bank=bank, answers=draft.answers, language="en", prefix=step,
                    initial={"revision": draft.revision})
    fields = len(form.fields)
    data = form.data_from_answers()
    data[f"assessment_{draft.pk}-current_step"] = [step]
    revision_key = f"{step}-revision"
    state = {"revision": draft.revision}
    urlpatterns[:] = [path("bench/plain/<int:pk>/", plain_view(fields)),
                      path("bench/same/<int:pk>/", plain_view(dict(form.fields))), path("", include("config.urls"))]
    with override_settings(ROOT_URLCONF=__name__):
        wizard_url = reverse("wizard_step", kwargs={"pk": draft.pk, "step": step})
        plain_url = f"/bench/plain/{draft.pk}/"
        same_url = f"/bench/same/{draft.pk}/"
        same_data = {name.removeprefix(f"{step}-"): values for name, values in data.items()
                     if name.startswith(f"{step}-")}

        def wizard_post():
            data[revision_key] = [str(state["revision"])]
            response = client.post(wizard_url, data)
            assert response.status_code == 302, response.status_code
            state["revision"] += 1

        def plain_post():
            response = client.post(plain_url, {f"field_{n}": "Answer" for n in range(fields)})
            assert response.status_code == 302, response.status_code

        def same_post():
            response = client.post(same_url, same_data)
            assert response.status_code == 302, response.status_code

        def get(url):
            def call():
                assert client.get(url).status_code == 200
            return call

        figures = {"GET": interleaved(get(wizard_url), get(plain_url), get(same_url)),
                   "POST": interleaved(wizard_post, plain_post, same_post)}
    print(f"  step {step!r}, {fields} fields:")
    worst = 0.0
    for method, ((wizard_ms, wizard_queries), (plain_ms, plain_queries), (same_ms, same_queries)) in figures.items():
        ratio = wizard_ms / plain_ms
        worst = max(worst, ratio)
        print(row(f"  wizard {method}", wizard_ms, wizard_queries))
        print(row(f"  plain form view {method}", plain_ms, plain_queries, f"ratio {ratio:.2f}×"))
        print(row(f"  same-fields form view {method}", same_ms, same_queries, f"ratio {wizard_ms / same_ms:.2f}×"))
    return worst


urlpatterns: list = []  # this module is the URLconf while it runs: the project's URLs and the plain view


def main() -> None:
    setup()
    import tomllib

    from django.contrib.auth import get_user_model
    from django.test import Client

    from dpia import services
    from dpia.engine.bank import default_bank
    from dpia.management.commands.load_demo import DEMO_CASES_DIR
    from dpia.models import Assessment, Membership, Organisation

    bank = default_bank()
    author = get_user_model().objects.get(username="bench-author-000")
    organisation = Organisation.objects.get(slug="bench-city-000")
    draft = Assessment.objects.filter(organisation=organisation, title="Bench wizard draft",
                                      status=Assessment.Status.DRAFT).first()
    if draft is None:
        case = tomllib.loads((DEMO_CASES_DIR / "marseille_smart_video_protection.toml").read_text())
        draft = services.assessment_create(user=author, organisation=organisation, title="Bench wizard draft",
                                           bank=bank)
        services.assessment_import_answers(assessment=draft, user=author, answers=case["answers"], bank=bank)
    assert Membership.objects.filter(user=author, organisation=organisation).exists()
    client = Client()
    client.force_login(author)
    print(f"Wizard step against a plain form view — {machine()}")
    worst = 0.0
    for step in STEPS:
        worst = max(worst, bench_step(client, draft, bank, step))
    print(f"  targets: ratio <= {TARGET_RATIO}× (worst here {worst:.2f}×), <= 4 queries per GET, <= 6 per POST "
          "(every query of the request counted, the session's and the user's included)")


if __name__ == "__main__":
    main()
