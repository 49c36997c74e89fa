"""The demo network's discussions, written out: what migration officials of the nine countries
ask each other, and what their colleagues answer (demo.exchange loads them).

An author is a country code ("TJ": a demo member from Tajikistan; "TJ:1" another one from
there), or one of the demo accounts ("@member", "@secretariat").
"""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    author: str
    language: str
    body: str
    hours: float  # after the answer it replies to


@dataclass(frozen=True)
class Answer:
    author: str
    language: str
    body: str
    hours: float  # after the thread was opened
    replies: tuple[Reply, ...] = ()
    helpful: int = 0  # "this helped me" marks from other members


@dataclass(frozen=True)
class DemoThread:
    key: str
    language: str
    kind: str
    author: str
    title: str
    body: str
    topics: tuple[str, ...]
    countries: tuple[str, ...]
    days_ago: int
    public: bool = False
    answers: tuple[Answer, ...] = ()
    accepted: int | None = None  # index of the answer that helped
    follows: tuple[str, ...] = field(default=())  # members who follow it besides its writers


THREADS = [
    DemoThread(
        key="pre-departure-russia",
        language="ru",
        kind="question",
        author="TJ",
        title="Как организовать предвыездную подготовку сезонных работников, выезжающих в Россию?",
        body=(
            "Коллеги, в этом году мы расширяем сеть центров предвыездной подготовки в "
            "Согдийской и Хатлонской областях. Сейчас курс длится один день и сводится к "
            "лекции о правилах пребывания.\n\n"
            "Хотели бы узнать:\n\n"
            "1. Сколько длится курс в ваших центрах и кто его ведёт?\n"
            "2. Включаете ли вы подготовку к экзамену по русскому языку, истории и основам "
            "законодательства?\n"
            "3. Как вы оцениваете, помог ли курс человеку после выезда?\n\n"
            "Будем благодарны за программы курсов и методические материалы."
        ),
        topics=("pre-departure", "labour-migration"),
        countries=("TJ", "RU"),
        days_ago=172,
        answers=(
            Answer(
                author="KG",
                language="ru",
                body=(
                    "У нас при Министерстве труда работают центры консультирования "
                    "мигрантов в Бишкеке, Оше и Джалал-Абаде. Базовый курс — три дня: права "
                    "и обязанности, трудовой договор, регистрация по месту пребывания, "
                    "безопасные денежные переводы и куда обращаться в беде. Ведут его "
                    "сотрудники службы занятости вместе с юристами НКО.\n\n"
                    "Самое полезное, по отзывам слушателей, — разбор реальных случаев "
                    "обмана при трудоустройстве."
                ),
                hours=20,
                replies=(
                    Reply(
                        author="TJ",
                        language="ru",
                        body=(
                            "Спасибо! Можно ли получить сценарий разбора случаев? Мы бы "
                            "адаптировали его для наших центров."
                        ),
                        hours=5,
                    ),
                    Reply(
                        author="KG",
                        language="ru",
                        body="Да, отправлю через секретариат на этой неделе.",
                        hours=26,
                    ),
                ),
                helpful=3,
            ),
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "В Узбекистане предвыездная подготовка идёт через Агентство по "
                    "внешней трудовой миграции. Курс длится от пяти до десяти дней в "
                    "зависимости от страны назначения, для России в него входит подготовка "
                    "к комплексному экзамену: русский язык, история и основы "
                    "законодательства.\n\n"
                    "Оцениваем по двум показателям: доля сдавших экзамен с первого раза и "
                    "обращения выпускников на горячую линию в первые полгода. Второй "
                    "показатель оказался честнее: после курса обращений о невыплате "
                    "зарплаты стало заметно меньше."
                ),
                hours=31,
                helpful=5,
            ),
            Answer(
                author="RU",
                language="ru",
                body=(
                    "Со стороны принимающей страны добавлю: чаще всего мигранты "
                    "ошибаются со сроками постановки на миграционный учёт и с оплатой "
                    "патента. Если в курсе будет памятка с датами и образцом чека, это "
                    "снимет большую часть нарушений."
                ),
                hours=54,
                helpful=2,
            ),
        ),
        accepted=1,
    ),
    DemoThread(
        key="remittance-cost-sources",
        language="en",
        kind="question",
        author="XX",
        title="Reliable data on remittance costs by corridor: which sources do you use?",
        body=(
            "I am preparing a regional brief on the cost of sending money from Russia and "
            "Kazakhstan to Central Asia. The SDG target is an average cost below 3 % of the "
            "amount sent, and the figures I find differ a lot between sources.\n\n"
            "Which sources do your ministries and central banks trust, and how often are "
            "they updated? Data by corridor and by channel (bank, money transfer operator, "
            "app) would be ideal."
        ),
        topics=("remittances", "migration-data"),
        countries=("RU", "KZ", "TJ", "KG", "UZ"),
        days_ago=160,
        public=True,
        answers=(
            Answer(
                author="RU",
                language="ru",
                body=(
                    "Банк России публикует трансграничные операции физических лиц по "
                    "странам, ежеквартально. Это объёмы, а не стоимость, но по ним видно, "
                    "какие коридоры важнее всего. По стоимости мы сами смотрим базу "
                    "Всемирного банка."
                ),
                hours=9,
                helpful=2,
            ),
            Answer(
                author="@member",
                language="en",
                body=(
                    "We use the World Bank's *Remittance Prices Worldwide* database: it "
                    "surveys the cost of sending 200 and 500 US dollars every quarter, by "
                    "corridor and by type of provider, so you can compare banks, operators "
                    "and digital services. Kazakhstan to Uzbekistan and Russia to Tajikistan "
                    "are both covered.\n\n"
                    "One caution: it records advertised prices, not what people pay on the "
                    "exchange rate margin, so our central bank adds a small survey of actual "
                    "transfers once a year."
                ),
                hours=14,
                helpful=6,
            ),
            Answer(
                author="MD",
                language="en",
                body=(
                    "For Moldova, the National Bank's quarterly data on transfers by "
                    "individuals and the household budget survey together give both sides: "
                    "what arrives and what households say it cost them. The two rarely agree, "
                    "which is itself a useful finding for a brief."
                ),
                hours=40,
                helpful=1,
            ),
        ),
        accepted=1,
        follows=("UZ", "TJ:1"),
    ),
    DemoThread(
        key="reintegration-in-practice",
        language="ru",
        kind="discussion",
        author="MD",
        title="Программы реинтеграции вернувшихся мигрантов: что работает на практике?",
        body=(
            "Предлагаю обменяться опытом. В Молдове много программ поддержки "
            "вернувшихся: гранты на открытие дела, консультации, признание навыков. "
            "Но до них доходит малая часть людей, а через два года многие снова уезжают.\n\n"
            "Что в ваших странах оказалось действенным, а от чего отказались?"
        ),
        topics=("return-reintegration",),
        countries=("MD", "AM", "UA"),
        days_ago=151,
        public=True,
        answers=(
            Answer(
                author="AM",
                language="ru",
                body=(
                    "У нас лучше всего работает единое окно: человек приходит в одну "
                    "службу занятости, и там же ему помогают с документами, поиском работы и "
                    "консультацией по бизнесу. Раньше было пять разных ведомств, и "
                    "вернувшиеся терялись уже на втором."
                ),
                hours=18,
                helpful=4,
            ),
            Answer(
                author="UA",
                language="ru",
                body=(
                    "Гранты без сопровождения не работают: половина бизнесов закрывается "
                    "в первый год. Мы перешли к меньшим суммам, но с наставником на год. "
                    "Выживаемость выросла почти вдвое."
                ),
                hours=47,
                replies=(
                    Reply(
                        author="MD",
                        language="ru",
                        body=(
                            "{@UA}, наставники у вас волонтёры или вы им платите? Мы "
                            "упираемся именно в это."
                        ),
                        hours=3,
                    ),
                    Reply(
                        author="UA",
                        language="ru",
                        body=(
                            "Платим, но немного: в основном это местные "
                            "предприниматели, для которых это ещё и репутация."
                        ),
                        hours=20,
                    ),
                ),
                helpful=3,
            ),
            Answer(
                author="XX",
                language="en",
                body=(
                    "IOM's evaluations across the region point the same way: reintegration "
                    "support lasts when it is economic, social and psychosocial at once, "
                    "and when the local authority, not only a project, owns the case. "
                    "Happy to share the evaluation framework if useful."
                ),
                hours=70,
                helpful=2,
            ),
        ),
    ),
    DemoThread(
        key="eps-korea-selection",
        language="ru",
        kind="question",
        author="KG",
        title="Оргнабор в Республику Корея по программе EPS: как вы отбираете кандидатов?",
        body=(
            "Квота по программе EPS на следующий год выросла, а заявлений у нас "
            "втрое больше мест. Как устроен отбор в других странах-участницах? "
            "Интересуют языковой тест, проверка навыков и то, как вы избегаете "
            "посредников, которые берут деньги за «гарантированное» место."
        ),
        topics=("organised-recruitment", "labour-migration"),
        countries=("KG", "UZ"),
        days_ago=140,
        answers=(
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "Отбор у нас в два этапа: тест по корейскому языку EPS-TOPIK и "
                    "проверка профессиональных навыков. Списки допущенных и прошедших "
                    "публикуются на сайте агентства, каждый кандидат видит свой статус "
                    "по номеру заявления.\n\n"
                    "Против посредников лучше всего помогла именно публичность: когда "
                    "человек сам видит, что место нельзя купить, он не платит."
                ),
                hours=26,
                helpful=5,
            ),
            Answer(
                author="KG:1",
                language="ru",
                body=(
                    "Добавлю из нашей практики: мы проводим бесплатные курсы корейского "
                    "языка в регионах, иначе тест проходят почти только жители Бишкека."
                ),
                hours=50,
                helpful=2,
            ),
        ),
        accepted=0,
        follows=("@member",),
    ),
    DemoThread(
        key="diaspora-matching-funds",
        language="en",
        kind="question",
        author="AM",
        title="Engaging the diaspora in local development: do matching funds work?",
        body=(
            "Our diaspora office is considering a scheme in which every dram a diaspora "
            "association invests in a village project is matched by the state. Before we "
            "draft it: has anyone run such a scheme for several years? What went wrong, and "
            "how did you keep the administration light enough for small associations?"
        ),
        topics=("diaspora",),
        countries=("AM", "MD"),
        days_ago=131,
        answers=(
            Answer(
                author="MD",
                language="ru",
                body=(
                    "В Молдове такая программа работает много лет — «PARE 1+1»: на каждый "
                    "лей, вложенный мигрантом или его семьёй в собственное дело, государство "
                    "добавляет ещё один. Главный урок — простая заявка и обучение до подачи "
                    "документов: без обучения большинство проектов не проходило отбор.\n\n"
                    "Для сёл у нас отдельная программа при Бюро по связям с диаспорой, "
                    "там соинвестором выступает местная власть."
                ),
                hours=22,
                helpful=6,
            ),
            Answer(
                author="XX",
                language="en",
                body=(
                    "From the comparative side: matching schemes work where the diaspora "
                    "already trusts the local authority. Mexico's 3x1 programme is the best "
                    "known example, and its evaluations warn that projects drift to the "
                    "best-organised communities, not the poorest. A cap per association helps."
                ),
                hours=36,
                helpful=3,
            ),
            Answer(
                author="AM:1",
                language="en",
                body=(
                    "Adding to this from Yerevan: our iGorts fellowship brought diaspora "
                    "professionals into ministries for a year, and several of them later "
                    "became the link for such village projects. People first, money second."
                ),
                hours=60,
                helpful=2,
            ),
        ),
        accepted=0,
    ),
    DemoThread(
        key="labour-market-information",
        language="ru",
        kind="question",
        author="UZ",
        title="Информация о рынке труда стран назначения: откуда вы берёте вакансии для мигрантов?",
        body=(
            "Мы готовим для выезжающих справочник о спросе на профессии в России и "
            "Казахстане. Какими открытыми источниками вакансий и прогнозами спроса вы "
            "пользуетесь? Есть ли у кого-то соглашение с работодателями о прямой передаче "
            "заявок?"
        ),
        topics=("labour-migration", "migration-data"),
        countries=("UZ", "KZ", "RU"),
        days_ago=122,
        answers=(
            Answer(
                author="@member",
                language="ru",
                body=(
                    "В Казахстане все вакансии работодатели размещают на электронной бирже "
                    "труда Enbek.kz, там можно отобрать вакансии, открытые для иностранных "
                    "работников, по региону и профессии. Прогноз спроса министерство "
                    "публикует раз в год."
                ),
                hours=11,
                helpful=3,
            ),
            Answer(
                author="RU",
                language="ru",
                body=(
                    "В России — портал «Работа России», у него есть открытые данные с "
                    "вакансиями, их можно выгружать регулярно. Для прогноза смотрите "
                    "ежегодные решения о квотах и перечни профессий по регионам: там видно, "
                    "где действительно нужны работники.\n\n"
                    "Прямые заявки от работодателей у нас идут через организованный набор, "
                    "это отдельный порядок."
                ),
                hours=28,
                helpful=5,
            ),
        ),
        accepted=1,
    ),
    DemoThread(
        key="electronic-permits",
        language="ru",
        kind="discussion",
        author="BY",
        title="Учёт трудовых мигрантов: переход на электронные разрешения",
        body=(
            "В Беларуси готовится переход на полностью электронное оформление разрешений "
            "на работу. Кто уже прошёл этот путь — поделитесь, пожалуйста: что стало "
            "проще, какие возникли проблемы с сопоставлением данных разных ведомств и "
            "как вы обучали работодателей?"
        ),
        topics=("legislation-policy", "border-management"),
        countries=("BY", "RU", "KZ"),
        days_ago=113,
        answers=(
            Answer(
                author="KZ",
                language="ru",
                body=(
                    "У нас разрешения давно оформляются через портал электронного "
                    "правительства. Самая большая проблема первых лет — разные написания "
                    "имён в паспорте и в базах пограничной службы. Решили только единым "
                    "идентификатором, который присваивается при въезде."
                ),
                hours=30,
                helpful=2,
            ),
            Answer(
                author="RU:1",
                language="ru",
                body=(
                    "Работодателей учили через вебинары и короткие видеоинструкции, "
                    "это сработало лучше семинаров. И обязательно нужна горячая линия на "
                    "первые месяцы."
                ),
                hours=52,
                helpful=1,
            ),
        ),
    ),
    DemoThread(
        key="consular-crisis-hotline",
        language="en",
        kind="question",
        author="UA",
        title="Consular support for workers abroad in a crisis: hotline, chatbot, or both?",
        body=(
            "When a crisis hits a country where many of our citizens work, the consulates "
            "are flooded with calls within hours. We are choosing between extending the "
            "hotline and adding a chatbot that answers the common questions. What did you "
            "choose, and how did you keep the information in it up to date?"
        ),
        topics=("labour-migration", "legislation-policy"),
        countries=("UA", "MD"),
        days_ago=104,
        public=True,
        answers=(
            Answer(
                author="MD",
                language="en",
                body=(
                    "Both, but in that order: the chatbot answers the first questions "
                    "(documents, travel, who to call) and hands over to a person when it is "
                    "about safety. The content is owned by one desk at the ministry, which "
                    "updates it daily during a crisis."
                ),
                hours=16,
                helpful=3,
            ),
            Answer(
                author="TJ",
                language="ru",
                body=(
                    "У нас основная часть граждан за рубежом пользуется мессенджерами, "
                    "поэтому официальный канал посольства в мессенджере оказался быстрее "
                    "и горячей линии, и чат-бота. Главное — один канал, которому люди "
                    "доверяют."
                ),
                hours=44,
                helpful=2,
            ),
        ),
    ),
    DemoThread(
        key="eaeu-pensions",
        language="ru",
        kind="question",
        author="@member",
        title="Пенсионное обеспечение трудящихся ЕАЭС: как вы применяете соглашение 2019 года?",
        body=(
            "Соглашение о пенсионном обеспечении трудящихся государств — членов ЕАЭС "
            "действует с 2021 года. У нас возникают вопросы на практике: как "
            "подтверждается стаж, заработанный в другой стране Союза, и сколько занимает "
            "обмен формулярами между пенсионными органами?\n\n"
            "Поделитесь, пожалуйста, опытом: сроки, типичные ошибки, разъяснения для "
            "граждан."
        ),
        topics=("legislation-policy", "labour-migration"),
        countries=("KZ", "KG", "AM", "BY", "RU"),
        days_ago=96,
        answers=(
            Answer(
                author="KG",
                language="ru",
                body=(
                    "Стаж после 2021 года подтверждается по формулярам, которыми "
                    "обмениваются пенсионные органы. Обмен у нас занимает от одного до "
                    "трёх месяцев. Стаж до вступления соглашения в силу учитывается по "
                    "прежним двусторонним договорённостям — это главный источник путаницы."
                ),
                hours=13,
                helpful=3,
            ),
            Answer(
                author="BY",
                language="ru",
                body=(
                    "Мы подготовили для граждан памятку из одной страницы: какие "
                    "документы сохранять, куда подавать заявление и что пенсия назначается "
                    "каждой страной за свой стаж. Количество повторных обращений заметно "
                    "снизилось. Могу прислать макет.\n\n"
                    "Из типичных ошибок — работодатель не уплачивал взносы, и стаж "
                    "приходится подтверждать через суд."
                ),
                hours=25,
                replies=(
                    Reply(
                        author="@member",
                        language="ru",
                        body="Да, пришлите, пожалуйста, макет — это именно то, что нам нужно.",
                        hours=2,
                    ),
                ),
                helpful=4,
            ),
            Answer(
                author="AM",
                language="ru",
                body=(
                    "Подтверждаю сроки обмена: у нас в среднем два месяца. Ускорило "
                    "работу назначение одного ответственного сотрудника для связи с "
                    "каждым пенсионным органом-партнёром."
                ),
                hours=58,
                helpful=1,
            ),
        ),
        accepted=1,
    ),
    DemoThread(
        key="cutting-remittance-fees",
        language="ru",
        kind="question",
        author="TJ:1",
        title="Как снизить комиссии за денежные переводы мигрантов?",
        body=(
            "Для многих семей в Таджикистане переводы — основной доход, и каждый процент "
            "комиссии важен. Какие меры в ваших странах действительно снизили стоимость "
            "переводов: конкуренция операторов, переводы по номеру телефона, "
            "информирование мигрантов о тарифах?"
        ),
        topics=("remittances",),
        countries=("TJ", "RU"),
        days_ago=88,
        public=True,
        answers=(
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "У нас стоимость заметно снизилась после того, как переводы на карты "
                    "стали возможны напрямую из приложений банков, без посредника. "
                    "Но важнее комиссии оказался курс обмена: в нём спрятана основная "
                    "часть стоимости."
                ),
                hours=15,
                helpful=3,
            ),
            Answer(
                author="XX",
                language="en",
                body=(
                    "Price comparison works when it is simple and public: several central "
                    "banks publish a monthly table of the full cost of sending the same "
                    "amount through each provider, exchange margin included. Providers "
                    "compete once migrants can see the table."
                ),
                hours=33,
                helpful=2,
            ),
            Answer(
                author="RU",
                language="ru",
                body=(
                    "Со стороны отправляющей страны: информирование работает, если оно "
                    "там, где мигрант платит — в отделении, в приложении, в центре "
                    "оформления патентов. Брошюры на границе почти никто не читает."
                ),
                hours=61,
                helpful=1,
            ),
        ),
    ),
    DemoThread(
        key="gender-sensitive-orientation",
        language="en",
        kind="discussion",
        author="XX:1",
        title="Gender-sensitive pre-departure training: lessons from the region",
        body=(
            "More women from Central Asia now work abroad, in care, services and "
            "agriculture, and the risks they meet are not the same as men's. Which parts of "
            "your pre-departure courses did you change for them? Separate groups, women "
            "trainers, information on health and on reporting abuse?"
        ),
        topics=("gender", "pre-departure"),
        countries=("KG", "TJ", "UZ"),
        days_ago=80,
        public=True,
        answers=(
            Answer(
                author="KG",
                language="ru",
                body=(
                    "Мы ввели отдельные занятия для женщин с женщиной-тренером: о "
                    "трудовых правах, медицинской страховке и о том, куда обращаться при "
                    "насилии. Посещаемость выросла, вопросы стали откровеннее."
                ),
                hours=19,
                helpful=3,
            ),
            Answer(
                author="TJ:2",
                language="ru",
                body=(
                    "У нас важным оказалось участие семьи: многие женщины приходят на "
                    "курс только вместе с мужем или братом. Поэтому первая часть курса "
                    "общая, а вторая — только для женщин."
                ),
                hours=41,
                helpful=2,
            ),
        ),
    ),
    DemoThread(
        key="recognising-qualifications",
        language="ru",
        kind="question",
        author="AM",
        title="Признание квалификаций, полученных за рубежом: как оценить навыки вернувшихся?",
        body=(
            "Многие вернувшиеся работали за рубежом строителями, сварщиками, поварами, но "
            "документа о квалификации у них нет. Есть ли у вас система оценки и "
            "подтверждения навыков, полученных на практике? Кто проводит оценку и "
            "признают ли её работодатели?"
        ),
        topics=("return-reintegration", "integration"),
        countries=("AM", "RU", "MD"),
        days_ago=72,
        answers=(
            Answer(
                author="RU",
                language="ru",
                body=(
                    "В России действует независимая оценка квалификации: экзамен в центре "
                    "оценки квалификаций по профессиональному стандарту, свидетельство "
                    "вносится в реестр. Для рабочих профессий это в основном практическое "
                    "задание."
                ),
                hours=21,
                helpful=2,
            ),
            Answer(
                author="MD",
                language="ru",
                body=(
                    "В Молдове с помощью партнёров создали центры валидации неформального "
                    "обучения при колледжах. Вернувшийся проходит практическое испытание и "
                    "получает сертификат государственного образца. Работодатели признают, "
                    "потому что участвовали в разработке заданий.\n\n"
                    "Ключевое — участие отраслевых объединений работодателей с самого начала."
                ),
                hours=39,
                helpful=4,
            ),
        ),
        accepted=1,
    ),
    DemoThread(
        key="border-statistics-comparable",
        language="ru",
        kind="question",
        author="UA:1",
        title="Статистика трудовой миграции по данным пограничной службы: сопоставимы ли ряды?",
        body=(
            "Пограничная служба считает пересечения границы, а не людей, и цель поездки "
            "указывается не всегда. Пытался ли кто-то получить из этих данных оценку "
            "числа трудовых мигрантов и сопоставить её с обследованиями домохозяйств?"
        ),
        topics=("migration-data", "border-management"),
        countries=("UA", "MD"),
        days_ago=12,
    ),
    DemoThread(
        key="household-survey-sample",
        language="en",
        kind="question",
        author="MD:1",
        title="A household survey on migration: what sample size did you need?",
        body=(
            "We plan a national household survey with a migration module. For a country of "
            "about 2.5 million people, what sample did you use to get reliable figures by "
            "region for households with a member abroad? And did you ask about remittances "
            "in money or in ranges?"
        ),
        topics=("migration-data",),
        countries=("MD",),
        days_ago=64,
        answers=(
            Answer(
                author="AM",
                language="en",
                body=(
                    "Armenia's integrated living conditions survey runs with about 5,000 "
                    "households a year; with a migration module that gives figures for each "
                    "region only when two years are pooled. Ranges worked better than exact "
                    "amounts for remittances: fewer refusals."
                ),
                hours=25,
                helpful=2,
            ),
            Answer(
                author="XX",
                language="en",
                body=(
                    "Rule of thumb from several countries: if about one household in five "
                    "has a member abroad, 6,000 to 8,000 households give regional estimates "
                    "within ±3 points. Oversample the regions with most emigration and weight "
                    "back. Ask remittances in ranges first, then offer an exact amount.\n\n"
                    "The KNOMAD household survey guidelines have a ready questionnaire."
                ),
                hours=30,
                helpful=5,
            ),
        ),
        accepted=1,
        follows=("AM:1",),
    ),
    DemoThread(
        key="licensing-recruitment-agencies",
        language="ru",
        kind="question",
        author="UZ:1",
        title="Лицензирование частных агентств занятости: как защитить работников при оргнаборе?",
        body=(
            "Мы пересматриваем правила лицензирования частных агентств, направляющих "
            "граждан на работу за рубеж. Какие требования оказались действенными: "
            "залог, запрет брать плату с работника, чёрный список, проверка "
            "работодателя за рубежом?"
        ),
        topics=("organised-recruitment", "legislation-policy"),
        countries=("UZ", "KZ", "KG"),
        days_ago=56,
        answers=(
            Answer(
                author="KZ",
                language="ru",
                body=(
                    "У нас агентства обязаны вносить банковскую гарантию, из которой "
                    "возмещаются расходы работника, если работодатель не выполнил договор. "
                    "Это дисциплинирует лучше любых проверок."
                ),
                hours=17,
                helpful=3,
            ),
            Answer(
                author="XX",
                language="en",
                body=(
                    "The ILO's Private Employment Agencies Convention (No. 181) and its "
                    "General Principles for Fair Recruitment set the benchmark: no fees or "
                    "related costs charged to workers, a written contract in a language the "
                    "worker understands before departure, and a complaints route that works "
                    "from abroad. Countries that publish the list of licensed agencies and of "
                    "those struck off see fewer informal recruiters."
                ),
                hours=29,
                helpful=4,
            ),
            Answer(
                author="KG",
                language="ru",
                body=(
                    "Поддерживаю про публичный реестр. Мы ещё требуем, чтобы агентство "
                    "предоставляло копию подписанного договора на русском и киргизском "
                    "языках до выезда — это сняло много споров."
                ),
                hours=49,
                helpful=1,
            ),
        ),
        accepted=1,
    ),
    DemoThread(
        key="adaptation-centres",
        language="ru",
        kind="discussion",
        author="RU:1",
        title="Адаптация и интеграция мигрантов: роль НКО и центров адаптации",
        body=(
            "В нескольких регионах России работают центры адаптации мигрантов при "
            "НКО и национально-культурных автономиях. Предлагаю обсудить, как делить "
            "задачи между государством и некоммерческим сектором и как оценивать "
            "результаты таких центров."
        ),
        topics=("integration",),
        countries=("RU", "KZ", "BY"),
        days_ago=48,
        public=True,
        answers=(
            Answer(
                author="BY",
                language="ru",
                body=(
                    "У нас НКО лучше справляются с языковыми курсами и помощью семьям, а "
                    "государству остаются документы и контроль. Оцениваем простыми "
                    "показателями: сколько человек закончили курс и сколько детей "
                    "мигрантов пошли в школу."
                ),
                hours=27,
                helpful=2,
            ),
            Answer(
                author="KZ:1",
                language="ru",
                body=(
                    "Для кандасов в Казахстане центры адаптации работают при акиматах. "
                    "Опыт показывает: нужна стабильная финансовая поддержка, проектное "
                    "финансирование на год не позволяет удержать сотрудников."
                ),
                hours=55,
                helpful=1,
            ),
        ),
    ),
    DemoThread(
        key="digital-remittance-apps",
        language="en",
        kind="question",
        author="KG:2",
        title="Digital remittance apps: how do regulators check consumer protection?",
        body=(
            "New apps for sending money home appear every month. Our national bank wants "
            "to check how they disclose fees and exchange rates and how they handle "
            "complaints. Does anyone have a checklist or a supervisory approach for this?"
        ),
        topics=("remittances", "legislation-policy"),
        countries=("KG", "KZ", "UZ"),
        days_ago=41,
        answers=(
            Answer(
                author="KZ",
                language="ru",
                body=(
                    "Наше агентство по регулированию финансового рынка требует показывать "
                    "полную стоимость перевода до подтверждения операции, включая курс. "
                    "Проверяем методом «тайного покупателя»: раз в квартал сотрудники "
                    "сами отправляют переводы."
                ),
                hours=23,
                helpful=3,
            ),
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "Добавлю: жалобы по переводам мы принимаем через единое окно "
                    "центрального банка, а не у каждого оператора. Так видно, какие "
                    "приложения проблемные, и быстрее реагировать."
                ),
                hours=45,
                helpful=2,
            ),
        ),
    ),
    DemoThread(
        key="returnee-survey-questions",
        language="ru",
        kind="question",
        author="BY:1",
        title="Опрос вернувшихся мигрантов: какие вопросы включить в анкету?",
        body=(
            "Готовим первый опрос граждан, вернувшихся после работы за рубежом. "
            "Хотим понять, что им нужно для трудоустройства и открытия своего дела. "
            "Поделитесь, пожалуйста, анкетами или хотя бы разделами, которые оказались "
            "самыми полезными."
        ),
        topics=("return-reintegration", "migration-data"),
        countries=("BY", "UA", "MD"),
        days_ago=33,
        answers=(
            Answer(
                author="UA",
                language="ru",
                body=(
                    "Самые полезные разделы нашей анкеты:\n\n"
                    "- опыт работы за рубежом: профессия, стаж, полученные навыки;\n"
                    "- сбережения и планы их использования;\n"
                    "- намерение снова уехать и его причины;\n"
                    "- в какие ведомства человек обращался после возвращения и с каким "
                    "результатом.\n\n"
                    "Последний раздел сразу показал, где теряются люди."
                ),
                hours=14,
                helpful=4,
            ),
            Answer(
                author="MD",
                language="ru",
                body=(
                    "Рекомендую добавить вопросы о детях: ходили ли они в школу за "
                    "рубежом и как адаптировались после возвращения. Для нас это была "
                    "неожиданная, но очень важная тема."
                ),
                hours=36,
                helpful=2,
            ),
        ),
        accepted=0,
    ),
    DemoThread(
        key="border-data-sharing",
        language="en",
        kind="question",
        author="AM:2",
        title="Sharing border-crossing data with neighbours: is there a template agreement?",
        body=(
            "We would like to exchange anonymised border-crossing statistics with two "
            "neighbouring countries, to follow circular migration. Has anyone signed such "
            "an agreement, and which data protection clauses did your lawyers insist on?"
        ),
        topics=("border-management", "migration-data"),
        countries=("AM",),
        days_ago=5,
        public=True,
    ),
    DemoThread(
        key="foreign-labour-quota",
        language="ru",
        kind="question",
        author="KZ",
        title="Квота на привлечение иностранной рабочей силы: как вы её рассчитываете?",
        body=(
            "Каждый год мы спорим с отраслевыми министерствами о размере квоты. Какая "
            "методика расчёта у вас: заявки работодателей, прогноз баланса трудовых "
            "ресурсов, что-то ещё? Как учитываете сезонную потребность?"
        ),
        topics=("labour-migration", "legislation-policy"),
        countries=("KZ", "RU", "BY"),
        days_ago=26,
        answers=(
            Answer(
                author="RU",
                language="ru",
                body=(
                    "У нас основа — заявки работодателей, которые проходят через "
                    "межведомственные комиссии в регионах. Комиссия проверяет, нельзя "
                    "ли закрыть вакансии местными работниками. Сезонная потребность "
                    "заявляется отдельно, на срок работ."
                ),
                hours=12,
                helpful=3,
            ),
            Answer(
                author="BY",
                language="ru",
                body=(
                    "Мы отказались от общей квоты в пользу перечня востребованных "
                    "профессий: по ним разрешение выдаётся упрощённо, по остальным — "
                    "после проверки рынка труда."
                ),
                hours=30,
                helpful=2,
            ),
        ),
        accepted=0,
        follows=("@member",),
    ),
    DemoThread(
        key="women-in-labour-migration",
        language="ru",
        kind="discussion",
        author="TJ:2",
        title="Женщины в трудовой миграции: как учитывать их положение в программах?",
        body=(
            "Доля женщин среди трудовых мигрантов растёт, а наши программы по-прежнему "
            "рассчитаны на мужчин-строителей. Давайте соберём примеры программ и "
            "услуг, учитывающих положение женщин: от оформления документов до "
            "поддержки семей, оставшихся дома."
        ),
        topics=("gender", "labour-migration"),
        countries=("TJ", "KG", "UZ"),
        days_ago=19,
        answers=(
            Answer(
                author="KG:1",
                language="ru",
                body=(
                    "Мы начали с данных: разделили все показатели по полу, и оказалось, "
                    "что женщины чаще работают без договора. После этого появились "
                    "консультации юристов именно для домашних работниц."
                ),
                hours=16,
                helpful=2,
            ),
            Answer(
                author="XX:1",
                language="en",
                body=(
                    "UN Women and IOM have a short guide on gender-responsive migration "
                    "programmes with a checklist for each stage of the cycle. The part on "
                    "families left behind, and on children in particular, may be most useful "
                    "for Tajikistan."
                ),
                hours=38,
                helpful=3,
            ),
            Answer(
                author="UZ:1",
                language="ru",
                body=(
                    "В Узбекистане при махаллях работают помощницы хокимов по работе с "
                    "женщинами — через них мы доводим информацию о безопасном выезде до "
                    "семей мигрантов."
                ),
                hours=64,
                helpful=1,
            ),
        ),
    ),
    DemoThread(
        key="diaspora-mapping",
        language="en",
        kind="question",
        author="XX",
        title="Diaspora mapping: how did you reach communities abroad?",
        body=(
            "Several countries in the network have mapped their diasporas. I am advising a "
            "government that is about to start. How did you reach people who are not in "
            "any association: online surveys, consulates, social networks? And what "
            "response rates did you get?"
        ),
        topics=("diaspora", "migration-data"),
        countries=("AM", "MD", "UA", "TJ"),
        days_ago=15,
        answers=(
            Answer(
                author="AM",
                language="en",
                body=(
                    "We combined three channels: consulates, diaspora media and paid "
                    "targeting on social networks in the ten largest host countries. Social "
                    "networks brought most responses, but the consulates brought the older "
                    "people we would have missed. About 11,000 complete answers in four months."
                ),
                hours=10,
                helpful=4,
            ),
            Answer(
                author="TJ",
                language="ru",
                body=(
                    "У нас основная диаспора в России, поэтому лучше всего сработали "
                    "национально-культурные объединения и группы в мессенджерах. "
                    "Анкету обязательно делайте короткой — не дольше десяти минут."
                ),
                hours=27,
                helpful=2,
            ),
            Answer(
                author="MD:2",
                language="ru",
                body=(
                    "Важный урок: сразу объясните, зачем нужны данные и что вы с ними "
                    "сделаете. Люди боятся, что опрос связан с налогами."
                ),
                hours=47,
                helpful=2,
            ),
        ),
        accepted=0,
    ),
    DemoThread(
        key="mandatory-orientation",
        language="ru",
        kind="question",
        author="MD:2",
        title="Предвыездная подготовка: обязательный курс или добровольный?",
        body=(
            "У нас обсуждается предложение сделать курс предвыездной подготовки "
            "обязательным для всех, кто выезжает по двусторонним соглашениям. Есть ли у "
            "кого-то опыт обязательного курса? Не стал ли он формальностью?"
        ),
        topics=("pre-departure",),
        countries=("MD", "UZ", "KG"),
        days_ago=9,
        public=True,
        answers=(
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "Для выезжающих по оргнабору курс у нас обязателен, и да, риск "
                    "формальности есть. Помогает короткий итоговый тест и то, что часть "
                    "занятий ведут люди, сами работавшие в стране назначения."
                ),
                hours=8,
                helpful=2,
            ),
            Answer(
                author="KG:2",
                language="ru",
                body=(
                    "Мы оставили курс добровольным, но бесплатным и с сертификатом, "
                    "который учитывают работодатели-партнёры. Посещаемость выросла без "
                    "принуждения."
                ),
                hours=21,
                helpful=1,
            ),
        ),
    ),
    DemoThread(
        key="seasonal-agriculture-recruitment",
        language="en",
        kind="question",
        author="@member",
        title="Recruiting seasonal farm workers: a bilateral agreement or private agencies?",
        body=(
            "Farmers in southern Kazakhstan ask the ministry for several thousand seasonal "
            "workers for the harvest. We can either negotiate a government-to-government "
            "scheme or license private agencies to recruit. Which route did your countries "
            "take for seasonal work, and what would you do differently?"
        ),
        topics=("organised-recruitment", "labour-migration"),
        countries=("KZ", "UZ", "KG"),
        days_ago=3,
        public=True,
        answers=(
            Answer(
                author="UZ",
                language="ru",
                body=(
                    "Мы направляем сезонных работников по межправительственным "
                    "соглашениям: отбор проводит агентство, работодатель заранее "
                    "подтверждает жильё и зарплату. Это медленнее, но жалоб почти нет."
                ),
                hours=6,
                helpful=1,
            ),
            Answer(
                author="XX:1",
                language="en",
                body=(
                    "Schemes in the UK and elsewhere show the risk of private recruitment for "
                    "seasonal work: fees and debt at origin. If you license agencies, make the "
                    "employer pay all recruitment costs and check it at origin, not only at "
                    "destination."
                ),
                hours=15,
                helpful=2,
            ),
            Answer(
                author="KG",
                language="ru",
                body=(
                    "Готовы обсудить пилотный проект: у нас есть опыт отбора сезонных "
                    "работников для сельского хозяйства, и районные службы занятости могут "
                    "помочь с набором."
                ),
                hours=30,
            ),
        ),
        follows=("UZ", "KG"),
    ),
]

