"""The demo network's good-practice cases, written out in English and Russian.

They are fictional composites of the kinds of measure the nine countries' migration services,
labour ministries and banks have taken; figures are illustrative, and each source says so.
Each entry: slug, countries, topic slugs, status, years, visibility, then the texts as
(English, Russian) pairs.
"""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

from dataclasses import dataclass, field

Text = tuple[str, str]


@dataclass(frozen=True)
class DemoCase:
    slug: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    status: str
    years: tuple[int | None, int | None]
    title: Text
    summary: Text
    problem: Text
    measure: Text
    results: Text
    lessons: Text
    institutions: Text = ("", "")
    legal_basis: Text = ("", "")
    scale: Text = ("", "")
    cost: Text = ("", "")
    members_only: bool = False
    contacts: tuple[str, ...] = field(default=())  # "KG" = the first demo member from there


DEMO_SOURCE = (
    "Demo data: illustrative figures from the proposing agency's annual report",
    "Демонстрационные данные: условные цифры из годового отчёта ведомства",
)

CASES: list[DemoCase] = [
    DemoCase(
        slug="kg-public-recruitment-agency",
        countries=("KG",),
        topics=("organised-recruitment", "labour-migration"),
        status="in_force",
        years=(2019, None),
        title=(
            "Organised recruitment through a public employment agency",
            "Оргнабор через государственное агентство занятости",
        ),
        summary=(
            "Workers are placed abroad through a public agency that checks employers and "
            "contracts.",
            "Работники трудоустраиваются за рубежом через государственное агентство, которое "
            "проверяет работодателей и договоры.",
        ),
        problem=(
            "Private intermediaries charged workers high fees and many contracts were never "
            "honoured.",
            "Частные посредники брали с работников высокую плату, многие договоры не исполнялись.",
        ),
        measure=(
            "The agency signs agreements with vetted employers, checks each contract and trains "
            "workers before departure; placement is free of charge for the worker.",
            "Агентство заключает соглашения с проверенными работодателями, проверяет каждый "
            "договор и обучает работников перед выездом; для работника услуги бесплатны.",
        ),
        results=(
            "About 12,000 workers placed in 2023; complaints about unpaid wages fell by 40%.",
            "В 2023 году трудоустроено около 12 000 работников; жалоб на невыплату зарплаты "
            "стало на 40% меньше.",
        ),
        lessons=(
            "Works only with a bilateral agreement in the destination country and enough staff "
            "to check employers on site.",
            "Работает только при наличии двустороннего соглашения со страной назначения и "
            "достаточного числа сотрудников для проверки работодателей на месте.",
        ),
        institutions=(
            "Ministry of Labour, Social Security and Migration; the public employment agency",
            "Министерство труда, социального обеспечения и миграции; государственное агентство "
            "занятости",
        ),
        legal_basis=(
            "Law on External Labour Migration; bilateral agreements on organised recruitment",
            "Закон о внешней трудовой миграции; двусторонние соглашения об оргнаборе",
        ),
        scale=("National, 7 regional offices", "Общенациональный, 7 региональных отделений"),
        cost=("About 0.4 million USD a year", "Около 0,4 млн долларов США в год"),
        contacts=("KG",),
    ),
    DemoCase(
        slug="tj-pre-departure-centres",
        countries=("TJ",),
        topics=("pre-departure", "labour-migration"),
        status="in_force",
        years=(2016, None),
        title=("Pre-departure orientation centres", "Центры предвыездной подготовки"),
        summary=(
            "Free courses on rights, language and work rules for people leaving to work abroad.",
            "Бесплатные курсы о правах, языке и правилах работы для выезжающих на заработки.",
        ),
        problem=(
            "Many first-time migrants did not know how to register, obtain a work permit or "
            "where to turn for help.",
            "Многие впервые выезжающие не знали, как встать на учёт, получить разрешение на "
            "работу и куда обращаться за помощью.",
        ),
        measure=(
            "Eight centres run two-week courses: language basics, legal stay and work, "
            "remittances, health, contacts of consulates and diaspora organisations.",
            "Восемь центров проводят двухнедельные курсы: основы языка, законное пребывание и "
            "работа, денежные переводы, здоровье, контакты консульств и диаспоры.",
        ),
        results=(
            "31,000 graduates since 2016; graduates were fined for documents half as often.",
            "31 000 выпускников с 2016 года; выпускников вдвое реже штрафовали за документы.",
        ),
        lessons=(
            "Courses must be short and near people's homes; a certificate recognised by "
            "employers raises attendance.",
            "Курсы должны быть короткими и близкими к дому; сертификат, признаваемый "
            "работодателями, повышает посещаемость.",
        ),
        institutions=("Migration Service", "Миграционная служба"),
        contacts=("TJ",),
    ),
    DemoCase(
        slug="uz-migrant-support-fund",
        countries=("UZ",),
        topics=("labour-migration", "return-reintegration"),
        status="in_force",
        years=(2018, None),
        title=("A fund to support migrant workers", "Фонд поддержки трудовых мигрантов"),
        summary=(
            "A public fund pays for training, insurance and the return of migrants in distress.",
            "Государственный фонд оплачивает обучение, страхование и возвращение мигрантов, "
            "попавших в беду.",
        ),
        problem=(
            "Migrants in distress abroad had no one to pay for medical care or travel home.",
            "Мигрантам, попавшим в беду за рубежом, некому было оплатить лечение или дорогу домой.",
        ),
        measure=(
            "The fund, financed by the budget and agency fees, covers return tickets, medical "
            "insurance and vocational training before departure.",
            "Фонд, финансируемый из бюджета и сборов агентств, оплачивает билеты домой, "
            "медицинскую страховку и профессиональное обучение перед выездом.",
        ),
        results=(
            "In 2023 the fund paid the return of 2,300 people and trained 18,000.",
            "В 2023 году фонд оплатил возвращение 2 300 человек и обучение 18 000.",
        ),
        lessons=(
            "Clear rules on who may apply and a hotline abroad are what make it usable.",
            "Пользоваться фондом можно, только если ясно, кто вправе обратиться, и есть "
            "горячая линия за рубежом.",
        ),
        institutions=(
            "Agency for External Labour Migration",
            "Агентство внешней трудовой миграции",
        ),
        cost=("About 9 million USD in 2023", "Около 9 млн долларов США в 2023 году"),
    ),
    DemoCase(
        slug="md-diaspora-pare-1-1",
        countries=("MD",),
        topics=("diaspora", "remittances"),
        status="in_force",
        years=(2010, None),
        title=(
            "Matching migrants' savings for small businesses (1 + 1)",
            "Удвоение сбережений мигрантов для малого бизнеса («1 + 1»)",
        ),
        summary=(
            "Every leu a migrant invests in a small business at home is matched by a grant.",
            "Каждый лей, вложенный мигрантом в малый бизнес на родине, удваивается грантом.",
        ),
        problem=(
            "Remittances went mostly to consumption; returning migrants lacked capital.",
            "Денежные переводы шли в основном на потребление; у вернувшихся не было капитала.",
        ),
        measure=(
            "Migrants and their first-degree relatives get business training and a grant equal "
            "to their own investment, up to a ceiling.",
            "Мигранты и их близкие родственники проходят обучение предпринимательству и получают "
            "грант в размере собственных вложений, до установленного предела.",
        ),
        results=(
            "More than 1,800 businesses financed, with about 4,500 jobs created.",
            "Профинансировано более 1 800 предприятий, создано около 4 500 рабочих мест.",
        ),
        lessons=(
            "Training before the grant matters as much as the money; rural areas need outreach.",
            "Обучение до гранта важно не меньше денег; в сельских районах нужна отдельная работа "
            "с людьми.",
        ),
        institutions=(
            "Organisation for the Development of Small and Medium Enterprises",
            "Организация по развитию малого и среднего предпринимательства",
        ),
    ),
    DemoCase(
        slug="am-circular-migration-eu",
        countries=("AM",),
        topics=("labour-migration", "return-reintegration"),
        status="pilot",
        years=(2022, 2025),
        title=(
            "Circular migration of nurses with an EU country",
            "Циркулярная миграция медицинских сестёр со страной ЕС",
        ),
        summary=(
            "Nurses work abroad for up to three years and return with recognised qualifications.",
            "Медицинские сёстры работают за рубежом до трёх лет и возвращаются с признанной "
            "квалификацией.",
        ),
        problem=(
            "Nurses left for good, and hospitals at home lost staff they had trained.",
            "Медсёстры уезжали навсегда, а больницы теряли подготовленных ими специалистов.",
        ),
        measure=(
            "A pilot with language courses, recognition of diplomas and a guaranteed job at "
            "home after return.",
            "Пилотный проект с языковыми курсами, признанием дипломов и гарантированной работой "
            "на родине после возвращения.",
        ),
        results=(
            "120 nurses took part; 85% returned to work in Armenian hospitals.",
            "Участвовали 120 медсестёр; 85% вернулись на работу в армянские больницы.",
        ),
        lessons=(
            "Return works when the job at home is agreed before departure.",
            "Возвращение удаётся, когда работа на родине согласована ещё до отъезда.",
        ),
    ),
    DemoCase(
        slug="kz-e-registration-migrants",
        countries=("KZ",),
        topics=("labour-migration", "migration-data"),
        status="in_force",
        years=(2020, None),
        title=(
            "Online registration of foreign workers",
            "Онлайн-регистрация иностранных работников",
        ),
        summary=(
            "Employers and migrants register stay and work permits online instead of in queues.",
            "Работодатели и мигранты оформляют пребывание и разрешения на работу онлайн, "
            "без очередей.",
        ),
        problem=(
            "Queues at migration offices pushed people into informal work.",
            "Очереди в миграционных службах подталкивали людей к неформальной занятости.",
        ),
        measure=(
            "A single portal for registration, patents and payments, linked with tax and "
            "border data.",
            "Единый портал для регистрации, патентов и платежей, связанный с налоговыми и "
            "пограничными данными.",
        ),
        results=(
            "Registration takes one day instead of ten; 70% of patents are issued online.",
            "Регистрация занимает один день вместо десяти; 70% патентов оформляются онлайн.",
        ),
        lessons=(
            "Data exchange between agencies must be agreed in law first.",
            "Обмен данными между ведомствами сначала нужно закрепить в законе.",
        ),
        contacts=("KZ",),
    ),
    DemoCase(
        slug="ru-patent-system",
        countries=("RU",),
        topics=("labour-migration", "legislation-policy"),
        status="in_force",
        years=(2015, None),
        title=(
            "Work patents paid in advance",
            "Патенты на работу с авансовой оплатой",
        ),
        summary=(
            "Migrants from visa-free countries work under a patent paid monthly in advance.",
            "Мигранты из безвизовых стран работают по патенту с ежемесячной авансовой оплатой.",
        ),
        problem=(
            "Quotas and employer permits left most migrants without legal status.",
            "Квоты и разрешения для работодателей оставляли большинство мигрантов без "
            "законного статуса.",
        ),
        measure=(
            "A patent replaces quotas; its fixed monthly payment counts as income tax.",
            "Патент заменил квоты; фиксированный ежемесячный платёж засчитывается в налог на "
            "доходы.",
        ),
        results=(
            "Regional budgets received the patent payments of about 2 million people a year.",
            "Региональные бюджеты ежегодно получают патентные платежи около 2 млн человек.",
        ),
        lessons=(
            "Price levels and test requirements decide whether people stay legal.",
            "От стоимости и требований к экзаменам зависит, останутся ли люди в правовом поле.",
        ),
    ),
    DemoCase(
        slug="ua-diaspora-return-startups",
        countries=("UA",),
        topics=("diaspora", "return-reintegration"),
        status="ended",
        years=(2018, 2021),
        title=(
            "Start-up grants for returning migrants",
            "Гранты на открытие дела для вернувшихся мигрантов",
        ),
        summary=(
            "Returning migrants competed for grants and mentoring to open a business.",
            "Вернувшиеся мигранты участвовали в конкурсе грантов и наставничества для открытия "
            "своего дела.",
        ),
        problem=(
            "Skills gained abroad were lost when people came back to unemployment.",
            "Навыки, полученные за рубежом, терялись, когда люди возвращались в безработицу.",
        ),
        measure=(
            "Regional competitions with mentoring by diaspora entrepreneurs and grants of up "
            "to 10,000 USD.",
            "Региональные конкурсы с наставничеством предпринимателей из диаспоры и грантами "
            "до 10 000 долларов США.",
        ),
        results=(
            "340 businesses started; 62% were still running two years later.",
            "Открыто 340 предприятий; через два года работали 62% из них.",
        ),
        lessons=(
            "Mentors from the diaspora were the most valued part.",
            "Больше всего участники ценили наставников из диаспоры.",
        ),
    ),
    DemoCase(
        slug="by-remittance-statistics",
        countries=("BY",),
        topics=("remittances", "migration-data"),
        status="in_force",
        years=(2017, None),
        title=(
            "Quarterly remittance statistics by corridor",
            "Ежеквартальная статистика переводов по направлениям",
        ),
        summary=(
            "The central bank publishes remittances by country and channel every quarter.",
            "Национальный банк ежеквартально публикует данные о переводах по странам и каналам.",
        ),
        problem=(
            "Policy relied on yearly estimates that missed informal channels.",
            "Политика опиралась на годовые оценки, не учитывавшие неформальные каналы.",
        ),
        measure=(
            "Banks and money transfer operators report by corridor; a household survey "
            "estimates cash carried by hand.",
            "Банки и операторы переводов отчитываются по направлениям; обследование домохозяйств "
            "оценивает наличные, перевозимые лично.",
        ),
        results=(
            "The estimate of informal remittances fell from 35% to 20% of the total.",
            "Оценка доли неформальных переводов снизилась с 35% до 20% от общего объёма.",
        ),
        lessons=(
            "A survey module is cheap if added to an existing household survey.",
            "Модуль обследования обходится недорого, если добавить его в уже проводимое "
            "обследование домохозяйств.",
        ),
    ),
    DemoCase(
        slug="tj-remittance-cards",
        countries=("TJ", "RU"),
        topics=("remittances",),
        status="in_force",
        years=(2019, None),
        title=(
            "Cheaper remittances through national payment cards",
            "Удешевление переводов через национальные платёжные карты",
        ),
        summary=(
            "Card-to-card transfers between the two payment systems cut the cost of sending money.",
            "Переводы с карты на карту между двумя платёжными системами снизили стоимость "
            "отправки денег.",
        ),
        problem=(
            "Sending 200 USD cost up to 3% and cash was often carried by hand.",
            "Отправка 200 долларов стоила до 3%, деньги часто везли наличными.",
        ),
        measure=(
            "The two central banks linked their card systems and set a fee ceiling.",
            "Центральные банки связали свои карточные системы и установили предельный размер "
            "комиссии.",
        ),
        results=(
            "The average cost fell to 1.2%; card transfers rose to a third of the total.",
            "Средняя стоимость снизилась до 1,2%; на карточные переводы приходится треть объёма.",
        ),
        lessons=(
            "Recipients in villages need cash points before cards help them.",
            "Получателям в сёлах нужны пункты выдачи наличных, иначе карты им не помогут.",
        ),
        members_only=True,
    ),
    DemoCase(
        slug="kg-gender-responsive-migration-law",
        countries=("KG",),
        topics=("gender", "legislation-policy"),
        status="pilot",
        years=(2023, None),
        title=(
            "Gender review of migration legislation",
            "Гендерная экспертиза миграционного законодательства",
        ),
        summary=(
            "Every draft on migration is checked for its effect on women migrants and families.",
            "Каждый законопроект о миграции проверяется на последствия для женщин-мигрантов и "
            "семей.",
        ),
        problem=(
            "Women migrants faced barriers the laws did not foresee.",
            "Женщины-мигранты сталкивались с препятствиями, которых законы не предусматривали.",
        ),
        measure=(
            "A checklist and a review group of ministries and NGOs for each draft.",
            "Контрольный перечень вопросов и рабочая группа министерств и НКО для каждого проекта.",
        ),
        results=(
            "Five drafts reviewed in the first year; three amended.",
            "За первый год проверено пять проектов; в три внесены изменения.",
        ),
        lessons=(
            "The review must come early, before the draft is agreed between ministries.",
            "Экспертиза нужна на раннем этапе, до межведомственного согласования.",
        ),
    ),
    DemoCase(
        slug="uz-pre-departure-language",
        countries=("UZ",),
        topics=("pre-departure",),
        status="in_force",
        years=(2019, None),
        title=(
            "Language and skills courses before departure",
            "Курсы языка и профессии перед выездом",
        ),
        summary=(
            "Monocentres teach languages and trades demanded by employers abroad.",
            "Моноцентры обучают языкам и профессиям, востребованным у зарубежных работодателей.",
        ),
        problem=(
            "Unskilled migrants earned least and were most exposed to abuse.",
            "Неквалифицированные мигранты зарабатывали меньше всех и чаще страдали от "
            "злоупотреблений.",
        ),
        measure=(
            "Courses of one to three months, with certificates recognised by partner employers.",
            "Курсы от одного до трёх месяцев с сертификатами, признаваемыми "
            "работодателями-партнёрами.",
        ),
        results=(
            "45,000 people trained in 2023; graduates' wages were 25% higher.",
            "В 2023 году обучено 45 000 человек; зарплата выпускников выше на 25%.",
        ),
        lessons=(
            "Employers must take part in setting the curriculum.",
            "Работодатели должны участвовать в составлении программы.",
        ),
    ),
    DemoCase(
        slug="am-diaspora-investment-forum",
        countries=("AM",),
        topics=("diaspora",),
        status="in_force",
        years=(2020, None),
        title=(
            "A single window for diaspora investors",
            "Единое окно для инвесторов из диаспоры",
        ),
        summary=(
            "One office guides diaspora members through investing and settling in the country.",
            "Одно ведомство сопровождает представителей диаспоры при инвестировании и переезде.",
        ),
        problem=(
            "Diaspora investors gave up after dealing with many agencies.",
            "Инвесторы из диаспоры отказывались от планов, столкнувшись с множеством ведомств.",
        ),
        measure=(
            "A case manager per investor and agreed deadlines for every permit.",
            "Отдельный куратор для каждого инвестора и согласованные сроки по каждому разрешению.",
        ),
        results=(
            "210 projects supported; average time to start fell from 9 to 4 months.",
            "Поддержано 210 проектов; средний срок запуска сократился с 9 до 4 месяцев.",
        ),
        lessons=(
            "The office needs the authority to chase other agencies.",
            "У такого ведомства должны быть полномочия добиваться ответа от других органов.",
        ),
        members_only=True,
    ),
    DemoCase(
        slug="md-data-exchange-border",
        countries=("MD",),
        topics=("migration-data", "border-management"),
        status="in_force",
        years=(2014, None),
        title=(
            "Measuring emigration from border crossings",
            "Оценка эмиграции по данным пересечения границы",
        ),
        summary=(
            "Statistics count emigrants from anonymised border records instead of the census.",
            "Статистика учитывает эмигрантов по обезличенным данным о пересечении границы, "
            "а не по переписи.",
        ),
        problem=(
            "The census missed people abroad and the population figure was overstated.",
            "Перепись не учитывала находящихся за рубежом, и численность населения была завышена.",
        ),
        measure=(
            "People absent more than 12 of the last 16 months count as emigrants.",
            "Отсутствующие более 12 из последних 16 месяцев учитываются как эмигранты.",
        ),
        results=(
            "The resident population was revised down by about 15%.",
            "Оценка постоянного населения снижена примерно на 15%.",
        ),
        lessons=(
            "Needs a data protection agreement between the border police and statistics.",
            "Нужно соглашение о защите данных между пограничной полицией и статистикой.",
        ),
        contacts=("MD",),
    ),
    DemoCase(
        slug="kz-integration-courses",
        countries=("KZ",),
        topics=("integration",),
        status="pilot",
        years=(2022, None),
        title=("Adaptation centres for newcomers", "Центры адаптации для прибывающих"),
        summary=(
            "Centres help returning ethnic Kazakhs and their families settle in.",
            "Центры помогают вернувшимся этническим казахам и их семьям обустроиться.",
        ),
        problem=(
            "Newcomers struggled with documents, schooling and jobs.",
            "Прибывающие с трудом оформляли документы, устраивали детей в школу и искали работу.",
        ),
        measure=(
            "Courses in language and law, help with documents and job placement.",
            "Курсы языка и права, помощь с документами и трудоустройством.",
        ),
        results=(
            "6,000 people served in two regions in 2023.",
            "В 2023 году в двух регионах помощь получили 6 000 человек.",
        ),
        lessons=(
            "Regions receiving most newcomers should open centres first.",
            "Открывать центры нужно прежде всего в регионах, куда прибывает больше всего людей.",
        ),
    ),
    DemoCase(
        slug="ru-integration-language-tests",
        countries=("RU",),
        topics=("integration", "legislation-policy"),
        status="in_force",
        years=(2015, None),
        title=(
            "Language, history and law tests for migrants",
            "Экзамен по языку, истории и основам законодательства для мигрантов",
        ),
        summary=(
            "Migrants pass a test before receiving a patent or a residence permit.",
            "Мигранты сдают экзамен до получения патента или вида на жительство.",
        ),
        problem=(
            "Migrants without basic language skills were isolated and easily exploited.",
            "Мигранты, не владеющие языком, оставались в изоляции и становились жертвами "
            "эксплуатации.",
        ),
        measure=(
            "Accredited test centres; preparation courses offered in countries of origin.",
            "Аккредитованные центры тестирования; подготовительные курсы в странах происхождения.",
        ),
        results=(
            "About 1.5 million tests a year; pass rates above 80%.",
            "Около 1,5 млн экзаменов в год; сдают более 80%.",
        ),
        lessons=(
            "Preparation before departure keeps costs low for the migrant.",
            "Подготовка до выезда снижает расходы мигранта.",
        ),
    ),
    DemoCase(
        slug="tj-reintegration-returnees",
        countries=("TJ",),
        topics=("return-reintegration",),
        status="pilot",
        years=(2021, 2024),
        title=(
            "Reintegration support for migrants with re-entry bans",
            "Поддержка реинтеграции мигрантов с запретом на въезд",
        ),
        summary=(
            "Counselling, training and small grants for those barred from re-entering.",
            "Консультации, обучение и небольшие гранты для тех, кому закрыт повторный въезд.",
        ),
        problem=(
            "Tens of thousands returned with re-entry bans and no income.",
            "Десятки тысяч человек вернулись с запретом на въезд и без средств к существованию.",
        ),
        measure=(
            "Legal advice on lifting bans, vocational training and grants in four districts.",
            "Юридическая помощь в снятии запретов, профобучение и гранты в четырёх районах.",
        ),
        results=(
            "2,400 people advised; 900 bans lifted; 350 small businesses started.",
            "Консультации получили 2 400 человек; снято 900 запретов; открыто 350 малых "
            "предприятий.",
        ),
        lessons=(
            "Legal advice on bans is the entry point that brings people in.",
            "Именно юридическая помощь по запретам привлекает людей в программу.",
        ),
        members_only=True,
    ),
    DemoCase(
        slug="uz-migrant-bank-accounts",
        countries=("UZ",),
        topics=("remittances",),
        status="in_force",
        years=(2021, None),
        title=(
            "Bank accounts opened remotely for migrants",
            "Дистанционное открытие банковских счетов мигрантам",
        ),
        summary=(
            "Migrants open accounts at home banks from abroad through a mobile app.",
            "Мигранты открывают счета в банках на родине из-за рубежа через мобильное приложение.",
        ),
        problem=(
            "Families received remittances in cash and had no savings.",
            "Семьи получали переводы наличными и не имели сбережений.",
        ),
        measure=(
            "Remote identification with the biometric passport; deposits with a bonus rate.",
            "Дистанционная идентификация по биометрическому паспорту; вклады с повышенной ставкой.",
        ),
        results=(
            "600,000 accounts opened; a fifth of remittances now go to accounts.",
            "Открыто 600 000 счетов; пятая часть переводов поступает на счета.",
        ),
        lessons=(
            "Trust in banks grows when the first transfers are free.",
            "Доверие к банкам растёт, если первые переводы бесплатны.",
        ),
    ),
    DemoCase(
        slug="md-border-e-gates",
        countries=("MD",),
        topics=("border-management",),
        status="in_force",
        years=(2019, None),
        title=("Automated border gates", "Автоматизированные пограничные пропуска"),
        summary=(
            "E-gates at the main airport speed up checks of biometric passports.",
            "Электронные пропуска в главном аэропорту ускоряют проверку биометрических паспортов.",
        ),
        problem=(
            "Queues at the border in the travel season of seasonal workers.",
            "Очереди на границе в сезон поездок сезонных работников.",
        ),
        measure=(
            "Eight e-gates with face matching; officers handle exceptions only.",
            "Восемь электронных пропусков со сверкой лица; сотрудники занимаются только "
            "исключениями.",
        ),
        results=(
            "Average waiting time fell from 25 to 7 minutes.",
            "Среднее время ожидания сократилось с 25 до 7 минут.",
        ),
        lessons=(
            "Data protection and fallbacks must be ready before launch.",
            "Защиту данных и резервный порядок нужно подготовить до запуска.",
        ),
    ),
    DemoCase(
        slug="by-labour-mobility-agreements",
        countries=("BY", "RU"),
        topics=("labour-migration", "legislation-policy"),
        status="in_force",
        years=(2015, None),
        title=(
            "Equal labour rights in the common market",
            "Равные трудовые права на общем рынке труда",
        ),
        summary=(
            "Workers from member states work without permits and with equal social rights.",
            "Работники из государств-членов трудятся без разрешений и с равными социальными "
            "правами.",
        ),
        problem=(
            "Permits and unequal rights kept workers in informal jobs.",
            "Разрешения и неравные права удерживали работников в неформальной занятости.",
        ),
        measure=(
            "Treaty provisions on free movement of workers, diploma recognition and pensions.",
            "Положения договора о свободном передвижении работников, признании дипломов и пенсиях.",
        ),
        results=(
            "Formal employment of workers from member states grew steadily.",
            "Официальная занятость работников из государств-членов устойчиво растёт.",
        ),
        lessons=(
            "Pension portability took longest to agree; start it early.",
            "Дольше всего согласовывали перенос пенсионных прав; начинать нужно заранее.",
        ),
    ),
    DemoCase(
        slug="kg-migrant-hotline",
        countries=("KG",),
        topics=("labour-migration",),
        status="in_force",
        years=(2017, None),
        title=("A 24-hour hotline for migrants", "Круглосуточная горячая линия для мигрантов"),
        summary=(
            "Migrants and families get advice by phone and messengers in three languages.",
            "Мигранты и их семьи получают консультации по телефону и в мессенджерах на трёх "
            "языках.",
        ),
        problem=(
            "Migrants in trouble did not know whom to call.",
            "Попавшие в беду мигранты не знали, куда звонить.",
        ),
        measure=(
            "A hotline with lawyers, linked with consulates and NGOs abroad.",
            "Горячая линия с юристами, связанная с консульствами и НКО за рубежом.",
        ),
        results=(
            "48,000 calls in 2023; 70% resolved without a visit.",
            "48 000 обращений в 2023 году; 70% решены без личного визита.",
        ),
        lessons=(
            "Messenger channels reach young migrants better than phone lines.",
            "Мессенджеры доходят до молодых мигрантов лучше телефона.",
        ),
    ),
    DemoCase(
        slug="am-migration-profile",
        countries=("AM",),
        topics=("migration-data",),
        status="in_force",
        years=(2016, None),
        title=("An extended migration profile", "Расширенный миграционный профиль"),
        summary=(
            "A yearly report brings together migration data from all agencies.",
            "Ежегодный доклад объединяет миграционные данные всех ведомств.",
        ),
        problem=(
            "Each agency kept its own figures and they did not agree.",
            "Каждое ведомство вело свои данные, и они не совпадали.",
        ),
        measure=(
            "An interagency working group agrees definitions and publishes one profile.",
            "Межведомственная рабочая группа согласует определения и публикует единый профиль.",
        ),
        results=(
            "Seven editions; the profile is used for the national migration strategy.",
            "Вышло семь выпусков; профиль используется при подготовке национальной миграционной "
            "стратегии.",
        ),
        lessons=(
            "Agreeing definitions took a year; it was worth it.",
            "Согласование определений заняло год, но оно того стоило.",
        ),
    ),
    DemoCase(
        slug="ua-digital-consular",
        countries=("UA",),
        topics=("diaspora", "migration-data"),
        status="in_force",
        years=(2022, None),
        title=(
            "Consular services in a mobile app",
            "Консульские услуги в мобильном приложении",
        ),
        summary=(
            "Citizens abroad register and request documents through an app.",
            "Граждане за рубежом встают на учёт и заказывают документы через приложение.",
        ),
        problem=(
            "Millions abroad could not reach overloaded consulates.",
            "Миллионы людей за рубежом не могли попасть в перегруженные консульства.",
        ),
        measure=(
            "Online consular registration, document requests and appointments.",
            "Онлайн-постановка на консульский учёт, заказ документов и запись на приём.",
        ),
        results=(
            "1.2 million users; waiting times for appointments halved.",
            "1,2 млн пользователей; сроки ожидания приёма сократились вдвое.",
        ),
        lessons=(
            "Identification at a distance is the hard part; plan it first.",
            "Сложнее всего дистанционная идентификация; с неё и нужно начинать.",
        ),
    ),
    DemoCase(
        slug="kz-quota-by-skills",
        countries=("KZ",),
        topics=("labour-migration", "legislation-policy"),
        status="ended",
        years=(2014, 2019),
        title=("Quotas by skill level", "Квоты по уровню квалификации"),
        summary=(
            "Foreign worker quotas were set separately for four skill levels.",
            "Квоты на иностранную рабочую силу устанавливались отдельно по четырём уровням "
            "квалификации.",
        ),
        problem=(
            "One quota could not match demand for skilled and unskilled workers.",
            "Единая квота не отвечала спросу на квалифицированных и неквалифицированных "
            "работников.",
        ),
        measure=(
            "Yearly quotas per skill category, based on employers' requests.",
            "Ежегодные квоты по категориям на основе заявок работодателей.",
        ),
        results=(
            "Replaced in 2019 by a simpler permit system; lessons fed the new law.",
            "В 2019 году заменены более простой системой разрешений; опыт учтён в новом законе.",
        ),
        lessons=(
            "Categories must be few and clear or employers game them.",
            "Категорий должно быть мало, и они должны быть понятны, иначе работодатели "
            "злоупотребляют ими.",
        ),
    ),
    DemoCase(
        slug="tj-gender-women-left-behind",
        countries=("TJ",),
        topics=("gender",),
        status="pilot",
        years=(2022, None),
        title=(
            "Support for women in migrants' households",
            "Поддержка женщин в семьях мигрантов",
        ),
        summary=(
            "Legal aid and income projects for women whose husbands work abroad.",
            "Юридическая помощь и проекты по доходу для женщин, чьи мужья работают за рубежом.",
        ),
        problem=(
            "Women left behind were often without income or legal protection.",
            "Оставшиеся дома женщины часто не имели дохода и правовой защиты.",
        ),
        measure=(
            "Community groups, legal clinics and small grants in two regions.",
            "Группы взаимопомощи, юридические консультации и небольшие гранты в двух регионах.",
        ),
        results=(
            "1,100 women advised; 260 income projects started.",
            "Консультации получили 1 100 женщин; запущено 260 проектов по получению дохода.",
        ),
        lessons=(
            "Local women leaders made the groups work.",
            "Успех групп обеспечили местные женщины-лидеры.",
        ),
    ),
    DemoCase(
        slug="uz-bilateral-recruitment-korea",
        countries=("UZ",),
        topics=("organised-recruitment",),
        status="in_force",
        years=(2008, None),
        title=(
            "Government-to-government recruitment for seasonal work",
            "Межгосударственный набор на сезонную работу",
        ),
        summary=(
            "Workers are selected through an open exam and placed by a partner government.",
            "Работники отбираются на открытом экзамене и трудоустраиваются через "
            "государство-партнёр.",
        ),
        problem=(
            "Brokers sold places abroad for large sums.",
            "Посредники продавали места за рубежом за крупные суммы.",
        ),
        measure=(
            "Language exam, lottery among those who pass, contracts checked by both states.",
            "Языковой экзамен, жеребьёвка среди сдавших, договоры проверяют оба государства.",
        ),
        results=(
            "About 10,000 workers a year at no fee to them.",
            "Около 10 000 работников в год без платы с их стороны.",
        ),
        lessons=(
            "Transparent selection is what removes brokers.",
            "Посредников вытесняет прозрачный отбор.",
        ),
    ),
    DemoCase(
        slug="am-organised-recruitment-seasonal",
        countries=("AM",),
        topics=("organised-recruitment", "labour-migration"),
        status="pilot",
        years=(2023, None),
        title=(
            "Seasonal agricultural work through licensed agencies",
            "Сезонные сельскохозяйственные работы через лицензированные агентства",
        ),
        summary=(
            "Only licensed agencies may recruit for seasonal farm work abroad.",
            "Набирать на сезонные сельхозработы за рубежом могут только лицензированные агентства.",
        ),
        problem=(
            "Seasonal workers paid unlicensed recruiters and were left unpaid.",
            "Сезонные работники платили нелицензированным посредникам и оставались без оплаты.",
        ),
        measure=(
            "Licensing, a public register of agencies and a ban on fees from workers.",
            "Лицензирование, открытый реестр агентств и запрет на взимание платы с работников.",
        ),
        results=(
            "24 agencies licensed; 1,600 workers placed in the first season.",
            "Лицензию получили 24 агентства; в первый сезон трудоустроено 1 600 человек.",
        ),
        lessons=(
            "The register must be easy to search from a phone.",
            "Реестр должен быть удобен для поиска с телефона.",
        ),
    ),
    DemoCase(
        slug="kg-remittance-data-survey",
        countries=("KG",),
        topics=("migration-data", "remittances"),
        status="idea",
        years=(None, None),
        title=(
            "A regular survey of migrant households",
            "Регулярное обследование домохозяйств мигрантов",
        ),
        summary=(
            "A proposed survey to learn how remittances are spent and saved.",
            "Предлагаемое обследование того, как тратятся и сберегаются переводы.",
        ),
        problem=(
            "Policy on remittances lacks data on their use.",
            "Политике в области переводов не хватает данных об их использовании.",
        ),
        measure=(
            "A module added every two years to the labour force survey.",
            "Модуль, добавляемый раз в два года к обследованию рабочей силы.",
        ),
        results=("Not yet implemented.", "Пока не реализовано."),
        lessons=(
            "Colleagues from Belarus and Moldova have done similar modules.",
            "Коллеги из Беларуси и Молдовы уже вводили подобные модули.",
        ),
    ),
    DemoCase(
        slug="md-diaspora-engagement-hubs",
        countries=("MD", "UA"),
        topics=("diaspora",),
        status="in_force",
        years=(2019, None),
        title=("Diaspora engagement hubs", "Центры взаимодействия с диаспорой"),
        summary=(
            "Hometown associations co-finance local projects with their municipalities.",
            "Землячества софинансируют местные проекты вместе со своими муниципалитетами.",
        ),
        problem=(
            "Emigrants wanted to help their home towns but lacked a channel.",
            "Эмигранты хотели помогать родным местам, но не было механизма.",
        ),
        measure=(
            "Municipal hubs, a matching fund and online reporting on each project.",
            "Муниципальные центры, фонд софинансирования и онлайн-отчёт по каждому проекту.",
        ),
        results=(
            "130 local projects (schools, water, roads) co-financed.",
            "Софинансировано 130 местных проектов (школы, водопровод, дороги).",
        ),
        lessons=(
            "Public reporting on every spent leu keeps donors giving.",
            "Открытый отчёт о каждой потраченной сумме сохраняет доверие жертвователей.",
        ),
    ),
    DemoCase(
        slug="ru-border-data-sharing",
        countries=("RU", "KZ"),
        topics=("border-management", "migration-data"),
        status="in_force",
        years=(2018, None),
        title=(
            "Exchange of entry and exit data between neighbours",
            "Обмен данными о въезде и выезде между соседними странами",
        ),
        summary=(
            "The two border services exchange crossing records to count stays accurately.",
            "Пограничные службы двух стран обмениваются сведениями о пересечениях для точного "
            "учёта сроков пребывания.",
        ),
        problem=(
            "Land crossings without stamps made stays impossible to count.",
            "Пересечения сухопутной границы без отметок не позволяли учитывать сроки пребывания.",
        ),
        measure=(
            "An agreement and an automated daily exchange of crossing records.",
            "Соглашение и автоматический ежедневный обмен сведениями о пересечениях.",
        ),
        results=(
            "Overstay estimates became reliable; fewer wrongful fines.",
            "Оценки превышения сроков стали надёжными; ошибочных штрафов стало меньше.",
        ),
        lessons=(
            "Agree matching rules for names in Cyrillic and Latin before starting.",
            "Правила сопоставления имён на кириллице и латинице нужно согласовать заранее.",
        ),
    ),
]
