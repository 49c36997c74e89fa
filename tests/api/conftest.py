import pytest

from tests.api.hooks_server import LOOPBACK
from tests.factories.api import key_header, partner_key


@pytest.fixture
def partner_raw(db):
    return partner_key()[1]


@pytest.fixture
def partner_headers(partner_raw):
    return key_header(partner_raw)


@pytest.fixture
def allow_loopback(settings):
    """Let outbound requests reach the test receiver on 127.0.0.1, as OUTBOUND_ALLOWED_NETWORKS
    does for a rehearsal on a private network."""
    settings.OUTBOUND_ALLOWED_NETWORKS = [LOOPBACK]
    return settings
