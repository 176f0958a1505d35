from django.db import migrations

from pakar.consultations.topics import DEFAULT_TOPICS


def install(apps, schema_editor):
    Topic = apps.get_model("consultations", "Topic")
    for position, data in enumerate(DEFAULT_TOPICS):
        Topic.objects.get_or_create(code=data["code"], defaults={**data, "position": position})


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
