from tests.url_roles import Case, everyone


def cases(world):
    # A logo is served for a partner shown on the home page (tests/portal/test_home_cache.py);
    # an unknown one is not found, whoever asks.
    return [Case("supporter_logo", everyone(404), args=(0,))]
