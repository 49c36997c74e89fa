import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from members.models import Profile, User
from mirpal.roles import EDITOR_GROUP, MANAGER_GROUP, SECRETARIAT_GROUP

PASSWORD = "correct-horse-battery-7"
# Staff accounts must have a second factor before any secretariat page opens; the factories give
# them an authenticator app with this secret (tests/members/test_mfa.py drives the real flow).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def staff_second_factor(user):
    TOTP.activate(user, STAFF_TOTP_SECRET)


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
            staff_second_factor(user)
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            ProfileFactory(user=user, status="approved", country="RU", time_zone="Europe/Moscow")


class EditorFactory(UserFactory):
    """Staff with the content role only: events, library, roster, topics."""

    is_staff = True

    @factory.post_generation
    def editor_group(user, create, extracted, **kwargs):
        if create:
            staff_second_factor(user)
            user.groups.add(Group.objects.get(name=EDITOR_GROUP))
            ProfileFactory(user=user, status="approved", country="AM", time_zone="Asia/Yerevan")


class ManagerFactory(UserFactory):
    """Staff with the people-and-mail role only: members, mail, API keys, the audit log."""

    is_staff = True

    @factory.post_generation
    def manager_group(user, create, extracted, **kwargs):
        if create:
            staff_second_factor(user)
            user.groups.add(Group.objects.get(name=MANAGER_GROUP))
            ProfileFactory(user=user, status="approved", country="MD", time_zone="Europe/Chisinau")


class SuperuserFactory(UserFactory):
    """A superuser: the only account that grants staff status, groups or superuser status."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def second_factor(user, create, extracted, **kwargs):
        if create:
            staff_second_factor(user)
