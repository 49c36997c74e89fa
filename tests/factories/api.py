import factory

from mirpal.apikeys import api_key_create
from mirpal.enums import ApiScope
from mirpal.models import Partner

ALL_SCOPES = list(ApiScope.values)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    contact_email = factory.Sequence(lambda n: f"webmaster{n}@partner.example")
    allowed_origins = factory.LazyFunction(lambda: ["https://partner.example"])


def partner_key(*, scopes=None, partner=None) -> tuple:
    """(ApiKey, raw key) for a partner with these scopes (all by default)."""
    return api_key_create(
        name="Site",
        scopes=ALL_SCOPES if scopes is None else scopes,
        partner=partner or PartnerFactory(),
    )


def key_header(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
