"""Outbound requests (mirpal/outbound.py) go only to the public internet: a partner's webhook is
refused for every internal range when it is registered, through the API and the admin, and again
at each delivery; no redirect is followed, the answer is read only so far and so long, and no
database row is locked while the partner answers."""

import datetime
import socket
import ssl
import threading
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from events.services import event_update
from mirpal.enums import WebhookStatus
from mirpal.models import Partner, WebhookDelivery, WebhookEndpoint
from mirpal.outbound import OutboundFailed, OutboundRefused, outbound_request, outbound_url_check
from mirpal.webhooks import webhook_deliver, webhook_endpoint_create, webhooks_sweep
from tests.api.hooks_server import HookServer
from tests.factories.api import PartnerFactory, key_header, partner_key
from tests.factories.events import EventFactory

PUBLIC_ONLY = "only addresses on the public internet can be called."

# Every internal range a partner could point a webhook at, written as a partner would.
REFUSED = [
    ("http://127.0.0.1:8000/hook", "127.0.0.1"),
    ("http://10.0.0.5/hook", "10.0.0.5"),
    ("http://172.16.0.1/hook", "172.16.0.1"),
    ("http://192.168.1.1/hook", "192.168.1.1"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://100.64.0.1/hook", "100.64.0.1"),
    ("http://0.0.0.0:8000/hook", "0.0.0.0"),
    ("http://[::1]:8000/hook", "::1"),
    ("http://[fe80::1]/hook", "fe80::1"),
    ("http://[fd00::1]/hook", "fd00::1"),
    ("http://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1"),
    ("http://224.0.0.1/hook", "224.0.0.1"),
]
# Names: `localhost` resolves to loopback on every machine, without DNS.
REFUSED_NAMES = ["http://localhost:6379/", "http://LOCALHOST:5432/hook"]


def refused_message(address: str) -> str:
    return f"{address} is an internal or reserved address; {PUBLIC_ONLY}"


def subscribe(client, raw: str, url: str, **extra):
    return client.post(
        "/api/v1/webhooks/",
        {"url": url, "topics": ["event.changed"]},
        content_type="application/json",
        **key_header(raw),
        **extra,
    )


# --- At subscription: the API.


@pytest.mark.parametrize(("url", "address"), REFUSED)
def test_the_api_refuses_a_webhook_to_an_internal_address(client, db, url, address):
    _key, raw = partner_key(scopes=[])
    response = subscribe(client, raw, url)
    assert (response.status_code, response.json()) == (400, {"url": [refused_message(address)]})
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize("url", REFUSED_NAMES)
def test_the_api_refuses_a_name_that_resolves_to_loopback(client, db, url):
    _key, raw = partner_key(scopes=[])
    response = subscribe(client, raw, url)
    [message] = response.json()["url"]
    assert response.status_code == 400
    assert message.startswith("localhost leads to ")
    assert message.endswith(f", an internal or reserved address; {PUBLIC_ONLY}")
    assert WebhookEndpoint.objects.count() == 0


def test_the_api_refuses_in_russian_and_names_what_it_could_not_find(client, db):
    _key, raw = partner_key(scopes=[])
    russian = subscribe(client, raw, "http://169.254.169.254/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.json() == {
        "url": [
            "169.254.169.254 — внутренний или зарезервированный адрес; обращаться можно только "
            "к адресам в открытом интернете."
        ]
    }
    unknown = subscribe(client, raw, "https://partner.example/hook")
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"url": ["The host name partner.example could not be found."]},
    )
    credentials = subscribe(client, raw, "https://user:secret@93.184.215.14/hook")
    assert credentials.json() == {"url": ["The address must not contain a user name or password."]}
    assert WebhookEndpoint.objects.count() == 0


# --- At subscription: the admin's form on the partner.


def partner_form(url: str) -> dict:
    return {
        "name": "IOM office",
        "contact_email": "",
        "allowed_origins": "",
        "is_active": "on",
        "webhooks-TOTAL_FORMS": "1",
        "webhooks-INITIAL_FORMS": "0",
        "webhooks-MIN_NUM_FORMS": "0",
        "webhooks-MAX_NUM_FORMS": "1000",
        "webhooks-0-url": url,
        "webhooks-0-topics": ["event.published"],
        "webhooks-0-is_active": "on",
    }


@pytest.mark.parametrize(("url", "address"), [*REFUSED, ("http://localhost:6379/", None)])
def test_the_admin_refuses_a_webhook_to_an_internal_address(client_for, url, address):
    client = client_for("secretariat")
    response = client.post(reverse("admin:mirpal_partner_add"), partner_form(url))
    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    [errors] = formset.formset.errors
    [message] = errors["url"]
    if address is None:
        assert message.startswith("localhost leads to ")
    else:
        assert message == refused_message(address)
    assert message in response.content.decode()
    assert (Partner.objects.count(), WebhookEndpoint.objects.count()) == (0, 0)


