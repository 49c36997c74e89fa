"""What the demo programme is made of: conferences, seminars, series, cities, the agenda."""
# (Russian text is Cyrillic on purpose.)

# (title in English, title in Russian, topic slugs)
CONFERENCES = [
    (
        "Bilateral labour agreements: what works",
        "Двусторонние соглашения о трудовой миграции: что работает",
        ("labour-migration", "legislation-policy"),
    ),
    ("The cost of sending money home", "Сколько стоит отправить деньги домой", ("remittances",)),
    ("Diaspora investment funds", "Инвестиционные фонды диаспоры", ("diaspora",)),
    (
        "Reintegration of returning migrants",
        "Реинтеграция возвращающихся мигрантов",
        ("return-reintegration",),
    ),
    (
        "Household surveys on migration",
        "Обследования домохозяйств по вопросам миграции",
        ("migration-data",),
    ),
    ("Women in labour migration", "Женщины в трудовой миграции", ("gender", "labour-migration")),
    (
        "Organised recruitment through public agencies",
        "Оргнабор через государственные агентства",
        ("organised-recruitment",),
    ),
    ("Pre-departure orientation courses", "Курсы подготовки к выезду", ("pre-departure",)),
    (
        "Integration programmes in host cities",
        "Программы интеграции в принимающих городах",
        ("integration",),
    ),
    ("Digital border management", "Цифровое управление границами", ("border-management",)),
    (
        "Migration statistics from administrative data",
        "Миграционная статистика по административным данным",
        ("migration-data",),
    ),
    (
        "Remittances and financial inclusion",
        "Денежные переводы и финансовая доступность",
        ("remittances",),
    ),
    (
        "Recognition of migrants' skills",
        "Признание квалификации мигрантов",
        ("labour-migration", "integration"),
    ),
    (
        "Social security for migrant workers",
        "Социальное обеспечение трудовых мигрантов",
        ("legislation-policy",),
    ),
    ("Seasonal work schemes", "Программы сезонной занятости", ("labour-migration",)),
    ("Diaspora and local development", "Диаспора и местное развитие", ("diaspora",)),
    (
        "Migrant children and schooling",
        "Дети мигрантов и школьное образование",
        ("integration", "gender"),
    ),
    (
        "Forecasting labour shortages",
        "Прогнозирование нехватки рабочей силы",
        ("migration-data", "labour-migration"),
    ),
    ("Fair recruitment and fees", "Добросовестный наём и сборы", ("organised-recruitment",)),
    (
        "Returnees as entrepreneurs",
        "Вернувшиеся мигранты как предприниматели",
        ("return-reintegration",),
    ),
    (
        "Migration laws: a regional comparison",
        "Миграционное законодательство: сравнение стран региона",
        ("legislation-policy",),
    ),
    ("Digital remittance channels", "Цифровые каналы денежных переводов", ("remittances",)),
    (
        "Language courses for migrants",
        "Языковые курсы для мигрантов",
        ("integration", "pre-departure"),
    ),
    (
        "Data sharing between countries",
        "Обмен данными между странами",
        ("migration-data", "border-management"),
    ),
]
SEMINARS = [
    (
        "Workshop: designing a migrant survey",
        "Практикум: как построить обследование мигрантов",
        ("migration-data",),
        "Tashkent",
        "UZ",
        "Asia/Tashkent",
    ),
    (
        "Seminar on remittance statistics",
        "Семинар по статистике денежных переводов",
        ("remittances", "migration-data"),
        "",
        "",
        "Europe/Moscow",
    ),
    (
        "Workshop on pre-departure training",
        "Практикум по подготовке к выезду",
        ("pre-departure",),
        "Dushanbe",
        "TJ",
        "Asia/Dushanbe",
    ),
]
SERIES = (
    "remittances-data-seminar",
    "Monthly remittances data seminar",
    "Ежемесячный семинар по данным о денежных переводах",
)
CONFERENCE_CITIES = [
    ("Almaty", "KZ", "Asia/Almaty", "Dostyk Ave 52"),
    ("Bishkek", "KG", "Asia/Bishkek", "Chui Ave 106"),
]
AGENDA = [
    ("Opening and welcome", "Открытие и приветствие", 0, 0, 1),
    (
        "Labour migration in the region: the year in review",
        "Трудовая миграция в регионе: итоги года",
        0,
        1,
        2,
    ),
    ("Panel: remittances after the pandemic", "Панель: денежные переводы после пандемии", 0, 4, 2),
    ("Working groups by country", "Работа в группах по странам", 1, 0, 3),
    (
        "Panel: returning migrants and local jobs",
        "Панель: вернувшиеся мигранты и местная занятость",
        1,
        4,
        2,
    ),
    (
        "Closing session and the next year's plan",
        "Заключительное заседание и план на следующий год",
        1,
        6,
        1,
    ),
]
DESCRIPTION_EN = (
    "A knowledge-sharing session of the MIRPAL network: a short presentation by the speakers, "
    "then questions and discussion among members from the nine countries."
)
DESCRIPTION_RU = (
    "Встреча сети MIRPAL для обмена знаниями: короткое выступление докладчиков, затем вопросы и "
    "обсуждение с участниками из девяти стран."
)
