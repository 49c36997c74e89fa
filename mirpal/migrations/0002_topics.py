from django.db import migrations

TOPICS = [
    ("labour-migration", "Labour migration", "Трудовая миграция"),
    ("remittances", "Remittances", "Денежные переводы мигрантов"),
    ("diaspora", "Diaspora", "Диаспора"),
    ("return-reintegration", "Return and reintegration", "Возвращение и реинтеграция"),
    ("migration-data", "Migration data and statistics", "Миграционные данные и статистика"),
    ("gender", "Gender and migration", "Гендер и миграция"),
    ("organised-recruitment", "Organised recruitment", "Оргнабор"),
    ("pre-departure", "Pre-departure orientation", "Подготовка к выезду"),
    ("integration", "Integration", "Интеграция"),
    ("border-management", "Border management", "Управление границами"),
    ("legislation-policy", "Legislation and policy", "Законодательство и политика"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("mirpal", "Topic")
    for position, (slug, name_en, name_ru) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name_en": name_en, "name_ru": name_ru, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("mirpal", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
