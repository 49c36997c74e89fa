"""Rendering a mail in its recipient's language, from templates/mail/<name>_{subject,body}.*"""

from django.template.loader import render_to_string
from django.utils import translation

from mirpal.outbox import Mail


def mail_render(
    *,
    template: str,
    context: dict,
    language: str,
    key: str,
    kind: str,
    to_email: str,
    recipient_id: int | None = None,
    headers: dict | None = None,
) -> Mail:
    """Render subject, text and HTML parts with the recipient's language active."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
        body_text = render_to_string(f"mail/{template}_body.txt", context)
        body_html = render_to_string(f"mail/{template}_body.html", context)
    return Mail(
        key=key,
        kind=kind,
        to_email=to_email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        recipient_id=recipient_id,
        headers=headers or {},
    )
