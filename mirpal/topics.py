"""The one topic list that members' interests, events, the roster and the library share."""

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


def topics_sync(topic_model=None) -> None:
    """Create or rename the listed topics; topics the secretariat added stay as they are."""
    if topic_model is None:
        from mirpal.models import Topic as topic_model
    for position, (slug, name_en, name_ru) in enumerate(TOPICS):
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name_en": name_en, "name_ru": name_ru, "position": position}
        )
