"""The council's six Altogether priority themes, so imports and forms can name them."""

from django.db import migrations

THEMES = [
    ("Altogether Better for Children and Young People", "altogether-better-for-children-and-young-people", 10),
    ("Altogether Safer", "altogether-safer", 20),
    ("Altogether Healthier", "altogether-healthier", 30),
    ("Altogether Wealthier", "altogether-wealthier", 40),
    ("Altogether Greener", "altogether-greener", 50),
    ("Altogether Better Council", "altogether-better-council", 60),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("indicators", "Theme")
    for name, slug, position in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
