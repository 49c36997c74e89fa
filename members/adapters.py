import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from members.mfa import second_factor_removal_allowed
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.security_events import security_lockout_record


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mails go through the outbox like every other mail of the platform."""

    def send_mail(self, template_prefix, email, context):
        language = translation.get_language() or "en"
        context = {**context, "current_site": context.get("current_site")}
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        subject = " ".join(self.format_email_subject(subject).split())
        body_text = render_to_string(f"{template_prefix}_message.txt", context)
        user = context.get("user")
        outbox_enqueue(
            [
                Mail(
                    # Each of these mails is a new message (a new link or code), never a resend.
                    key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
                    kind="account",
                    to_email=email,
                    subject=subject,
                    body_text=body_text,
                    recipient_id=getattr(user, "pk", None),
                    headers={"Content-Language": language},
                )
            ]
        )

    def pre_authenticate(self, request, **credentials):
        """allauth refuses a log-in over the rate limit here, before any password is checked;
        the refusal is recorded as a lock-out (mirpal.security_events)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security_lockout_record(request=request, login=str(credentials.get("email", "")))
            raise


class MFAAdapter(DefaultMFAAdapter):
    """A staff account cannot remove its last authenticator app or security key (members.mfa)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "A staff account must keep a second factor: add another authenticator app or "
            "security key before removing this one."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        return second_factor_removal_allowed(authenticator)
