import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, SUPERUSER

# URL names that the matrix need not cover: Django admin's own pages (the secretariat's panel is
# checked through its index and each model's changelist in tests/mirpal/url_roles.py).
UNCOVERED_NAMESPACES = {"admin"}


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in UNCOVERED_NAMESPACES:
                continue
            yield from _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _case_modules():
    """Every tests/<app>/url_roles*.py module."""
    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        path = [f"{tests.__path__[0]}/{package.name}"]
        for module in pkgutil.iter_modules(path):
            if module.name.startswith("url_roles"):
                yield importlib.import_module(f"tests.{package.name}.{module.name}")


@pytest.fixture
def world(db, applicant, member, secretariat, editor, manager, superuser):
    return {
        APPLICANT: applicant,
        MEMBER: member,
        SECRETARIAT: secretariat,
        EDITOR: editor,
        MANAGER: manager,
        SUPERUSER: superuser,
    }


def _all_cases(world):
    cases = []
    for module in _case_modules():
        cases.extend(module.cases(world))
    return cases


def test_every_named_url_has_a_case(world):
    covered = {case.name for case in _all_cases(world)}
    missing = sorted(set(_named_urls()) - covered)
    assert missing == []


@pytest.mark.parametrize("role", [ANON, APPLICANT, MEMBER, SECRETARIAT, EDITOR, MANAGER, SUPERUSER])
def test_each_url_answers_each_role_as_expected(world, client_for, role):
    client = client_for(role) if role == ANON else None
    if client is None:
        from django.test import Client

        client = Client()
        client.force_login(world[role])
    wrong = []
    for case in _all_cases(world):
        if role not in case.expect:
            continue
        url = reverse(case.name, args=case.args, kwargs=case.kwargs) + case.query
        response = getattr(client, case.method)(url, data=case.data)
        if response.status_code != case.expect[role]:
            wrong.append((case.name, url, case.expect[role], response.status_code))
    assert wrong == []
