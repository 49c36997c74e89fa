"""Stub: its owner replaces this module."""

from django.http import Http404


def proposal_list(request, **kwargs):
    raise Http404


def proposal_create(request, **kwargs):
    raise Http404


def proposal_detail(request, **kwargs):
    raise Http404


def proposal_support(request, **kwargs):
    raise Http404


def proposal_withdraw(request, **kwargs):
    raise Http404


def proposal_comment(request, **kwargs):
    raise Http404


def proposal_answer(request, **kwargs):
    raise Http404


def proposal_merge(request, **kwargs):
    raise Http404
