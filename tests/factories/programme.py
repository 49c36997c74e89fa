"""Calls, proposals, supports, activities and polls, as the services would leave them.

Factories arrange a test's world; what a test checks goes through the pages."""

import datetime

import factory
from django.utils import timezone

from programme.enums import ActivityKind, ActivityStatus, ProposalState
from programme.models import Activity, Call, Comment, Poll, Proposal, Slot, Support
from tests.factories.members import ProfileFactory


def _member():
    return ProfileFactory().user


class CallFactory(factory.django.DjangoModelFactory):
    """A call open now, for next year."""

    class Meta:
        model = Call

    # Unique within a test; the cycle keeps the year within the call's plausible range however
    # many calls the whole suite makes.
    year = factory.Sequence(lambda n: timezone.now().year + 1 + n % 60)
    title_en = factory.LazyAttribute(lambda call: f"Work programme {call.year}: call for proposals")
    title_ru = factory.LazyAttribute(
        lambda call: f"Программа работы на {call.year} год: приём предложений"
    )
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    year = factory.LazyFunction(lambda: timezone.now().year + 1)
    quarter = 2
    kind = ActivityKind.VIDEO_CONFERENCE
    title_en = factory.Sequence(lambda n: f"Video conference on pre-departure orientation ({n})")
    title_ru = factory.Sequence(lambda n: f"Видеоконференция о подготовке к выезду ({n})")
    status = ActivityStatus.PLANNED
    countries = factory.LazyFunction(lambda: ["TJ", "UZ"])


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    author = factory.LazyFunction(_member)
    title = factory.Sequence(lambda n: f"Pre-departure orientation for seasonal workers ({n})")
    need = "Our ministry is drafting a pre-departure course and wants to learn from colleagues."
    why_now = "The new law takes effect next year."
    activity_kind = ActivityKind.VIDEO_CONFERENCE
    countries = factory.LazyFunction(lambda: ["TJ"])
    language = "en"
    state = ProposalState.SUBMITTED

    @factory.post_generation
    def topics(proposal, create, extracted, **kwargs):
        if create and extracted:
            proposal.topics.set(extracted)


class SupportFactory(factory.django.DjangoModelFactory):
    """Keeps the proposal's support_count as programme.services would."""

    class Meta:
        model = Support

    proposal = factory.SubFactory(ProposalFactory)
    call = factory.SelfAttribute("proposal.call")
    user = factory.LazyFunction(_member)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        support = super()._create(model_class, *args, **kwargs)
        Proposal.objects.filter(pk=support.proposal_id).update(
            support_count=Support.objects.filter(proposal_id=support.proposal_id).count()
        )
        return support


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.LazyFunction(_member)
    body = "We need this too: our law changes in March."


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll
        skip_postgeneration_save = True

    title_en = "Video conference on pre-departure orientation"
    title_ru = "Видеоконференция о подготовке к выезду"
    duration_minutes = 90

    @factory.post_generation
    def invitees(poll, create, extracted, **kwargs):
        if create and extracted:
            poll.invitees.set(extracted)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    poll = factory.SubFactory(PollFactory)
    starts_at = factory.Sequence(
        lambda n: (timezone.now() + datetime.timedelta(days=14 + n)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
