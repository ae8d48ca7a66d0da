"""Seed the bench database: 10,000 published assessments from 200 organisations, and 2,000 more submitted to one
regulator.

    python bench/seed.py            (run by `make bench`; does nothing when the seed is already there)

Two parts, and bench/RESULTS.md says how many rows came from each:

- a base made by the project's own services, one assessment at a time (create, import answers, DPO advice and
  decision, signature, then publication or submission): BENCH_SERVICES_PUBLISHED (default 1,000) publications
  and BENCH_SERVICES_SUBMITTED (default 500) submissions. The demo cases and the reference projects (one of them
  about number-plate readers, so that a search for "plate" finds entries) are cycled through;
- faithful copies of that base, written by bulk insert, up to BENCH_PUBLISHED and BENCH_SUBMITTED: each copy is
  a new assessment with its own title, a version whose content names it and whose digest is computed from that
  content, a PDF made unique by that digest (and its own pdf digest), and, for publications, the redacted
  derivative with its own digest, search document and facets, as the services would write them.

The services path takes about 0.4-0.5 s an assessment on an idle 2-core machine (about 180 queries each), so
12,000 through the services would take over an hour; the base and copies take a few minutes.

The seed is cached: on SQLite the database file under bench/.cache/ is the cache; on PostgreSQL
(DATABASE_URL) a pg_dump of the seeded database is kept under bench/.cache/ and restored into an empty database.
PDFs: one report is rendered for real with WeasyPrint, and its bytes (with the digest appended) stand for every
version's and publication's PDF, so rows are as large as real ones; rendering 22,000 PDFs would take hours and is
measured by bench/report_pdf.py. The engine's reading and the completeness check are computed once per case and
reused (the same answers give the same reading).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, setup  # noqa: E402

PUBLISHED = int(os.environ.get("BENCH_PUBLISHED", "10000"))
SUBMITTED = int(os.environ.get("BENCH_SUBMITTED", "2000"))
SERVICES_PUBLISHED = min(PUBLISHED, int(os.environ.get("BENCH_SERVICES_PUBLISHED", "1000")))
SERVICES_SUBMITTED = min(SUBMITTED, int(os.environ.get("BENCH_SERVICES_SUBMITTED", "500")))
ORGANISATIONS = 200
# Seeding may be split over processes (BENCH_WORKER=0..BENCH_WORKERS-1), each taking every n-th assessment.
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
WORKER = int(os.environ.get("BENCH_WORKER", "0"))
SEED_MARK = f"bench-seed-{PUBLISHED}-{SUBMITTED}"
PG_BIN = os.environ.get("PG_BIN") or next(
    (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), "")


def seeded() -> bool:
    from dpia.models import Organisation

    return Organisation.objects.filter(slug=SEED_MARK).exists()


def _pg_tool(name: str) -> str:
    return shutil.which(name) or str(Path(PG_BIN) / name)


def _dump_path(url: str) -> Path:
    return CACHE / f"seed-{SEED_MARK}-{hashlib.sha256(url.encode()).hexdigest()[:8]}.dump"


def restore_cached() -> bool:
    """PostgreSQL: load the cached dump into the (empty) database. SQLite keeps its own file."""
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    dump = _dump_path(url)
    if connection.vendor != "postgresql" or not dump.exists():
        return False
    connection.close()
    subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--clean", "--if-exists", "-d", url, str(dump)],
                   check=True, stdout=subprocess.DEVNULL)
    return True


def save_cache() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        url = os.environ["DATABASE_URL"]
        # -Z 0: the rows are mostly PDFs, which do not compress; compressing them made the dump CPU-bound
        subprocess.run([_pg_tool("pg_dump"), "-Fc", "-Z", "0", "-f", str(_dump_path(url)), url], check=True)


class RealSizedRenderer:
    """Stands in for the PDF renderer while seeding: one real report's bytes, made unique by the digest."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf

    def __call__(self, content, bank, *, digest="", **kwargs):
        return self.pdf + b"\n%" + digest.encode()


