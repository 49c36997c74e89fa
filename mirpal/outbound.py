"""Outbound HTTP: every request the platform makes to an address someone else gave it.

Webhooks today, anything that fetches a URL later. An address given by a partner must not turn
the platform into a way into its own network (the database, Redis, the cloud's metadata service
at 169.254.169.254), so `outbound_url_check` parses the URL, resolves the host and refuses it
unless every address it resolves to is on the public internet. `outbound_request` checks again
(DNS can change between subscription and delivery) and connects to the very address it checked,
so a DNS answer that changes between the check and the connection cannot move it elsewhere.
It follows no redirects, gives up after a total timeout, and reads at most a fixed number of
bytes of the answer. It never runs inside a database transaction (a slow partner would hold
rows locked): callers commit first.

OUTBOUND_ALLOWED_NETWORKS exempts networks from the check; it is empty in production and meant
for a rehearsal on a private network (and for the tests' receiver on loopback).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges refused whatever the Python version's is_global says: multicast is "global" to the
# ipaddress module, and some special-purpose blocks entered its lists only in later releases.
_REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "169.254.0.0/16",  # link-local, where cloud metadata services answer
        "192.0.0.0/24",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",  # unique local, fd00::/8 among them
        "fe80::/10",
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundError(Exception):
    """An outbound request that did not happen or did not finish. `message` is fit to show the
    partner who gave the address, and to keep on the delivery for the secretariat."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OutboundRefused(OutboundError):
    """The address may not be called at all: its form, or where it leads. Trying again later
    gives the same answer, unless its DNS changes."""


class OutboundFailed(OutboundError):
    """The address was allowed, but the request failed: the name did not resolve, the connection
    was refused or timed out, TLS or HTTP went wrong. Worth trying again later."""


