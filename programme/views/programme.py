"""Stub: its owner replaces this module."""

from django.http import Http404


def programme_current(request, **kwargs):
    raise Http404


def programme_year(request, **kwargs):
    raise Http404


def programme_xlsx(request, **kwargs):
    raise Http404
