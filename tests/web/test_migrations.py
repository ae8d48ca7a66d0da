"""Records written before workflow records named their versions are filled in by the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("dpia", "0005_annotations")]
AFTER = [("dpia", "0006_records")]


@pytest.mark.django_db(transaction=True)
def test_existing_signatures_opinions_replies_and_sealed_evidence_are_filled_in():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    organisation = old.get_model("dpia", "Organisation").objects.create(name="City", slug="city",
                                                                        kind="public_body", country="FR")
    regulator = old.get_model("dpia", "Organisation").objects.create(name="DPA", slug="dpa", kind="regulator",
                                                                     country="FR")
    user = User.objects.create(username="signatory")
    now = timezone.now()
    assessment = old.get_model("dpia", "Assessment").objects.create(organisation=organisation, title="CCTV",
                                                                    created_by=user, status="published")
    Version = old.get_model("dpia", "AssessmentVersion")
    advised = Version.objects.create(assessment=assessment, number=1, content={"workflow": {}, "evidence": []},
                                     digest="a" * 64, pdf=b"%PDF", pdf_digest="b" * 64, created_by=user,
                                     created_at=now)
    advice = old.get_model("dpia", "DpoAdvice").objects.create(version=advised, dpo=user, advice="OK",
                                                               decision="followed")
    signed = Version.objects.create(
        assessment=assessment, number=2, created_by=user, created_at=timezone.now(), digest="c" * 64, pdf=b"%PDF",
        pdf_digest="d" * 64, content={"workflow": {"signed_by": "signatory"},
                                      "evidence": [{"question_id": "project.summary", "title": "Study"}]})
    evidence = old.get_model("dpia", "Evidence").objects.create(assessment=assessment, question_id="project.summary",
                                                                title="Study", url="https://example.org",
                                                                added_by=user)
    submission = old.get_model("dpia", "Submission").objects.create(version=signed, regulator=regulator,
                                                                    submitted_by=user, submitted_at=now)
    opinion = old.get_model("dpia", "Opinion").objects.create(submission=submission, kind="advice", text="Fine",
                                                              issued_by=user, issued_at=now)
    publication = old.get_model("dpia", "Publication").objects.create(
        version=signed, content={}, digest="e" * 64, pdf=b"%PDF", pdf_digest="f" * 64, source_digest="c" * 64,
        published_by=user, published_at=now, verdict="proceed")
    renamed = Version.objects.create(
        assessment=assessment, number=3, created_by=user, created_at=timezone.now(), digest="g" * 64, pdf=b"%PDF",
        pdf_digest="h" * 64, content={"assessment": {"title": "CCTV on the square"}, "workflow": {}, "evidence": []})
    sealed_name = old.get_model("dpia", "Publication").objects.create(
        version=renamed, content={}, digest="i" * 64, pdf=b"%PDF", pdf_digest="j" * 64, source_digest="g" * 64,
        published_by=user, published_at=now, verdict="proceed")
    annotation = old.get_model("dpia", "Annotation").objects.create(
        publication=publication, target="answer:project.summary", text="Really?", organisation=organisation,
        author=user, reply="Yes.", replied_by=user, replied_at=now)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    signature = new.get_model("dpia", "Signature").objects.get()
    assert signature.version_id == signed.pk and signature.advice_id == advice.pk
    assert new.get_model("dpia", "Opinion").objects.get(pk=opinion.pk).version_id == signed.pk
    reply = new.get_model("dpia", "AnnotationReply").objects.get()
    assert reply.annotation_id == annotation.pk and reply.text == "Yes."
    assert new.get_model("dpia", "Evidence").objects.get(pk=evidence.pk).sealed_at is not None

    # On to the latest schema (the tests after this one use this database): migration 0008 gives the publication
    # made before it a search document and its facets.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from dpia.models import SearchDocument

    assert "cctv" in SearchDocument.objects.get(publication_id=publication.pk).text
    # Migration 0011: each version carries the name it was sealed under, or the draft's where its content names
    # none; what is published shows its version's.
    from dpia.models import AssessmentVersion, Publication

    assert AssessmentVersion.objects.get(pk=renamed.pk).title == "CCTV on the square"
    assert AssessmentVersion.objects.get(pk=signed.pk).title == "CCTV"
    assert Publication.objects.get(pk=sealed_name.pk).version.sealed_title == "CCTV on the square"
