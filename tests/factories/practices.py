"""Good-practice cases, collections and country figures, as the services would leave them.

Factories arrange a test's world; what a test checks goes through the pages."""

import factory
from django.utils import timezone

from portal.models import CountryFigure
from practices.enums import CaseStatus, ItemKind, ReviewState, Visibility
from practices.models import Case, Collection, CollectionItem


class CaseFactory(factory.django.DjangoModelFactory):
    """A published, public case unless told otherwise."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"case-{n}")
    title_en = factory.Sequence(lambda n: f"Organised recruitment through public agencies ({n})")
    title_ru = factory.Sequence(lambda n: f"Оргнабор через государственные агентства ({n})")
    summary_en = "Workers go abroad through a public agency instead of private intermediaries."
    summary_ru = "Работники выезжают через государственное агентство, а не через посредников."
    problem_en = "Fraudulent private recruiters charged high fees."
    problem_ru = "Недобросовестные частные посредники брали высокую плату."
    measure_en = "A public agency signs agreements with employers abroad."
    measure_ru = "Государственное агентство заключает соглашения с работодателями за рубежом."
    results_en = "12,000 workers placed in 2023; fees fell by 60%."
    results_ru = "В 2023 году трудоустроено 12 000 работников; расходы снизились на 60%."
    results_source_en = "Ministry of Labour, annual report 2023"
    results_source_ru = "Министерство труда, годовой отчёт за 2023 год"
    countries = factory.LazyFunction(lambda: ["KG"])
    year_from = 2019
    status = CaseStatus.IN_FORCE
    visibility = Visibility.PUBLIC
    review_state = ReviewState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(case, create, extracted, **kwargs):
        if create and extracted:
            case.topics.set(extracted)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"collection-{n}")
    title_en = factory.Sequence(lambda n: f"Organised recruitment: a reading pack ({n})")
    title_ru = factory.Sequence(lambda n: f"Оргнабор: подборка материалов ({n})")
    introduction_en = "What the network knows about organised recruitment."
    introduction_ru = "Что известно сети об организованном наборе."
    visibility = Visibility.PUBLIC
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class CollectionItemFactory(factory.django.DjangoModelFactory):
    """A note unless given a target and its kind."""

    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ItemKind.NOTE
    note_en = "Start here."
    note_ru = "Начните отсюда."


class CountryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryFigure

    country = "KG"
    label_en = factory.Sequence(lambda n: f"Remittances, share of GDP ({n})")
    label_ru = factory.Sequence(lambda n: f"Денежные переводы, доля ВВП ({n})")
    value = "24.0%"
    year = 2024
    source_en = "World Bank"
    source_ru = "Всемирный банк"
