"""Stub: its owner replaces this module."""

from django.http import Http404


def poll_detail(request, **kwargs):
    raise Http404


def poll_results(request, **kwargs):
    raise Http404


def poll_choose(request, **kwargs):
    raise Http404
