"""The role-by-URL matrix: every named URL of the site, for every role, with its expected answer.

Each app's tests/<app>/url_roles.py defines `cases(world) -> list[Case]`; `world` holds the
signed-in users and whatever objects the app's cases create. tests/test_url_roles.py fails when a
named URL has no case, so a new page cannot skip its permission check unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANON, APPLICANT, MEMBER, SECRETARIAT = "anonymous", "applicant", "member", "secretariat"
# The two staff roles of the secretariat (mirpal.roles); checked only where a case names them.
EDITOR, MANAGER = "editor", "manager"
# A superuser, the only account that changes privileges and staff accounts; checked only where a
# case names it.
SUPERUSER = "superuser"


@dataclass
class Case:
    name: str
    expect: dict[str, int]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: str = ""


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys((ANON, APPLICANT, MEMBER, SECRETARIAT), status)


def members_only() -> dict[str, int]:
    """Anonymous visitors are sent to log in, applicants to their application page."""
    return {ANON: 302, APPLICANT: 302, MEMBER: 200, SECRETARIAT: 200}


def secretariat_only(ok: int = 200) -> dict[str, int]:
    return {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: ok}


def signed_in(ok: int = 200) -> dict[str, int]:
    return {ANON: 302, APPLICANT: ok, MEMBER: ok, SECRETARIAT: ok}
