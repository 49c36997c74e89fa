"""The two-node rehearsal: two gunicorn nodes with separate local folders, two Celery workers and
one beat, nginx from the distribution in front (deploy/nginx's configuration), one PostgreSQL,
Redis and SeaweedFS. Everything a person does goes through nginx or straight to one node, as a
load balancer would send it: sign up and verify, upload on node A and download through node B,
register from both nodes at once, publish with invitations while a web node and a worker die.

It skips, saying so, only where nginx is not installed (.ci/run installs it)."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from events.models import Registration
from library.models import Document
from members.models import User
from mirpal.models import OutboxMessage, Topic
from tests import worker as test_worker
from tests.events.mail_members import members_bulk
from tests.factories.events import EventFactory
from tests.factories.library import pdf_upload
from tests.factories.members import STAFF_TOTP_SECRET, ProfileFactory, SecretariatFactory
from tests.members.test_application_flow import application
from tests.rehearsal.cluster import (
    Nginx,
    WebNode,
    collect_static,
    nginx_binary,
    production_env,
)
from tests.seaweedfs import SeaweedFS, free_port
from tests.smtp import SmtpSink
from tests.worker import Worker, purge_test_queue, wait_until

NGINX = nginx_binary()
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_task_queue"),
    pytest.mark.skipif(
        NGINX is None, reason="nginx is not installed (apt-get install nginx): rehearsal skipped"
    ),
]
PASSWORD = "rehearsal-horse-battery-7"
INVITED = 300
CAPACITY = 3
# The sweeps and leases of a deployment, only sooner (the outbox and mail runs take back what a
# dead worker held).
FAST_RECOVERY = {
    "OUTBOX_QUEUE_GRACE_SECONDS": "3",
    "OUTBOX_SWEEP_SECONDS": "2",
    "MAIL_RUN_LEASE_SECONDS": "2",
    "MAIL_RUN_CHUNK_SIZE": "50",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url} ({page.status_code})"
    return found.group(1)


def post_page(session: requests.Session, url: str, data: dict, *, files=None, page_url=None):
    """GET the form's page, then POST with its CSRF token, as a browser submits a form."""
    page = session.get(page_url or url, timeout=60)
    assert page.status_code == 200, (page.url, page.status_code)
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": csrf_token(page)},
        files=files,
        timeout=120,
        allow_redirects=False,
    )


def production_password(user: User) -> None:
    """The tests' settings hash with MD5, which a production node does not accept."""
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save(update_fields=["password"])


