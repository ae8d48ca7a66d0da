from django.db import migrations, models


def names_from_sealed_publications(apps, schema_editor):
    """Each publication takes the organisation's name sealed in its content (its organisation's current name, for
    content that carries none): one UPDATE, reading only that key of the content."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.fields.json import KeyTextTransform, KeyTransform
    from django.db.models.functions import Coalesce, Left, NullIf

    Publication = apps.get_model("dpia", "Publication")
    AssessmentVersion = apps.get_model("dpia", "AssessmentVersion")
    current = AssessmentVersion.objects.filter(pk=OuterRef("version_id")).values("assessment__organisation__name")[:1]
    Publication.objects.update(organisation_name=Left(Coalesce(
        NullIf(KeyTextTransform("organisation", KeyTransform("assessment", "content")), Value("")), Subquery(current),
        Value("")), 200))


class Migration(migrations.Migration):

    dependencies = [
        ("dpia", "0012_publication_withdrawal"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="organisation_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(names_from_sealed_publications, migrations.RunPython.noop),
    ]
