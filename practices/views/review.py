"""Stub: its owner replaces this module."""

from django.http import Http404


def case_propose(request, **kwargs):
    raise Http404


def cases_mine(request, **kwargs):
    raise Http404


def case_edit(request, **kwargs):
    raise Http404
