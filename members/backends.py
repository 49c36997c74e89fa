"""Authentication backends: the signed-in user and their profile in one query per request, and
their permission set from the cache instead of two queries.

Both backends of settings.AUTHENTICATION_BACKENDS are these (Django's for the admin's and the
test client's log-ins, allauth's for the site's), so a session made by either reads the same way.

The permission sets live in Redis under one *generation*: any change to who holds which
permission (a user's groups or direct permissions, a group's permissions, a group or permission
created or deleted, a migration) gives the generation a new random value, at once and again at
commit, so every set cached before it is ignored (members/apps.py connects the signals). A set is
keyed by the user and their superuser flag, so an is_superuser change (even by QuerySet.update)
needs no signal; is_active is read from the row loaded on every request. A user in no group and
without permissions of their own, as most are, needs no set at all: the query that reads the
user says so.
"""

from __future__ import annotations

import functools
import secrets

import psycopg
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Q

from members.models import Profile

# A change no signal sees (raw SQL on the m2m tables) heals by itself after this long.
PERMISSIONS_CACHE_SECONDS = 600
GENERATION_KEY = "members:permissions:generation"


def _permissions_key(user) -> str:
    return f"members:permissions:{user.pk}:{int(user.is_superuser)}"


def _generation_renew() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(6), timeout=None)


def permissions_changed(**kwargs) -> None:
    """Every cached permission set is out of date: now, and again when the transaction commits
    (a request between the two could otherwise cache the rows the transaction is replacing).
    Takes any signal's arguments, so it is connected as the receiver itself."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: the post_ action that follows renews it
    _generation_renew()
    transaction.on_commit(_generation_renew)


def _permissions_from_database(user) -> frozenset[str]:
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    rows = permissions.values_list("content_type__app_label", "codename").order_by().distinct()
    return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)


def permissions_cached(user) -> frozenset[str]:
    """The user's permissions (theirs and their groups'), from the cache in one round trip."""
    key = _permissions_key(user)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(6)
        # add: two requests that both find none agree on the first one stored.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY) or generation
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    permissions = _permissions_from_database(user)
    cache.set(key, (generation, permissions), PERMISSIONS_CACHE_SECONDS)
    return permissions


@functools.cache
def _user_with_profile_sql() -> str:
    """Every column of the user and of their profile (if any), by the user's id, and whether
    they are in any group or hold any permission of their own."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    user_id = f"u.{quote(user_model._meta.pk.column)}"
    columns = [f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields]
    columns += [f"p.{quote(field.column)}" for field in Profile._meta.concrete_fields]
    grants = [
        f"EXISTS (SELECT 1 FROM {quote(field.remote_field.through._meta.db_table)} g "
        f"WHERE g.{quote(field.m2m_column_name())} = {user_id})"
        for field in (
            user_model._meta.get_field("groups"),
            user_model._meta.get_field("user_permissions"),
        )
    ]
    columns.append(" OR ".join(grants))
    return (
        f"SELECT {', '.join(columns)} FROM {quote(user_model._meta.db_table)} u "
        f"LEFT OUTER JOIN {quote(Profile._meta.db_table)} p "
        f"ON p.{quote(Profile.user.field.column)} = {user_id} "
        f"WHERE {user_id} = %s"
    )


class _PreparedStatementCursor(psycopg.Cursor):
    """Binds parameters on the server and prepares each statement on its first use. Django's
    cursors bind on the client, so PostgreSQL parses and plans every query anew: for the user
    with their profile that is four fifths of the database's work on the statement, asked on
    every signed-in request. A prepared statement lives as long as the connection (kept for
    DATABASE_CONN_MAX_AGE); a pooler in transaction mode must support them (PgBouncer >= 1.21)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class _PreparedDebugCursor(CursorDebugWrapper):
    """Records the statement as written: psycopg keeps no text of a prepared one for Django's
    last_executed_query, which would log None."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params, use_last_executed_query=False):
            return CursorWrapper.execute(self, sql, params)


def _prepared_cursor():
    """A _PreparedStatementCursor on Django's connection, wrapped as Django wraps its own: the
    query is counted, logged and passed through execute wrappers like any other."""
    connection.ensure_connection()
    database = connection.connection
    if database.prepare_threshold is None:
        # Django turns psycopg's prepared statements off; its own cursors bind on the client,
        # which never prepares, so turning them back on changes nothing but this cursor.
        database.prepare_threshold = 0
    cursor = _PreparedStatementCursor(database)
    if connection.queries_logged:
        return _PreparedDebugCursor(cursor, connection)
    return connection.make_cursor(cursor)


def user_with_profile(user_id):
    """The user with their profile attached (None when they have none), in one query.

    What select_related("profile").get(pk=...) returns, without building the same SQL on every
    request: the ORM spends more CPU compiling that query and filling the two objects than the
    database spends answering it. None if there is no such user.

    A user in no group and with no permission of their own (every member) has no permission,
    as the same statement says: their empty set is filled in here, and the cache is asked only
    for the others."""
    user_model = get_user_model()
    user_fields = user_model._meta.concrete_fields
    with _prepared_cursor() as cursor:
        cursor.execute(_user_with_profile_sql(), [user_model._meta.pk.to_python(user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    user_names = [field.attname for field in user_fields]
    user = user_model.from_db(connection.alias, user_names, row[:split])
    profile = None
    if row[split] is not None:
        profile_fields = Profile._meta.concrete_fields
        profile = Profile.from_db(
            connection.alias, [field.attname for field in profile_fields], row[split:-1]
        )
        Profile.user.field.set_cached_value(profile, user)
    # As select_related does: a user without a profile raises DoesNotExist with no query.
    user_model.profile.related.set_cached_value(user, profile)
    holds_grants = row[-1]
    if not (holds_grants or user.is_superuser):
        # Where Django's ModelBackend (and so has_perm) keeps the set for the request.
        user._perm_cache = set()
    return user


class CachedUserMixin:
    def get_user(self, user_id):
        user = user_with_profile(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        # The attribute Django's ModelBackend keeps them in, so that every backend of the list
        # (and has_perm, has_module_perms) reuses the set for the rest of the request.
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(permissions_cached(user_obj))
        return user_obj._perm_cache


class UserBackend(CachedUserMixin, ModelBackend):
    """Django's ModelBackend (the admin's log-in, the test client's force_login)."""


class AccountBackend(CachedUserMixin, AllauthBackend):
    """allauth's backend (log-in by email address on the site)."""
