"""The page chrome of base.html (header, navigation, footer) at a small fraction of its cost.

Every page renders it, signed in or not, and it was most of an empty page's CPU: {% url %}
reverses and {% static %} looks the file up in the manifest at each use, and each translated
label goes through gettext. Its links never change while the process runs (per URLconf and
script prefix), so chrome_url and chrome_static remember them; chrome_memo remembers whole parts
that depend only on the language and a few values. None needs a context processor: the 500 page
renders without one.
"""

from functools import cache

from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@cache
def _reversed(name: str, urlconf: str, script_prefix: str) -> SafeString:
    return conditional_escape(reverse(name, urlconf=urlconf))


@cache
def _static(path: str) -> SafeString:
    return conditional_escape(static(path))


@register.simple_tag
def chrome_url(name: str) -> SafeString:
    """{% url name %} for a view without arguments."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@register.simple_tag
def chrome_static(path: str) -> SafeString:
    """{% static path %}."""
    return _static(path)


# --- Parts of the page chrome rendered once per process for what they depend on.

# Far more than the combinations base.html makes (languages x sections x signed in or not x
# secretariat link, and the footer per time zone); past it everything is rendered anew.
MEMO_ENTRIES = 5000
_memo: dict[tuple, SafeString] = {}


class ChromeMemoNode(template.Node):
    # Kept out of the search {% extends %} makes through the whole parent template for its
    # blocks on every render; a block inside would be the same on every page anyway.
    child_nodelists = ()

    def __init__(self, nodelist, name: tuple, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        key = (
            self.name,
            get_language(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        try:
            return _memo[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be part of a key
            return self.nodelist.render(context)
        output = self.nodelist.render(context)
        if len(_memo) >= MEMO_ENTRIES:
            _memo.clear()
        _memo[key] = output
        return output


@register.tag
def chrome_memo(parser, token):
    """{% chrome_memo "name" value ... %}...{% end_chrome_memo %}: the block's output, rendered
    once per process for each language, URLconf and combination of the values, then reused.

    Like Django's {% cache %}, without a round trip to Redis: the block may show nothing but
    what the language and the listed values determine (never a CSRF token, a path or a name),
    and holds no {% block %}.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("chrome_memo needs a name for the block.")
    nodelist = parser.parse(("end_chrome_memo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("chrome_memo cannot hold a {% block %}.")
    name = (getattr(parser.origin, "name", None), bits[1])
    return ChromeMemoNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