def test_the_admin_accepts_a_public_address(client_for):
    client = client_for("secretariat")
    response = client.post(
        reverse("admin:mirpal_partner_add"), partner_form("https://93.184.215.14/hook")
    )
    assert response.status_code == 302
    assert list(WebhookEndpoint.objects.values_list("url", flat=True)) == [
        "https://93.184.215.14/hook"
    ]


# --- At delivery.


def a_delivery(url: str) -> WebhookDelivery:
    webhook_endpoint_create(partner=PartnerFactory(), url=url, topics=["event.changed"])
    event_update(event=EventFactory(), by=None, title_en="Renamed")
    return WebhookDelivery.objects.get()


def test_an_address_refused_at_delivery_fails_at_once_with_the_reason(client, db, allow_loopback):
    """Accepted when registered (here through the allowance; in life, through DNS that answered
    with a public address then), refused when it now leads to an internal one."""
    _key, raw = partner_key(scopes=[])
    with HookServer() as server:
        assert subscribe(client, raw, server.url).status_code == 201
        event_update(event=EventFactory(), by=None, title_en="Renamed")
        delivery = WebhookDelivery.objects.get()
        allow_loopback.OUTBOUND_ALLOWED_NETWORKS = []
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None  # no retry
    assert server.received == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    assert delivery.last_error == f"127.0.0.1 is an internal or reserved address; {PUBLIC_ONLY}"
    assert [entry["error"] for entry in delivery.log] == [delivery.last_error]


def test_a_redirect_is_not_followed(db, allow_loopback):
    with HookServer() as target, HookServer([302], headers={"Location": target.url}) as hook:
        delivery = a_delivery(hook.url)
        assert webhook_deliver(delivery_id=str(delivery.pk)) == delivery  # due again later
    assert (len(hook.received), target.received) == (1, [])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        "pending",
        302,
        "HTTP 302: redirects are not followed",
    )


def test_an_endless_answer_is_not_read_beyond_the_limit(db, allow_loopback):
    with HookServer(endless=True) as hook:
        started = time.monotonic()
        answer = outbound_request("POST", hook.url, body=b"{}", timeout=5, max_bytes=100_000)
        assert time.monotonic() - started < 2
        assert hook.finished.wait(5)  # the receiver saw the client hang up
        assert (answer.status, len(answer.body), answer.truncated) == (200, 100_000, True)
        assert hook.streamed < 1024**3

        # A webhook delivery reads its 4 KB and is done: delivered, not timed out.
        delivery = a_delivery(hook.url)
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("delivered", 200)
    assert delivery.log[0]["ms"] < 2000


def test_a_receiver_dripping_its_answer_is_cut_at_the_time_limit(db, allow_loopback):
    """A byte every 0.2 s keeps a socket's own timeout from ever firing; the whole exchange is
    still cut at the limit."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def drip():
        peer, _address = listener.accept()
        with peer:
            peer.recv(65536)
            peer.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not stop.is_set():
                try:
                    peer.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(OutboundFailed) as failure:
            outbound_request("POST", f"http://127.0.0.1:{port}/hook", body=b"{}", timeout=1)
    finally:
        stop.set()
        listener.close()
    assert failure.value.message == "No answer in time (the limit is 1 s)."
    assert time.monotonic() - started < 2


@pytest.mark.django_db(transaction=True)
def test_no_row_is_locked_and_no_transaction_open_while_the_partner_answers(allow_loopback):
    """The receiver looks from another database connection while it holds the POST: the
    delivery, its webhook and its partner can all be locked with NOWAIT, the worker's session
    is idle (not in a transaction), and a second worker finds the delivery taken and sends
    nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [worker_pid] = cursor.fetchone()
    seen = {}

    def during(_request):
        try:
            with transaction.atomic():
                row = WebhookDelivery.objects.select_for_update(nowait=True).get()
                WebhookEndpoint.objects.select_for_update(nowait=True).get()
                Partner.objects.select_for_update(nowait=True).get()
                seen["locks"] = "free"
                seen["claimed"] = row.claimed_until is not None
            with connection.cursor() as cursor:
                cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [worker_pid])
                [seen["worker session"]] = cursor.fetchone()
            seen["second worker"] = webhook_deliver(delivery_id=str(row.pk))
        except DatabaseError as error:
            seen["locks"] = str(error)
        finally:
            connection.close()

    with HookServer(during=during) as hook:
        delivery = a_delivery(hook.url)
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    assert seen == {
        "locks": "free",
        "claimed": True,
        "worker session": "idle",
        "second worker": None,
    }
    assert len(hook.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == ("delivered", 1, None)


def test_a_delivery_whose_worker_died_mid_request_is_taken_up_again(db, allow_loopback):
    with HookServer() as hook:
        delivery = a_delivery(hook.url)
        now = datetime.datetime.now(datetime.UTC)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            claimed_until=now + datetime.timedelta(minutes=1)
        )
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None  # held by a live worker
        assert (webhooks_sweep(), hook.received) == (0, [])

        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            claimed_until=now - datetime.timedelta(seconds=1), attempts=1
        )
        assert webhooks_sweep() == 1
        assert webhook_deliver(delivery_id=str(delivery.pk)) is None
    assert len(hook.received) == 1
    assert WebhookDelivery.objects.get().status == WebhookStatus.DELIVERED


