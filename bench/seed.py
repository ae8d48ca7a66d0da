"""Seed the bench database: 10,000 published assessments from 200 organisations, and 2,000 more submitted to one
regulator, each written and taken through the workflow by the project's own services (create, import answers,
DPO advice and decision, signature, publication or submission).

    python bench/seed.py            (run by `make bench`; does nothing when the seed is already there)

The seed is cached: on SQLite the database file under bench/.cache/ is the cache; on PostgreSQL
(DATABASE_URL) a pg_dump of the seeded database is kept under bench/.cache/ and restored into an empty database.
PDFs: one report is rendered for real with WeasyPrint, and its bytes (with the digest appended) stand for every
version's and publication's PDF, so rows are as large as real ones; rendering 22,000 PDFs would take hours and is
measured by bench/report_pdf.py.
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
        subprocess.run([_pg_tool("pg_dump"), "-Fc", "-f", str(_dump_path(url)), url], check=True)


class RealSizedRenderer:
    """Stands in for the PDF renderer while seeding: one real report's bytes, made unique by the digest."""

    def __init__(self, pdf: bytes):
        self.pdf = pdf

    def __call__(self, content, bank, *, digest="", **kwargs):
        return self.pdf + b"\n%" + digest.encode()


def _cases(bank) -> list[dict]:
    from dpia.management.commands.load_demo import DEMO_CASES_DIR

    return [tomllib.loads(p.read_text()) for p in sorted(DEMO_CASES_DIR.glob("*.toml"))]


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    import dpia.services.versions as versions
    from dpia import services
    from dpia.engine.bank import default_bank
    from dpia.models import Assessment, Membership, Organisation, Publication, Submission
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

    total = PUBLISHED + SUBMITTED
    made = 0
    for n in range(WORKER, total, WORKERS):
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
    print(f"  this process seeded its share in {time.perf_counter() - start:.0f} s", flush=True)
    if Submission.objects.filter(regulator=regulator).count() >= SUBMITTED and Publication.objects.filter(
            version__assessment__organisation__slug__startswith="bench-city-").count() >= PUBLISHED:
        Organisation.objects.get_or_create(slug=SEED_MARK, defaults={
            "name": "Bench seed mark", "kind": Organisation.Kind.CIVIL_SOCIETY})


def top_up() -> None:
    """`seed.py --top-up`: complete a seed stopped short (the services seed 10,000 assessments in about two hours on
    a busy 2-core machine) with copies of the publications the services made: new assessments, versions and
    publications, written by bulk insert, each with its own title, digests, search document and facets. Says how
    many rows are copies; bench/RESULTS.md must say it too."""
    from django.db import transaction

    from dpia import services
    from dpia.engine.bank import default_bank
    from dpia.models import Assessment, AssessmentVersion, Organisation, Publication, RegisterFacet, SearchDocument

    bank = default_bank()
    made = list(Publication.objects.filter(version__assessment__organisation__slug__startswith="bench-city-")
                .select_related("version__assessment__organisation").order_by("pk"))
    missing = PUBLISHED - len(made)
    print(f"Top-up: {len(made)} publications made by the services; adding {max(missing, 0)} copies", flush=True)
    for start in range(0, max(missing, 0), 500):
        with transaction.atomic():
            batch = [made[(start + k) % len(made)] for k in range(min(500, missing - start))]
            assessments = Assessment.objects.bulk_create([Assessment(
                organisation=p.version.assessment.organisation, created_by=p.version.assessment.created_by,
                title=f"{p.version.assessment.title} (copy {start + k})", status=Assessment.Status.PUBLISHED,
                answers=p.version.assessment.answers, revision=p.version.assessment.revision,
                bank_version=p.version.assessment.bank_version) for k, p in enumerate(batch)])
            versions = AssessmentVersion.objects.bulk_create([AssessmentVersion(
                assessment=a, number=1, content=p.version.content, digest=_copy_digest(p.version.digest, a.pk),
                pdf=p.version.pdf, pdf_digest=_copy_digest(p.version.pdf_digest, a.pk),
                created_by=p.version.created_by, created_at=p.version.created_at)
                for a, p in zip(assessments, batch, strict=True)])
            copies = Publication.objects.bulk_create([Publication(
                version=v, content=p.content, digest=_copy_digest(p.digest, v.pk), pdf=p.pdf,
                pdf_digest=_copy_digest(p.pdf_digest, v.pk), source_digest=v.digest, published_by=p.published_by,
                published_at=p.published_at, city=p.city, technologies=p.technologies, regimes=p.regimes,
                verdict=p.verdict, shadow=p.shadow) for v, p in zip(versions, batch, strict=True)])
            SearchDocument.objects.bulk_create([SearchDocument(publication=c, text=services.search_text(
                c.content, bank, title=a.title, organisation=a.organisation.name, city=c.city))
                for a, c in zip(assessments, copies, strict=True)])
            RegisterFacet.objects.bulk_create([
                RegisterFacet(publication=c, kind=kind, value=value)
                for c in copies for kind, values in (("technology", c.technologies), ("regime", c.regimes))
                for value in sorted(set(values))])
        print(f"  {start + len(batch)} copies", flush=True)
    Organisation.objects.get_or_create(slug=SEED_MARK, defaults={
        "name": "Bench seed mark (topped up with copies)", "kind": Organisation.Kind.CIVIL_SOCIETY})


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


def main() -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if "--top-up" in sys.argv:
        top_up()
        save_cache()
        return
    if seeded():
        print("Seed: already in the database (cached).")
        return
    if restore_cached() and seeded():
        print("Seed: restored from the cached dump.")
        return
    call_command("migrate", verbosity=0)
    print(f"Seed: {PUBLISHED} published and {SUBMITTED} submitted assessments, through the services …", flush=True)
    seed()
    if seeded():
        save_cache()
        print("Seed: complete, and cached.")
    else:
        print("Seed: not complete yet (other processes, or stopped); run it again to go on.")


if __name__ == "__main__":
    main()
