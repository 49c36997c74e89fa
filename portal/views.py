from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from mirpal.fragments import cached_fragment
from portal.selectors import home_figures


@require_GET
def home(request):
    """The home page: its parts that are the same for every visitor (in one language and time
    zone) come from the cache, each with the scopes of the data it shows; what depends on the
    viewer (the buttons to apply or log in) stays in home.html."""
    figures = cached_fragment(
        request,
        "portal:home:figures",
        scopes=["members"],
        render=lambda: render_to_string("portal/_home_figures.html", {"figures": home_figures()}),
    )
    return render(request, "home.html", {"figures": figures})


@require_GET
def about(request):
    return render(request, "about.html")
