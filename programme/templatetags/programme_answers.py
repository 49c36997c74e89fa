"""{% answer_form proposal %}: the secretariat's answer form, for the proposal's page."""

from django import template

from programme.answer_forms import AnswerForm
from programme.visibility import can_answer

register = template.Library()


@register.inclusion_tag("programme/_answer_form_fields.html", takes_context=True)
def answer_form(context, proposal, form=None):
    """The form (bound after an error, else a fresh one) for someone who may answer; nothing
    for anyone else, whatever the including page decided."""
    request = context.get("request")
    allowed = request is not None and can_answer(request.user)
    if allowed and not form:
        form = AnswerForm(proposal=proposal)
    return {"proposal": proposal, "form": form if allowed else None, "request": request}