# Generated threads for the benchmark's scale: a stem in each language, about one country.
STEMS = [
    ("ru", "Опыт оргнабора: {country}"),
    ("ru", "Денежные переводы: тарифы и каналы, {country}"),
    ("ru", "Реинтеграция вернувшихся: {country}"),
    ("ru", "Статистика трудовой миграции: источники, {country}"),
    ("ru", "Предвыездная подготовка: программа курса, {country}"),
    ("en", "Diaspora engagement: what works in {country}"),
    ("en", "Labour market information for migrants: {country}"),
    ("en", "Seasonal work schemes: lessons from {country}"),
]
GENERATED_BODY = {
    "ru": (
        "Коллеги, собираем опыт стран сети по этой теме. Какие нормативные акты, программы "
        "и данные вы используете? Что оказалось действенным, а что пришлось изменить?"
    ),
    "en": (
        "Colleagues, we are collecting the network's experience on this. Which rules, "
        "programmes and data do you use? What worked, and what did you have to change?"
    ),
}
GENERATED_ANSWERS = {
    "ru": [
        "У нас это регулируется постановлением правительства; порядок пересматривали "
        "дважды за последние пять лет.",
        "Мы начали с пилотного проекта в двух регионах и только потом распространили его "
        "на всю страну.",
        "Главный урок — единое окно для граждан и один ответственный орган.",
        "Данные собирает служба занятости, отчёт публикуется раз в квартал.",
        "Могу прислать методические материалы через секретариат.",
    ],
    "en": [
        "In our case a government decree sets the procedure; it was revised twice in five years.",
        "We piloted it in two regions before taking it nationwide.",
        "The main lesson: one office for the citizen and one agency in charge.",
        "The employment service collects the data and publishes it every quarter.",
        "Happy to share our guidance notes through the secretariat.",
    ],
}
BIG_THREAD_TITLE = "Сезонный набор этого года: собираем опыт всех стран сети"
BIG_THREAD_BODY = (
    "Коллеги, опишите, пожалуйста, в этой ветке опыт сезонного набора этого года: "
    "сколько человек выехало, по каким соглашениям, какие были трудности. В конце сезона "
    "секретариат подготовит по ответам обзор для библиотеки."
)
