"""allauth.mfa's pages in the role-by-URL matrix (/accounts/2fa/).

The matrix signs each role in with force_login, which records no authentication; so every page
that adds or removes a factor asks for the password again first (302 to account_reauthenticate).
The secretariat's factory account has an authenticator app (and no recovery codes); the others
have none. Someone else's security key is behind the same password question; after it, 404
(tests/members/test_mfa.py signs in for real to check that).
"""

from allauth.mfa.models import Authenticator

from tests.factories.members import UserFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, signed_in

# Pages that change the factors: the password first (a fresh sign-in would go straight on).
REAUTHENTICATE = signed_in(302)


def cases(world):
    stranger = UserFactory()
    strangers_key = Authenticator.objects.create(
        user=stranger,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Someone else's key", "credential": {}},
    )
    key = {"pk": strangers_key.pk}
    without_factor = {APPLICANT: 404, MEMBER: 404}
    no_recovery_codes = {APPLICANT: 404, MEMBER: 404, SECRETARIAT: 404}
    return [
        Case("mfa_index", signed_in(200)),
        Case("mfa_activate_totp", REAUTHENTICATE),
        Case("mfa_deactivate_totp", REAUTHENTICATE | without_factor),
        # The code stage answers only in the middle of a log-in; otherwise it sends to log in.
        Case("mfa_authenticate", everyone(302)),
        # Re-authentication by a second factor is switched off (ACCOUNT_REAUTHENTICATION_METHODS).
        Case("mfa_reauthenticate", signed_in(403) | {ANON: 302}),
        Case("mfa_reauthenticate_webauthn", signed_in(403) | {ANON: 302}),
        Case("mfa_view_recovery_codes", REAUTHENTICATE | no_recovery_codes),
        Case("mfa_download_recovery_codes", REAUTHENTICATE | no_recovery_codes),
        Case("mfa_generate_recovery_codes", REAUTHENTICATE),
        Case("mfa_list_webauthn", signed_in(200)),
        Case("mfa_add_webauthn", REAUTHENTICATE),
        Case("mfa_edit_webauthn", REAUTHENTICATE, kwargs=key),
        Case("mfa_remove_webauthn", REAUTHENTICATE, kwargs=key),
        Case("mfa_remove_webauthn", REAUTHENTICATE, kwargs=key, method="post"),
        # Passkey log-in: a page's script asks it for a challenge, a plain visit goes to log in.
        Case("mfa_login_webauthn", everyone(302)),
    ]
