from mirpal.preferences import unsubscribe_token
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, signed_in


def cases(world):
    visitor_only = {ANON: 200, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302}
    return [
        Case("home", everyone(200)),
        Case("about", everyone(200)),
        Case("privacy", everyone(200)),
        Case("terms", everyone(200)),
        Case("healthz", everyone(200)),
        Case("healthz_live", everyone(200)),
        Case("healthz_ready", everyone(200)),
        # The test client calls from 127.0.0.1, one of the default METRICS_ALLOWED_NETWORKS;
        # from a public address only staff see it (tests/mirpal/test_observability.py).
        Case("metrics", everyone(200)),
        # Browsers post Content-Security-Policy violations here (tests/mirpal/test_headers.py
        # posts real reports); a form is not a report.
        Case("csp_report", everyone(405)),
        Case("csp_report", everyone(400), method="post"),
        Case("mail_preferences", signed_in(200)),
        Case("mail_unsubscribe", everyone(404), kwargs={"token": "forged"}),
        Case(
            "mail_unsubscribe",
            everyone(200),
            kwargs={"token": unsubscribe_token(user_id=world[MEMBER].pk, kind="news")},
        ),
        Case("set_language", everyone(302), method="post", data={"language": "ru", "next": "/"}),
        # allauth's pages: log-in and sign-up are for visitors; the signed-in are sent on.
        Case("account_login", visitor_only),
        Case("account_signup", visitor_only),
        Case("account_logout", signed_in(200) | {ANON: 302}),
        Case("account_inactive", everyone(200)),
        Case("account_email_verification_sent", everyone(200)),
        Case("account_confirm_email", everyone(200), kwargs={"key": "not-a-real-key"}),
        Case("account_confirm_login_code", everyone(302)),
        Case("account_reset_password", everyone(200)),
        Case("account_reset_password_done", everyone(200)),
        Case(
            "account_reset_password_from_key",
            everyone(200),
            kwargs={"uidb36": "zz", "key": "set-password"},
        ),
        Case("account_reset_password_from_key_done", everyone(200)),
        Case("account_change_password", signed_in(200)),
        Case("account_set_password", signed_in(302)),
        Case("account_email", signed_in(200)),
        Case("account_reauthenticate", signed_in(200)),
        # Re-authentication by mailed code is switched off in settings.
        Case("account_request_reauthentication_code", signed_in(403) | {ANON: 302}),
        Case("account_confirm_reauthentication_code", signed_in(403) | {ANON: 302}),
        # The secretariat's panel: staff with the secretariat group only.
        Case(
            "admin:index",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200},
        ),
        Case(
            "admin:members_profile_changelist",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200},
        ),
        Case(
            "admin:mirpal_outboxmessage_changelist",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200},
        ),
    ]