def _cases(bank) -> list[dict]:
    """The demo cases and the reference projects (number-plate readers among them), as {case: {title}, answers}."""
    from dpia.management.commands.load_demo import DEMO_CASES_DIR
    from dpia.management.commands.question_load import reference_projects

    cases = [tomllib.loads(p.read_text()) for p in sorted(DEMO_CASES_DIR.glob("*.toml"))]
    for path in reference_projects():
        data = tomllib.loads(path.read_text())
        cases.append({"case": {"title": data["reference"]["title"]["en"]}, "answers": data["answers"]})
    return cases


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    import dpia.services.versions as versions
    from dpia import services
    from dpia.engine.bank import default_bank
    from dpia.models import Assessment, Membership, Organisation
    from dpia.reports.render import report_pdf

    bank = default_bank()
    cases = _cases(bank)
    _reuse_pure_readings(versions)
    _fast_sqlite()
    User = get_user_model()
    password = make_password("bench-password-not-secret")
    Role = Membership.Role

    def person(username, organisation, role):
        user, _ = User.objects.get_or_create(username=username, defaults={
            "password": password, "email": f"{username}@bench.test"})
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        return user

    def body(slug, **fields):
        return Organisation.objects.get_or_create(slug=slug, defaults=fields)[0]

    with transaction.atomic():
        regulator = body("bench-dpa", name="Bench data protection authority", kind=Organisation.Kind.REGULATOR,
                         city="Paris", country="FR")
        person("bench-reviewer", regulator, Role.REVIEWER)
        bodies = []
        for n in range(ORGANISATIONS):
            organisation = body(f"bench-city-{n:03d}", name=f"City of Bench {n:03d}", city=f"Benchville {n:03d}",
                                kind=Organisation.Kind.PUBLIC_BODY, country="FR")
            bodies.append({"organisation": organisation, **{
                role: person(f"bench-{role}-{n:03d}", organisation, role)
                for role in (Role.AUTHOR, Role.DPO, Role.SIGNATORY)}})
    # A seed that was stopped goes on where it stopped: each assessment is written in one transaction, and those
    # already submitted or published are known by their titles.
    done = set(Assessment.objects.filter(organisation__slug__startswith="bench-city-").exclude(
        status=Assessment.Status.DRAFT).exclude(status=Assessment.Status.SIGNED).values_list("title", flat=True))

    # Keep the cases that can be signed as they are (a complete document).
    start = time.perf_counter()
    signable, sample = [], None
    versions.report_pdf = RealSizedRenderer(b"%PDF-1.7")  # until the real one is rendered, below
    for case in cases:
        with transaction.atomic():
            sid = transaction.savepoint()
            try:
                assessment = _signed(services, bank, bodies[0], case["case"]["title"], case["answers"])
            except Exception:  # noqa: BLE001 - a case that is not complete enough to sign is left out
                transaction.savepoint_rollback(sid)
                continue
            sample = sample or assessment.versions.order_by("-number").first().content
            transaction.savepoint_rollback(sid)
        signable.append(case)
    cached_pdf = CACHE / "sample-report.pdf"
    if not cached_pdf.exists():
        cached_pdf.write_bytes(report_pdf(sample, bank, digest="0" * 64))
    real_pdf = cached_pdf.read_bytes()
    print(f"  {len(signable)} of {len(cases)} demo cases can be signed; a real report PDF is "
          f"{len(real_pdf) // 1024} KiB", flush=True)
    versions.report_pdf = RealSizedRenderer(real_pdf)

    # The base: submissions n < SERVICES_SUBMITTED, publications SUBMITTED <= n < SUBMITTED + SERVICES_PUBLISHED.
    base = [*range(SERVICES_SUBMITTED), *range(SUBMITTED, SUBMITTED + SERVICES_PUBLISHED)]
    made = 0
    for n in base[WORKER::WORKERS]:
        body = bodies[n % ORGANISATIONS]
        case = signable[n % len(signable)]
        title = f"{case['case']['title']} — {body['organisation'].city} no. {n // ORGANISATIONS + 1}"
        if title in done:
            continue
        with transaction.atomic():
            assessment = _signed(services, bank, body, title, case["answers"])
            if n < SUBMITTED:
                services.assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk),
                                           user=body[Role.SIGNATORY], regulator=regulator,
                                           today=timezone.localdate())
            else:
                services.assessment_publish(assessment=Assessment.objects.get(pk=assessment.pk),
                                            user=body[Role.SIGNATORY], bank=bank)
        made += 1
        if made % 100 == 0:
            print(f"  {made} more assessments by this process, {time.perf_counter() - start:.0f} s so far", flush=True)
    print(f"  this process made its share of the base in {time.perf_counter() - start:.0f} s "
          f"({made} assessments, {made / max(time.perf_counter() - start, 1e-9):.2f} a second)", flush=True)


def base_complete() -> bool:
    from dpia.models import Publication, Submission

    return (Submission.objects.filter(regulator__slug="bench-dpa").count() >= SERVICES_SUBMITTED
            and Publication.objects.filter(version__assessment__organisation__slug__startswith="bench-city-")
            .count() >= SERVICES_PUBLISHED)


