"""Seed the organisations from the shipped reference data: every a-kasse, the 98 job centres and STAR."""

from django.db import migrations

from akasse.reference import akasser, municipalities


def seed(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    rows = [("akasse", a.code, a.name) for a in akasser().values()]
    rows += [("jobcentre", str(m.code), f"Jobcenter {m.name}") for m in municipalities().values()]
    rows.append(("star", "STAR", "Styrelsen for Arbejdsmarked og Rekruttering"))
    existing = set(Organisation.objects.values_list("kind", "code"))
    Organisation.objects.bulk_create(
        Organisation(kind=k, code=c, name=n) for k, c, n in rows if (k, c) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