def sign_in(base: str, email: str, *, second_factor: bool = False) -> requests.Session:
    session = requests.Session()
    answer = post_page(session, f"{base}/accounts/login/", {"login": email, "password": PASSWORD})
    assert answer.status_code == 302, answer.text[-2000:]
    if second_factor:
        code = format_hotp_value(hotp_value(STAFF_TOTP_SECRET, int(time.time()) // 30))
        answer = post_page(session, f"{base}/accounts/2fa/authenticate/", {"code": code})
        assert answer.status_code == 302, answer.text[-2000:]
    return session


@pytest.fixture
def rehearsal_folder():
    # Not pytest's tmp_path: nginx's workers (another user) must be able to enter it.
    folder = Path(tempfile.mkdtemp(prefix="mirpal-rehearsal-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def sink():
    server = SmtpSink()
    server.start()
    yield server
    server.stop()


def test_two_nodes_behind_nginx_lose_nothing(rehearsal_folder, sink, capsys):
    purge_test_queue()
    ports = {"nginx": free_port(), "a": free_port(), "b": free_port()}
    site = f"http://127.0.0.1:{ports['nginx']}"
    with SeaweedFS() as bucket:
        env = production_env(
            {
                "DATABASE_URL": test_worker.test_database_url(),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
                "REDIS_URL": settings.CACHES["default"]["LOCATION"],
                "SITE_URL": site,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                **bucket.env(),
            }
        )
        collect_static(env)
        node_a = WebNode("node-a", env=env, folder=rehearsal_folder, port=ports["a"])
        node_b = WebNode("node-b", env=env, folder=rehearsal_folder, port=ports["b"])
        nginx = Nginx(
            NGINX,
            upstreams=[f"127.0.0.1:{ports['a']}", f"127.0.0.1:{ports['b']}"],
            port=ports["nginx"],
            folder=rehearsal_folder,
        )
        # Workers with the nodes' settings, only without a web node's folders; one runs beat.
        worker_env = env | FAST_RECOVERY | {"MIRPAL_TESTING": "0"}
        workers = [
            Worker(smtp_port=sink.port, concurrency=2, env=worker_env),
            Worker(smtp_port=sink.port, concurrency=2, beat=True, env=worker_env),
        ]
        try:
            node_a.start()
            node_b.start()
            nginx.start()
            for each in workers:
                each.start()
            figures = rehearse(
                site=site, node_a=node_a, node_b=node_b, workers=workers, sink=sink, bucket=bucket
            )
        finally:
            for each in workers:
                each.stop()
            nginx.stop()
            node_a.stop()
            node_b.stop()
    with capsys.disabled():
        print(
            "\ntwo-node rehearsal: " + "; ".join(f"{key} {value}" for key, value in figures.items())
        )


def rehearse(*, site, node_a, node_b, workers, sink, bucket) -> dict:
    figures = {}

    # 1. Sign up through nginx and follow the link in the mail.
    newcomer = requests.Session()
    # The membership application as tests/members/test_application_flow.py fills it in.
    answer = post_page(newcomer, f"{site}/accounts/signup/", application("newcomer@example.org"))
    assert answer.status_code == 302, answer.text[-3000:]
    assert wait_until(lambda: sink.to("newcomer@example.org"), timeout=60)
    link = re.search(
        r"https?://\S+/accounts/confirm-email/\S+/",
        SmtpSink.text(sink.to("newcomer@example.org")[0]),
    ).group(0)
    assert link.startswith(site), link  # the mail names the site, not a node
    confirmed = post_page(newcomer, link, {})
    assert confirmed.status_code == 302
    verified = User.objects.get(email="newcomer@example.org").emailaddress_set.get()
    assert verified.verified
    figures["sign-up"] = "verified through nginx"

    # 2. The secretariat uploads a document on node A; node B serves it from the bucket.
    staff = SecretariatFactory(email="staff@mirpal.example")
    production_password(staff)
    secretariat = sign_in(site, staff.email, second_factor=True)
    pdf = pdf_upload("Rehearsal report on seasonal work")
    uploaded = post_page(
        secretariat,
        f"{node_a.url}/secretariat/admin/library/document/add/",
        {
            "kind": "study",
            "title_en": "Seasonal work rehearsal",
            "title_ru": "",
            "slug": "",
            "language": "en",
            "published_on": "2026-11-01",
            "abstract_en": "",
            "abstract_ru": "",
            "authors_text": "MIRPAL",
            "publisher": "MIRPAL",
            "topics": [Topic.objects.get(slug="remittances").pk],
            "countries": ["TJ"],
            "access": "public",
            "external_url": "",
            "event": "",
        },
        files={"file": ("report.pdf", pdf.read(), "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[-3000:]
    document = Document.objects.get(title_en="Seasonal work rehearsal")
    download = requests.get(f"{node_b.url}/library/documents/{document.pk}/download/", timeout=60)
    assert download.status_code == 200, download.status_code
    pdf.seek(0)
    assert download.content == pdf.read()
    assert [step.status_code for step in download.history] == [302]  # to a signed link
    assert node_a.files() == node_b.files() == []  # nothing on either node's disk
    stored = bucket.client().list_objects_v2(Bucket=bucket.bucket).get("KeyCount", 0)
    assert stored >= 1
    figures["files"] = (
        f"uploaded on A, downloaded through B, {stored} object(s) in the bucket, 0 on disk"
    )

    # 3. Six members register for three places at once, half on each node.
    event = EventFactory(capacity=CAPACITY)
    members = []
    for n in range(2 * CAPACITY):
        # In Armenia: outside the audience of the invitations below.
        profile = ProfileFactory(user__email=f"racer-{n}@example.org", country="AM")
        production_password(profile.user)
        members.append(sign_in(site, profile.user.email))
    page_urls = [
        f"{(node_a if n % 2 else node_b).url}/events/{event.slug}/" for n in range(len(members))
    ]
    tokens = [
        csrf_token(member.get(url, timeout=60))
        for member, url in zip(members, page_urls, strict=True)
    ]
    start = threading.Barrier(len(members))
    answers = [None] * len(members)

    def register(n: int) -> None:
        start.wait()
        answers[n] = (
            members[n]
            .post(
                f"{page_urls[n]}register/",
                data={"csrfmiddlewaretoken": tokens[n], "response": "going"},
                timeout=60,
                allow_redirects=False,
            )
            .status_code
        )

    threads = [threading.Thread(target=register, args=(n,)) for n in range(len(members))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [302] * len(members)
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["confirmed"] * CAPACITY + ["waiting"] * CAPACITY
    figures["registrations"] = (
        f"{len(members)} at once on two nodes for {CAPACITY} places: "
        f"{CAPACITY} confirmed, {CAPACITY} waiting"
    )

    # 4. Publish with invitations to 300 members; a web node and a worker die midway.
    members_bulk(INVITED, prefix="invited")
    draft = EventFactory(status="draft", sequence=0, published_at=None)
    sink.clear()
    published = post_page(
        secretariat,
        f"{site}/secretariat/admin/events/event/",
        {
            "action": "invite_events",
            "_selected_action": [draft.pk],
            "apply": "1",
            "audience": "country",
            "country": "KZ",
        },
    )
    assert published.status_code in (200, 302), published.status_code

    failures: list[str] = []
    reading = threading.Event()
    reading.set()

    def read_pages() -> None:
        # A visitor keeps reading through nginx while a node dies: GETs go to the living node.
        reader = requests.Session()
        while reading.is_set():
            try:
                status = reader.get(f"{site}/events/", timeout=30).status_code
            except requests.RequestException as error:
                failures.append(repr(error))
            else:
                if status != 200:
                    failures.append(str(status))
            time.sleep(0.05)

    invited = {f"invited-{n}@example.org" for n in range(INVITED)}
    reader = threading.Thread(target=read_pages)
    reader.start()
    try:
        assert wait_until(lambda: len(sink.messages) >= INVITED // 5, timeout=120)
        node_b.kill()
        workers[0].kill()
        # Accepted by the SMTP server but not yet marked sent: the only mails that may go twice.
        # Marked first, then delivered: the other worker goes on meanwhile, so this can only
        # count too many.
        marked = OutboxMessage.objects.filter(status="sent", to_email__startswith="invited-")
        marked_at_kill = marked.count()
        in_flight = sum(message["To"] in invited for message in sink.messages) - marked_at_kill
        assert wait_until(
            lambda: invited <= {message["To"] for message in sink.messages}, timeout=240
        )
        time.sleep(2)  # a mail a killed worker's process had in hand may still come
    finally:
        reading.clear()
        reader.join(60)
    recipients = [message["To"] for message in sink.messages if message["To"] in invited]
    duplicates = len(recipients) - len(set(recipients))
    assert set(recipients) == invited
    # At most one mail in the hand of each of the killed worker's two pool processes.
    assert duplicates <= 2
    assert failures == []
    figures["invitations"] = (
        f"{len(set(recipients))} of {INVITED} members mailed, {duplicates} twice "
        f"(at most {in_flight} in flight when node B and a worker were killed)"
    )
    figures["reads during the kill"] = "all answered 200"
    return figures