COPY = " (copy "  # in a copy's title: how register.py tells copies from assessments the services made


def top_up() -> None:
    """Complete the seed with faithful copies of what the services made (see the module's docstring): new
    assessments, versions, PDFs (their render records too), and publications with their search documents and
    facets, or submissions to the regulator, by bulk insert. Says how many rows are copies."""
    import copy as copying

    from django.db import transaction

    from dpia.engine.bank import default_bank
    from dpia.models import (
        Assessment,
        AssessmentVersion,
        Publication,
        RegisterFacet,
        ReportRender,
        SearchDocument,
        Submission,
    )
    from dpia.reports.export import content_digest, sha256
    from dpia.reports.redaction import redact
    from dpia.services import search_text

    bank = default_bank()
    pdf = (CACHE / "sample-report.pdf").read_bytes()
    started = time.perf_counter()

    def copied_version(source, title):
        """A new assessment and its version 1, sealed like the source but under its own title."""
        assessment = Assessment(
            organisation=source.assessment.organisation, created_by=source.assessment.created_by, title=title,
            status=source.assessment.status, answers=source.assessment.answers, revision=source.assessment.revision,
            bank_version=source.assessment.bank_version, last_step=source.assessment.last_step,
            updated_by=source.assessment.updated_by)
        content = copying.deepcopy(source.content)
        content["assessment"]["title"] = title
        content.update(number=1, previous_digest="")
        digest = content_digest(content)
        body = RealSizedRenderer(pdf)(content, bank, digest=digest)
        version = AssessmentVersion(number=1, content=content, digest=digest, previous_digest="", pdf=body, title=title,
                                    pdf_digest=sha256(body), created_by=source.created_by,
                                    created_at=source.created_at)
        return assessment, version

    def write(pairs):
        assessments = Assessment.objects.bulk_create([a for a, _ in pairs])
        for assessment, (_, version) in zip(assessments, pairs, strict=True):
            version.assessment = assessment
        versions = AssessmentVersion.objects.bulk_create([v for _, v in pairs])
        ReportRender.objects.bulk_create([ReportRender(version=v, state=ReportRender.State.RENDERED, attempts=1)
                                          for v in versions])
        return assessments, versions

    made = list(Publication.objects.filter(version__assessment__organisation__slug__startswith="bench-city-")
                .exclude(version__assessment__title__contains=COPY)
                .select_related("version__assessment__organisation").order_by("pk"))
    have = Publication.objects.filter(version__assessment__organisation__slug__startswith="bench-city-").count()
    missing = max(PUBLISHED - have, 0)
    print(f"Top-up: {len(made)} publications made by the services, {have - len(made)} copies already; "
          f"adding {missing} copies", flush=True)
    first = have - len(made)
    for start in range(0, missing, 500):
        with transaction.atomic():
            batch = [made[(first + start + k) % len(made)] for k in range(min(500, missing - start))]
            pairs = [copied_version(p.version, f"{p.version.assessment.title}{COPY}{first + start + k})")
                     for k, p in enumerate(batch)]
            assessments, versions = write(pairs)
            publications = []
            for version, p in zip(versions, batch, strict=True):
                public = redact(version.content, bank)
                public["published_from"] = version.digest
                public["published_at"] = p.published_at.isoformat(timespec="seconds")  # as the service seals it
                digest = content_digest(public)
                body = RealSizedRenderer(pdf)(public, bank, digest=digest)
                publications.append(Publication(
                    version=version, content=public, digest=digest, pdf=body, pdf_digest=sha256(body),
                    source_digest=version.digest, published_by=p.published_by, published_at=p.published_at,
                    city=p.city, technologies=p.technologies, regimes=p.regimes, verdict=p.verdict,
                    shadow=p.shadow, organisation_name=(public.get("assessment", {}).get("organisation") or "")[:200]))
            publications = Publication.objects.bulk_create(publications)
            ReportRender.objects.bulk_create([ReportRender(publication=c, state=ReportRender.State.RENDERED,
                                                           attempts=1) for c in publications])
            SearchDocument.objects.bulk_create([SearchDocument(publication=c, text=search_text(
                c.content, bank, title=c.version.title, organisation=a.organisation.name, city=c.city))
                for a, c in zip(assessments, publications, strict=True)])
            RegisterFacet.objects.bulk_create([
                RegisterFacet(publication=c, kind=kind, value=value[:100])
                for c in publications for kind, values in (("technology", c.technologies), ("regime", c.regimes))
                for value in sorted(set(values))])
        print(f"  {start + len(batch)} publication copies, {time.perf_counter() - started:.0f} s", flush=True)

    made = list(Submission.objects.filter(regulator__slug="bench-dpa").exclude(
        version__assessment__title__contains=COPY).select_related(
        "version__assessment__organisation").order_by("pk"))
    have = Submission.objects.filter(regulator__slug="bench-dpa").count()
    missing = max(SUBMITTED - have, 0)
    print(f"Top-up: {len(made)} submissions made by the services, {have - len(made)} copies already; "
          f"adding {missing} copies", flush=True)
    first = have - len(made)
    for start in range(0, missing, 500):
        with transaction.atomic():
            batch = [made[(first + start + k) % len(made)] for k in range(min(500, missing - start))]
            pairs = [copied_version(s.version, f"{s.version.assessment.title}{COPY}{first + start + k})")
                     for k, s in enumerate(batch)]
            _, versions = write(pairs)
            Submission.objects.bulk_create([Submission(
                version=v, regulator_id=s.regulator_id, submitted_by_id=s.submitted_by_id,
                submitted_at=s.submitted_at, prior_consultation=s.prior_consultation, regime=s.regime,
                deadline=s.deadline, extended_days=s.extended_days, closed_at=s.closed_at)
                for v, s in zip(versions, batch, strict=True)])
        print(f"  {start + len(batch)} submission copies, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"Top-up done in {time.perf_counter() - started:.0f} s", flush=True)


def _copy_digest(digest: str, pk: int) -> str:
    return hashlib.sha256(f"{digest}:{pk}".encode()).hexdigest()


def _reuse_pure_readings(versions) -> None:
    """Each demo case is sealed thousands of times with the same answers: its completeness check and the engine's
    reading are pure functions of the answers, so the seed computes each once per case and reuses it. What the
    services write is unchanged."""
    import json

    def memo(function, key):
        results = {}

        def call(*args, **kwargs):
            k = key(*args, **kwargs)
            if k not in results:
                results[k] = function(*args, **kwargs)
            return results[k]
        return call

    versions.first_incomplete_step = memo(versions.first_incomplete_step, lambda bank, draft: json.dumps(
        [draft.answers, draft.pending_steps], sort_keys=True, default=str))
    versions.assess = memo(versions.assess, lambda answers, bank, *, today, evidence=(): json.dumps(
        [answers, str(today), sorted(evidence)], sort_keys=True, default=str))


def _fast_sqlite() -> None:
    """A seed is rebuilt rather than recovered: SQLite need not wait for the disk at every commit."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")


def _signed(services, bank, body, title, answers):
    from dpia.models import Assessment, Membership

    Role = Membership.Role
    author, dpo, signatory = body[Role.AUTHOR], body[Role.DPO], body[Role.SIGNATORY]
    assessment = services.assessment_create(user=author, organisation=body["organisation"], title=title, bank=bank)
    services.assessment_import_answers(assessment=assessment, user=author, answers=answers, bank=bank)
    fresh = lambda: Assessment.objects.get(pk=assessment.pk)  # noqa: E731
    services.assessment_request_dpo_advice(assessment=fresh(), user=author, bank=bank, language="en")
    services.dpo_advice_give(assessment=fresh(), user=dpo, advice="Proceed with the measures listed.")
    services.dpo_advice_decide(assessment=fresh(), user=signatory, decision="followed", reasons="")
    services.assessment_sign(assessment=fresh(), user=signatory, bank=bank, language="en")
    return fresh()


def mark() -> None:
    from dpia.models import Organisation, Publication, Submission

    if Submission.objects.filter(regulator__slug="bench-dpa").count() >= SUBMITTED and Publication.objects.filter(
            version__assessment__organisation__slug__startswith="bench-city-").count() >= PUBLISHED:
        Organisation.objects.get_or_create(slug=SEED_MARK, defaults={
            "name": "Bench seed mark", "kind": Organisation.Kind.CIVIL_SOCIETY})


def main() -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if seeded():
        print("Seed: already in the database (cached).")
        return
    if restore_cached() and seeded():
        print("Seed: restored from the cached dump.")
        return
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not base_complete():
        print(f"Seed: the base, {SERVICES_PUBLISHED} published and {SERVICES_SUBMITTED} submitted assessments, "
              f"through the services (process {WORKER} of {WORKERS}) …", flush=True)
        seed()
    if "--base-only" in sys.argv or not base_complete():
        print("Seed: base not complete yet (other processes, or stopped); run it again to go on.")
        return
    top_up()
    mark()
    if seeded():
        save_cache()
        print(f"Seed: complete, and cached ({time.perf_counter() - started:.0f} s in this process).")


if __name__ == "__main__":
    main()
