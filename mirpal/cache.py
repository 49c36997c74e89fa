"""Django's Redis cache, with one redis-py client per server instead of one per call.

Django 5.2's RedisCacheClient builds a new redis.Redis around the pooled connections for every
get and set, and redis.Redis fills a table of some 170 response callbacks each time: a signed-in
request, which reads its session and its permissions from the cache, paid more for that than for
the round trips. A redis.Redis is safe to share between threads and, its pool reconnecting after
a fork, between gunicorn's workers.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
