"""Stub: its owner replaces this module."""

from django.http import Http404


def compare_topic(request, **kwargs):
    raise Http404


def compare_cases(request, **kwargs):
    raise Http404


def case_ask(request, **kwargs):
    raise Http404
