from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_countryfigure"),
    ]

    operations = [
        migrations.AddField(
            model_name="countryfigure",
            name="value_ru",
            field=models.CharField(blank=True, max_length=60, verbose_name="value in Russian"),
        ),
    ]
