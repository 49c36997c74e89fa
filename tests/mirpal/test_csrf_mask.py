import collections

from django.middleware import csrf

from mirpal.csrf_mask import mask_cipher_secret


def test_django_reads_the_masked_token_and_every_mask_is_new():
    secret = csrf._get_new_csrf_string()
    tokens = {mask_cipher_secret(secret) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == csrf.CSRF_TOKEN_LENGTH
        assert set(token) <= set(csrf.CSRF_ALLOWED_CHARS)
        assert csrf._unmask_cipher_token(token) == secret


def test_get_token_uses_it():
    assert csrf._mask_cipher_secret is mask_cipher_secret


def test_mask_characters_are_spread_over_the_whole_alphabet():
    secret = csrf._get_new_csrf_string()
    counts = collections.Counter(
        char for _ in range(2000) for char in mask_cipher_secret(secret)[: csrf.CSRF_SECRET_LENGTH]
    )
    # 64,000 draws over 62 characters: about 1,032 each; a skew of a fifth would be a bias.
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    assert min(counts.values()) > 800
    assert max(counts.values()) < 1300