# --- The check itself, for every caller to come: the forms an address can take.


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f000001/",
        "http://127.1/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[ff02::1]/",
        "http://[fec0::1]/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "http://198.18.0.1/",
        "http://192.0.0.8/",
    ],
)
def test_every_form_of_an_internal_address_is_refused(url):
    with pytest.raises(OutboundRefused) as refusal:
        outbound_url_check(url)
    assert refusal.value.message.endswith(PUBLIC_ONLY)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://93.184.215.14/", "Only http:// and https:// addresses can be called."),
        ("file:///etc/passwd", "Only http:// and https:// addresses can be called."),
        ("http://@93.184.215.14/", "The address must not contain a user name or password."),
        ("http:///hook", "The address has no host name."),
        ("http://93.184.215.14:99999/", "This is not a valid web address."),
    ],
)
def test_malformed_addresses_are_refused(url, message):
    with pytest.raises(OutboundRefused) as refusal:
        outbound_url_check(url)
    assert refusal.value.message == message


def test_public_addresses_pass_and_the_allowance_covers_only_its_networks(settings):
    checked = outbound_url_check("https://93.184.215.14:8443/hook?x=1")
    assert (checked.host, checked.port, checked.target, checked.addresses) == (
        "93.184.215.14",
        8443,
        "/hook?x=1",
        ("93.184.215.14",),
    )
    assert outbound_url_check("http://[2606:4700::1111]/").addresses == ("2606:4700::1111",)
    settings.OUTBOUND_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert outbound_url_check("http://10.20.3.4/").addresses == ("10.20.3.4",)
    with pytest.raises(OutboundRefused):
        outbound_url_check("http://10.21.0.1/")


# --- TLS: the connection goes to the checked address, the certificate is checked for the name.


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch, settings):
    """A HookServer behind TLS with a self-signed certificate for `localhost`, trusted through
    OpenSSL's SSL_CERT_FILE; records the name the client asked for (SNI)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32", "::1/128"]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    names = []
    context.sni_callback = lambda _socket, server_name, _context: names.append(server_name)
    hook = HookServer()
    hook.server.socket = context.wrap_socket(hook.server.socket, server_side=True)
    hook.names = names
    with hook:
        yield hook


def test_https_checks_the_certificate_for_the_name_not_the_address(tls_receiver):
    port = tls_receiver.server.server_address[1]
    answer = outbound_request("POST", f"https://localhost:{port}/hook", body=b"{}", timeout=5)
    assert answer.status == 200
    [request] = tls_receiver.received
    assert (request["headers"]["Host"], tls_receiver.names) == (f"localhost:{port}", ["localhost"])

    # The same server by its address: the certificate names localhost, not 127.0.0.1.
    with pytest.raises(OutboundFailed) as failure:
        outbound_request("POST", f"https://127.0.0.1:{port}/hook", body=b"{}", timeout=5)
    assert "CERTIFICATE_VERIFY_FAILED" in failure.value.message
    assert len(tls_receiver.received) == 1


@pytest.mark.parametrize(
    "origin", ["https://x.example; script-src *", "https://y.example *", "https://z.example/path"]
)
def test_the_admin_refuses_a_partner_origin_that_is_not_scheme_host_and_port(client_for, origin):
    """The origins go into CORS and the widget's frame-ancestors as they are written."""
    form = partner_form("https://93.184.215.14/hook") | {"allowed_origins": origin}
    response = client_for("secretariat").post(reverse("admin:mirpal_partner_add"), form)
    assert response.status_code == 200
    assert "is not an origin like https://partner.example." in response.content.decode()
    assert Partner.objects.count() == 0
    form["allowed_origins"] = "https://partner.example:8443\nhttps://NGO.example/"
    response = client_for("secretariat").post(reverse("admin:mirpal_partner_add"), form)
    assert response.status_code == 302
    assert Partner.objects.get().allowed_origins == [
        "https://partner.example:8443",
        "https://ngo.example",
    ]
