import pytest

from tests.factories.api import key_header, partner_key


@pytest.fixture
def partner_raw(db):
    return partner_key()[1]


@pytest.fixture
def partner_headers(partner_raw):
    return key_header(partner_raw)
