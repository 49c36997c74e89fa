"""Where security events come from: allauth's signals, and Django's for failed log-ins.

A failed log-in is taken from Django's `user_login_failed`, which every path through
`authenticate()` sends (allauth's form, its re-authentication, the admin's); a completed sign-in
from allauth's `user_logged_in`, which comes after the last step (the second factor too) and
carries the response the device cookie goes on. Django's own `user_logged_in` is not used: it also
fires for the test client's force_login and would log sign-ins no one made. The receivers are
connected in MirpalConfig.ready(); each catches its own failures, so a log-in never fails because
its record could not be written.
"""

from __future__ import annotations

import functools
import logging

from allauth.account import signals as account_signals
from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_login_failed

from mirpal import security_events
from mirpal.models import SecurityEventKind

logger = logging.getLogger(__name__)


def _never_raises(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("security event receiver %s failed", receiver.__name__)

    return wrapper


@_never_raises
def on_logged_in(sender, request, user, response=None, **kwargs):
    methods = []
    for record in get_authentication_records(request, user):
        method = str(record.get("method", ""))
        methods.append(f"{method}:{record['type']}" if record.get("type") else method)
    security_events.security_sign_in_record(
        user=user, request=request, response=response, methods=methods
    )


@_never_raises
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("email") or credentials.get("username") or "")[:254]
    security_events.security_login_failure_record(request=request, login=login)


def _user_event(kind: str):
    @_never_raises
    def receiver(sender, request=None, user=None, **kwargs):
        detail = {}
        address = kwargs.get("email_address") or kwargs.get("to_email_address")
        if address is not None:
            user = user or address.user
            detail["email"] = address.email
        authenticator = kwargs.get("authenticator")
        if authenticator is not None:
            detail["type"] = authenticator.type
        security_events.security_event_record(kind=kind, user=user, request=request, detail=detail)

    receiver.__name__ = f"on_{kind}"
    return receiver


# Kept at module level: signals hold their receivers weakly.
ACCOUNT_RECEIVERS = {
    "password_changed": _user_event(SecurityEventKind.PASSWORD_CHANGED),
    "password_set": _user_event(SecurityEventKind.PASSWORD_SET),
    "password_reset": _user_event(SecurityEventKind.PASSWORD_RESET),
    "email_added": _user_event(SecurityEventKind.EMAIL_ADDED),
    "email_removed": _user_event(SecurityEventKind.EMAIL_REMOVED),
    "email_confirmed": _user_event(SecurityEventKind.EMAIL_CONFIRMED),
    "email_changed": _user_event(SecurityEventKind.EMAIL_PRIMARY_CHANGED),
}
MFA_RECEIVERS = {
    "authenticator_added": _user_event(SecurityEventKind.MFA_ADDED),
    "authenticator_removed": _user_event(SecurityEventKind.MFA_REMOVED),
    "authenticator_reset": _user_event(SecurityEventKind.MFA_RESET),
    "authentication_failed": _user_event(SecurityEventKind.MFA_FAILED),
}


def security_receivers_connect() -> None:
    """Connect every receiver once (dispatch_uid), from MirpalConfig.ready()."""
    account_signals.user_logged_in.connect(on_logged_in, dispatch_uid="mirpal.security.sign_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="mirpal.security.sign_in_failed")
    for module, receivers in ((account_signals, ACCOUNT_RECEIVERS), (mfa_signals, MFA_RECEIVERS)):
        for name, receiver in receivers.items():
            getattr(module, name).connect(receiver, dispatch_uid=f"mirpal.security.{name}")
