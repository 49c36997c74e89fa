from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.selectors import home_figures


@require_GET
def home(request):
    return render(request, "home.html", {"figures": home_figures()})


@require_GET
def about(request):
    return render(request, "about.html")