@dataclass(frozen=True)
class OutboundTarget:
    """A checked URL: where to connect (`addresses`, every one public) and what to ask."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent on the request line
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool  # the answer went on past max_bytes; the rest was not read


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [
            ipaddress.ip_network(network, strict=False)
            for network in settings.OUTBOUND_ALLOWED_NETWORKS
        ]
    except ValueError as error:
        raise ImproperlyConfigured(f"OUTBOUND_ALLOWED_NETWORKS: {error}") from error


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: ::ffff:127.0.0.1 is 127.0.0.1 for the
    kernel, and 6to4, Teredo and NAT64 gateways forward to the address they carry."""
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _is_public(address: IPAddress) -> bool:
    if any(
        address in network for network in _REFUSED_NETWORKS if network.version == address.version
    ):
        return False
    if (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(_is_public(inner) for inner in _embedded_ipv4(address))
    return True


def outbound_address_allowed(address: str) -> bool:
    """Whether the platform may connect to this IP address (a string as getaddrinfo gives it)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a zone (fe80::1%eth0) changes nothing
    candidates = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        candidates.append(ip.ipv4_mapped)
    allowed = _allowed_networks()
    if any(candidate in network for candidate in candidates for network in allowed):
        return True
    return _is_public(ip)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def outbound_url_check(url: str) -> OutboundTarget:
    """Parse `url` and resolve its host. Raises OutboundRefused unless it is an http(s) address
    without a user name or password whose host resolves only to public addresses (or to networks
    in OUTBOUND_ALLOWED_NETWORKS), OutboundFailed if the name does not resolve."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise OutboundRefused(_("This is not a valid web address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundRefused(_("Only http:// and https:// addresses can be called."))
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(_("The address must not contain a user name or password."))
    host = parts.hostname
    if not host:
        raise OutboundRefused(_("The address has no host name."))
    port = port or (443 if scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundFailed(
            _("The host name %(host)s could not be found.") % {"host": host}
        ) from error
    addresses = tuple(dict.fromkeys(str(sockaddr[0]) for *_rest, sockaddr in found))
    if not addresses:
        raise OutboundFailed(_("The host name %(host)s could not be found.") % {"host": host})
    for address in addresses:
        if outbound_address_allowed(address):
            continue
        shown = address.split("%", 1)[0]
        if ipaddress.ip_address(shown) == _literal(host):
            raise OutboundRefused(
                _(
                    "%(address)s is an internal or reserved address; only addresses on the "
                    "public internet can be called."
                )
                % {"address": shown}
            )
        raise OutboundRefused(
            _(
                "%(host)s leads to %(address)s, an internal or reserved address; only "
                "addresses on the public internet can be called."
            )
            % {"host": host, "address": shown}
        )
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return OutboundTarget(scheme=scheme, host=host, port=port, target=target, addresses=addresses)


class _Watchdog:
    """Cuts the connection when the time is up. A server dripping its answer a byte at a time
    resets a socket's timeout with every byte; this bounds the whole exchange, TLS included."""

    def __init__(self, seconds: float):
        self.expired = False
        self.sock: socket.socket | None = None
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def watch(self, sock: socket.socket) -> None:
        self.sock = sock
        if self.expired:
            self._cut()

    def _expire(self) -> None:
        self.expired = True
        self._cut()

    def _cut(self) -> None:
        if self.sock is not None:
            # The plain socket's shutdown, on a TLS socket too: the reading thread sees the end
            # of the stream, with no TLS state torn down under it. OSError: already closed.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address already checked, whatever the host name resolves to now; the Host
    header still names the host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float, watchdog: _Watchdog):
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.watchdog = watchdog

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.watchdog.watch(sock)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """As _PinnedHTTPConnection, with TLS whose SNI and certificate check name the host."""

    # http.client.HTTPSConnection adds nothing but its connect(), which this one replaces.
    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        context = ssl.create_default_context()
        self.sock = self._open()
        sock = context.wrap_socket(
            self.sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock = sock
        self.watchdog.watch(sock)
        sock.do_handshake()


def outbound_request(
    method: str,
    url: str,
    *,
    timeout: float,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> OutboundResponse:
    """Make one HTTP request to a URL someone else gave. Checks the URL (outbound_url_check),
    connects only to an address it checked, follows no redirect (a 3xx is returned as it is),
    gives up after `timeout` seconds in all, and reads at most `max_bytes` of the answer
    (OUTBOUND_MAX_RESPONSE_BYTES by default). Raises OutboundRefused or OutboundFailed. Call it
    outside any transaction."""
    limit = settings.OUTBOUND_MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
    checked = outbound_url_check(url)
    kind = _PinnedHTTPSConnection if checked.scheme == "https" else _PinnedHTTPConnection
    watchdog = _Watchdog(timeout)
    connection = response = None
    try:
        for index, address in enumerate(checked.addresses):
            connection = kind(
                checked.host, checked.port, address=address, timeout=timeout, watchdog=watchdog
            )
            try:
                connection.connect()
                break
            except OSError:
                connection.close()
                if index == len(checked.addresses) - 1 or watchdog.expired:
                    raise
        connection.request(method, checked.target, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        chunks, size, truncated = [], 0, False
        while size < limit:
            chunk = response.read1(min(65536, limit - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        else:
            truncated = response.read1(1) != b""
        if watchdog.expired:
            raise TimeoutError
        return OutboundResponse(
            status=response.status,
            headers=dict(response.getheaders()),
            body=b"".join(chunks),
            truncated=truncated,
        )
    except (OSError, http.client.HTTPException, ValueError) as error:
        if watchdog.expired or isinstance(error, TimeoutError):
            raise OutboundFailed(
                _("No answer in time (the limit is %(seconds)s s).") % {"seconds": f"{timeout:g}"}
            ) from error
        raise OutboundFailed(f"{type(error).__name__}: {error}"[:500]) from error
    finally:
        watchdog.timer.cancel()
        # An answer that ends the connection owns its socket: closing the connection alone
        # would leave the socket open until garbage collection.
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()
