"""The API's round trips to the Redis cache, made with the cache backend's own client, keys
(prefix, version) and serializer, so that `cache.get` reads what they write and the reverse.

Django's cache API has no "increment, or create with an expiry" in one command, nor a way to read
other keys in the same trip; and each of its calls validates every key for memcached and looks
the backend up through a thread-local proxy, which for a request that makes only these trips is
a large part of its cost. The keys here are the API's own: short, ASCII, without spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from redis.commands.core import Script

# KEYS[1]: the window's counter; ARGV[1]: its lifetime in seconds, set when the window opens.
# KEYS[2..]: other keys read in the same round trip (the answer a view may send from the cache).
_COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
if #KEYS == 1 then
    return {count}
end
return {count, redis.call('MGET', unpack(KEYS, 2))}
"""
# Sent as EVALSHA (the script's hash); redis-py loads the script when the server lacks it. Bytes,
# so that no client is needed to hash it: each call passes the cache's own.
_count_script = Script(None, _COUNT_IN_WINDOW.encode())


def window_count(
    name: str, *, seconds: int, read: Sequence[str] = ()
) -> tuple[int, dict[str, object]]:
    """Raise the counter `name` (a key of the default cache, which cache.get reads) and return
    its new value; the counter disappears `seconds` after its first raise. The values of the
    cache keys in `read` come back with it, as cache.get_many gives them, from the same trip."""
    store = caches[DEFAULT_CACHE_ALIAS]
    keys = [store.make_key(key) for key in (name, *read)]
    backend = store._cache
    reply = _count_script(keys=keys, args=[seconds], client=backend.get_client(keys[0], write=True))
    values = reply[1] if len(reply) > 1 else []
    loads = backend._serializer.loads
    found = {
        key: loads(value) for key, value in zip(read, values, strict=True) if value is not None
    }
    return int(reply[0]), found


def read_many(keys: Sequence[str]) -> dict[str, object]:
    """cache.get_many, in one MGET."""
    store = caches[DEFAULT_CACHE_ALIAS]
    backend = store._cache
    values = backend.get_client().mget([store.make_key(key) for key in keys])
    loads = backend._serializer.loads
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}
