from django.db import migrations

from mirpal.topics import topics_sync


def add_topics(apps, schema_editor):
    topics_sync(apps.get_model("mirpal", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("mirpal", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
