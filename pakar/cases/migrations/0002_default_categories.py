from django.db import migrations

from pakar.cases.categories import DEFAULT_CATEGORIES


def install(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for position, data in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=data["code"], defaults={**data, "position": position})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
