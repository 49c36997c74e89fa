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


@register.simple_tag
def chrome_contact_email() -> str:
    """The secretariat's address for the footer; a chrome_memo over it lists it among its values,
    so a changed setting (as in tests) is never answered from the memo."""
    return settings.SECRETARIAT_CONTACT_EMAIL


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
        token, request = context.get("csrf_token"), context.get("request")
        if request is None or token is None:
            # The 500 page (no request, no context processors): rendered as it is.
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        try:
            output = _memo[key]
        except KeyError:
            with context.push(csrf_token=CSRF_MARK, chrome_full_path=PATH_MARK):
                output = self.nodelist.render(context)
            if len(_memo) >= MEMO_ENTRIES:
                _memo.clear()
            _memo[key] = output
        except TypeError:  # a value that cannot be part of a key
            with context.push(chrome_full_path=request.get_full_path()):
                return self.nodelist.render(context)
        return _live(output, token, request)


# What differs on every page within a memoised block, marked when it is rendered and filled in
# for each request: the CSRF token (one per response, used by each of its forms) and the page's
# address. Neither mark is changed by HTML escaping; the token goes in first, so that an address
# holding a mark stays as it was typed.
CSRF_MARK = "chrome-live-csrf-token"
PATH_MARK = "chrome-live-full-path"


def _live(output: SafeString, token, request) -> SafeString:
    if CSRF_MARK in output:
        # The token is made here, only for a block that shows it (as {% csrf_token %} would).
        token = str(token)
        output = output.replace(
            CSRF_MARK, "" if token == "NOTPROVIDED" else conditional_escape(token)
        )
    if PATH_MARK in output:
        output = output.replace(PATH_MARK, conditional_escape(request.get_full_path()))
    return SafeString(output)


@register.tag
def chrome_memo(parser, token):
    """{% chrome_memo "name" value ... %}...{% end_chrome_memo %}: the block's output, rendered
    once per process for each language, URLconf and combination of the values, then reused.

    Like Django's {% cache %}, without a round trip to Redis: the block may show nothing but
    what the language and the listed values determine (never a name), and holds no {% block %};
    except that {% csrf_token %} and {{ chrome_full_path }} (the page's address) inside it are
    filled in for each request.
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
