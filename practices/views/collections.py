"""Stub: its owner replaces this module."""

from django.http import Http404


def collection_list(request, **kwargs):
    raise Http404


def collection_detail(request, **kwargs):
    raise Http404


def collection_pdf(request, **kwargs):
    raise Http404
