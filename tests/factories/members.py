import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from members.models import Profile, User
from mirpal.roles import SECRETARIAT_GROUP

PASSWORD = "correct-horse-battery-7"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    country = "KZ"
    city = "Алматы"
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    organisation_type = "government"
    position = "Specialist"
    languages = factory.LazyFunction(lambda: ["ru", "en"])
    mail_language = "en"
    time_zone = "Asia/Almaty"
    status = "approved"

    @factory.post_generation
    def interests(profile, create, extracted, **kwargs):
        if create and extracted:
            profile.interests.set(extracted)


class SecretariatFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def secretariat_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            ProfileFactory(user=user, status="approved", country="RU", time_zone="Europe/Moscow")
