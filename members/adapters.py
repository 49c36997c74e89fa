import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.template.loader import render_to_string
from django.utils import translation

from mirpal.outbox import Mail, outbox_enqueue


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
