from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The current query string with `name` set to `value`, back on the first page."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params[name] = str(value)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    return params.urlencode()
