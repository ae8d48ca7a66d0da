"""Benchmark: the public register, its search, filters and feed, the regulator's queue and an assessment's version
list, on the seeded database (bench/seed.py: 10,000 published assessments from 200 organisations, 2,000
submissions to one regulator).

    make bench   (or: .venv/bin/python bench/register.py; DATABASE_URL=postgres://... for PostgreSQL)

Prints the median time and the query count of each page, through the Django test client (the whole request:
middleware, view, template). Targets: < 150 ms and <= 12 queries each. It asserts nothing.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, measure, row, setup  # noqa: E402

TARGET_MS, TARGET_QUERIES = 150, 12


def main() -> None:
    setup()
    from django.test import Client
    from django.urls import reverse

    from dpia.models import Assessment, Publication, Submission

    published = Publication.objects.count()
    submitted = Submission.objects.filter(regulator__slug="bench-dpa").count()
    print(f"Register and queue — {machine()}")
    copies = Publication.objects.filter(version__assessment__title__contains=" (copy ").count()
    copied_submissions = Submission.objects.filter(regulator__slug="bench-dpa",
                                                   version__assessment__title__contains=" (copy ").count()
    print(f"  data: {published} publications ({published - copies} made by the services, {copies} copies), "
          f"{submitted} submissions to one regulator ({submitted - copied_submissions} by the services, "
          f"{copied_submissions} copies)")
    anonymous, reviewer, author = Client(), Client(), Client()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    reviewer.force_login(users.get(username="bench-reviewer"))
    author.force_login(users.get(username="bench-author-000"))
    # An assessment the services took through the workflow (several versions), not a copy (one version).
    last = Assessment.objects.filter(organisation__slug="bench-city-000").exclude(
        title__contains=" (copy ").order_by("-pk").first()
    year = Publication.objects.order_by("-published_at").values_list("published_at__year", flat=True).first()

    register = reverse("register")
    pages = [
        ("register list", anonymous, register, {}),
        ("register list, page 200", anonymous, register, {"page": "200"}),
        ('search "facial"', anonymous, register, {"q": "facial"}),
        ('search "plate"', anonymous, register, {"q": "plate"}),
        ("filter technology=live_facial_recognition", anonymous, register,
         {"technology": "live_facial_recognition"}),
        ("filter regime=led", anonymous, register, {"regime": "led"}),
        ("filter technology + regime", anonymous, register, {"technology": "anpr", "regime": "gdpr"}),
        ("filter verdict=prior_consultation_required", anonymous, register,
         {"verdict": "prior_consultation_required"}),
        ("filter organisation", anonymous, register, {"organisation": "bench-city-007"}),
        ("filter city", anonymous, register, {"city": "benchville 042"}),
        (f"filter year={year}", anonymous, register, {"year": str(year)}),
        ("feed", anonymous, reverse("register_feed"), {}),
        ("review queue", reviewer, reverse("review_queue"), {}),
        ("review queue, page 40", reviewer, reverse("review_queue"), {"page": "40"}),
        ("version list (assessment page)", author, reverse("assessment_detail", kwargs={"pk": last.pk}), {}),
    ]
    missed = 0
    for label, client, url, params in pages:
        def call(client=client, url=url, params=params, label=label):
            response = client.get(url, params)
            assert response.status_code == 200, (label, response.status_code)
        ms, queries = measure(call)
        ok = ms < TARGET_MS and queries <= TARGET_QUERIES
        missed += not ok
        print(row(label, ms, queries, "" if ok else "(over target)"))
    print(f"  targets: < {TARGET_MS} ms and <= {TARGET_QUERIES} queries; {len(pages) - missed} of {len(pages)} met")


if __name__ == "__main__":
    main()
