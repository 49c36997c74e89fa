"""Stub: its owner replaces this module."""

from django.http import Http404


def case_list(request, **kwargs):
    raise Http404


def case_detail(request, **kwargs):
    raise Http404
