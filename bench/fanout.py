"""Fan-out of invitations, two measures.

`main`: messages per second into an SMTP sink for 10,000 invitations through the outbox and a real
Celery worker, next to a plain smtplib loop sending the same messages to the same sink in the same
run, and the ratio; the CPU each side spends per message (the worker's processes and their
PostgreSQL sessions, read from /proc, against the loop's own), which the machine's other load does
not move; and how fast the invitations are rendered and written (in this process).

`publish_main`: the secretariat publishes an event to 20,000 members from the admin, through
gunicorn as in production: how long the admin request takes (it records the decision; a worker
writes and sends the invitations), and how long until the last invitation is in the SMTP sink.

Runs against the bench database; the members it needs (fanout-<n>@example.org) are created once.
The worker takes tasks from a queue of its own (mirpal-bench), so a development worker never
takes them.
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import os
import smtplib
import socket
import time

INVITATIONS = int(os.environ.get("BENCH_FANOUT", "10000"))
PUBLISH_MEMBERS = int(os.environ.get("BENCH_PUBLISH", "20000"))
WORKER_CONCURRENCY = max(min(os.cpu_count() or 2, 8), 2)
QUEUE = "mirpal-bench"


def _members(count: int) -> list[int]:
    from members.models import Profile, User
    from tests.events.mail_members import members_bulk

    existing = list(
        User.objects.filter(email__startswith="fanout-", email__endswith="@example.org")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(existing) < count:
        User.objects.filter(pk__in=existing).delete()
        existing = members_bulk(count, prefix="fanout")
        # Mail recipients, not directory entries: the directory's scenarios count --members.
        Profile.objects.filter(user_id__in=existing).update(listed_in_directory=False)
    return existing[:count]


def _event(*, draft: bool = False):
    from django.utils import timezone

    from events.models import Event

    starts = timezone.now() + datetime.timedelta(days=30)
    return Event.objects.create(
        slug=f"bench-fanout-{time.time_ns()}",
        kind="video_conference",
        status="draft" if draft else "published",
        title_en="Fan-out benchmark",
        title_ru="Замер рассылки",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        platform="zoom",
        join_url="https://zoom.example/j/BENCH",
        published_at=None if draft else timezone.now(),
        sequence=0 if draft else 1,
    )


class _CountingHandler:
    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += len(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _sink_serve(port: int, counter, stop) -> None:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(_CountingHandler(counter), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


class CountingSink:
    """An SMTP server in a process of its own that only counts what it accepts, so neither the
    worker nor the plain loop shares an interpreter (or a parser's cost) with it."""

    def __init__(self):
        from tests.smtp import free_port

        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("i", 0)
        self._stop = context.Event()
        self._process = context.Process(
            target=_sink_serve, args=(self.port, self.counter, self._stop), daemon=True
        )

    def start(self) -> None:
        self._process.start()
        if not _wait(self._listening, timeout=20):
            raise RuntimeError("the SMTP sink did not start")

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    @property
    def count(self) -> int:
        return self.counter.value

    def clear(self) -> None:
        with self.counter.get_lock():
            self.counter.value = 0

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process, from /proc; None once it has ended."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_group(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[2]) == pgid:
                        pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return pids


class CpuMeter:
    """CPU seconds spent since `start()` by the worker's processes and by the PostgreSQL sessions
    of the bench database other than this process's own (the worker's, since nothing else uses
    that database meanwhile), read from /proc as the figures of the pages are. Sampled twice a
    second, so a process that ends keeps what it had used when last seen; one that appears is
    counted from zero. The server must be on this machine (it is, on loopback)."""

    INTERVAL = 0.5

    def __init__(self, worker_pgid: int):
        self.worker_pgid = worker_pgid
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._sampled = 0.0

    def _pids(self) -> list[tuple[str, int]]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            database = [("database", pid) for (pid,) in cursor.fetchall()]
        return [("worker", pid) for pid in _process_group(self.worker_pgid)] + database

    def start(self) -> None:
        self.sample(force=True, starting=True)

    def sample(self, *, force: bool = False, starting: bool = False) -> None:
        if not force and time.monotonic() - self._sampled < self.INTERVAL:
            return
        self._sampled = time.monotonic()
        for key in self._pids():
            seconds = _cpu_seconds(key[1])
            if seconds is not None:
                self.first.setdefault(key, seconds if starting else 0.0)
                self.last[key] = seconds

    def seconds(self, side: str) -> float:
        return sum(self.last[key] - self.first[key] for key in self.last if key[0] == side)


def _plain_loop(rows, port: int) -> float:
    """The same messages, built the same way, over one smtplib connection; returns seconds."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for row in rows:
            email = EmailMultiAlternatives(
                subject=row.subject,
                body=row.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[row.to_email],
                headers={"Message-ID": row.message_id, **row.headers},
            )
            if row.body_html:
                email.attach_alternative(row.body_html, "text/html")
            for attachment in row.attachments:
                email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
            smtp.sendmail(
                settings.DEFAULT_FROM_EMAIL,
                [row.to_email],
                email.message().as_bytes(linesep="\r\n"),
            )
    return time.perf_counter() - started


def main() -> int:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.conf import settings
    from django.db import transaction

    from events import services
    from events.audiences import Audience
    from events.mail import invitations, kinds
    from mirpal.celery import app
    from mirpal.models import OutboxMessage
    from tests.worker import Worker, purge_test_queue

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
    app.conf.task_default_queue = QUEUE
    purge_test_queue()

    began = time.monotonic()
    ids = _members(INVITATIONS)
    print(f"fan-out: {len(ids):,} members ready in {time.monotonic() - began:.1f} s")
    sink = CountingSink()
    sink.start()
    try:
        event = _event()
        # The invitations are written here, before the worker starts, so that the worker's
        # figure below is sending alone; the run's own task, queued at the commit, finds it done.
        with transaction.atomic():
            result = services.event_invite(
                event=event,
                audience=Audience(kind="users", user_ids=tuple(ids)),
                by=None,
            )
        rendered = time.perf_counter()
        while invitations.invitation_run_write(run_id=result.run.pk):
            pass
        render_seconds = time.perf_counter() - rendered
        with Worker(
            smtp_port=sink.port,
            concurrency=WORKER_CONCURRENCY,
            env={"CELERY_QUEUE": QUEUE, "LOG_LEVEL": "WARNING"},
        ) as worker:
            meter = CpuMeter(worker.process.pid)  # the worker leads a process group of its own
            meter.start()
            committed = time.perf_counter()

            def all_arrived() -> bool:
                meter.sample()
                return sink.count >= result.invited

            if not _wait(all_arrived, timeout=300):
                print(f"only {sink.count:,} of {result.invited:,} arrived", flush=True)
                return 1
            outbox_seconds = time.perf_counter() - committed
            meter.sample(force=True)
        rows = list(
            OutboxMessage.objects.filter(
                idempotency_key__startswith=kinds.event_mail_prefix(event)
            ).order_by("pk")
        )
        sink.clear()
        plain_cpu = time.process_time()
        plain_seconds = _plain_loop(rows, sink.port)
        plain_cpu = time.process_time() - plain_cpu
        assert sink.count == len(rows)
    finally:
        sink.stop()
    outbox_rate = result.invited / outbox_seconds
    plain_rate = len(rows) / plain_seconds
    print(
        f"rendering {result.invited:,} invitations (language, time zone, .ics, signed links) "
        f"and writing them to the outbox, {settings.MAIL_RUN_CHUNK_SIZE} per transaction: "
        f"{render_seconds:.1f} s "
        f"({result.invited / render_seconds:,.0f} per s)"
    )
    print(f"{'fan-out into the SMTP sink':<58}  {'msg/s':>8}  {'seconds':>7}")
    label = (
        f"outbox + Celery worker (prefork x{WORKER_CONCURRENCY}, "
        f"batches of {settings.OUTBOX_BATCH_SIZE})"
    )
    print(f"{label:<58}  {outbox_rate:>8.0f}  {outbox_seconds:>7.1f}")
    print(
        f"{'plain smtplib loop, one connection, same messages':<58}  {plain_rate:>8.0f}  "
        f"{plain_seconds:>7.1f}"
    )
    print(f"ratio outbox / plain loop: {outbox_rate / plain_rate:.2f}")
    # CPU per message does not depend on what else the machine runs; the sink's is left out of
    # both sides, as it is the same work.
    worker_ms = 1000 * meter.seconds("worker") / result.invited
    database_ms = 1000 * meter.seconds("database") / result.invited
    plain_ms = 1000 * plain_cpu / len(rows)
    print(
        f"CPU per message: outbox worker {worker_ms:.2f} ms + its PostgreSQL sessions "
        f"{database_ms:.2f} ms; plain loop {plain_ms:.2f} ms; "
        f"ratio plain / outbox: {plain_ms / (worker_ms + database_ms):.2f}"
    )
    return 0


def _audience_topic(user_ids: list[int]):
    """A topic followed by exactly these members, so the admin form can name them as its audience
    (the demo members follow the site's own topics, never this one)."""
    from members.models import Profile
    from mirpal.models import Topic

    topic, _created = Topic.objects.get_or_create(
        slug="bench-publish", defaults={"name_en": "Bench audience", "name_ru": "Замер: адресаты"}
    )
    through = Profile.interests.through
    through.objects.filter(topic=topic).exclude(profile__user_id__in=user_ids).delete()
    profiles = Profile.objects.filter(user_id__in=user_ids).values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(profile_id=pk, topic_id=topic.pk) for pk in profiles],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return topic


def _admin_post(*, port: int, cookie: str, path: str, fields: dict) -> tuple[int, float]:
    """The admin form's POST as a browser sends it (session, CSRF cookie and token); returns the
    status and the seconds the request took."""
    import http.client
    import re
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode

    from bench.server import HOST

    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    if response.status != 200 or token is None or "csrftoken" not in cookies:
        raise RuntimeError(f"GET {path} answered {response.status} without a CSRF token")
    body = urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}, doseq=True)
    started = time.perf_counter()
    connection.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{cookie}; csrftoken={cookies['csrftoken'].value}",
        },
    )
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return response.status, seconds


def publish_main(*, members: int = PUBLISH_MEMBERS) -> int:
    """Publish a draft to `members` members from the admin, with gunicorn, a worker and the sink
    running; print the request's time and the time until the last invitation arrived."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.conf import settings
    from django.urls import reverse

    from bench.run import session_cookie
    from bench.scenarios import SECRETARIAT_EMAIL
    from bench.server import BASE_DIR, server_start
    from demo import members as demo
    from events.models import InvitationRun
    from mirpal.celery import app
    from tests.worker import Worker, purge_test_queue

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
    app.conf.task_default_queue = QUEUE
    os.environ["CELERY_QUEUE"] = QUEUE  # gunicorn queues the run's task where our worker listens
    purge_test_queue()

    began = time.monotonic()
    demo.load(members=0)  # the secretariat's account
    ids = _members(members)
    topic = _audience_topic(ids)
    event = _event(draft=True)
    print(f"publish: {len(ids):,} members ready in {time.monotonic() - began:.1f} s")
    sink = CountingSink()
    sink.start()
    # One worker process: the request measured is one click, and the GET before it warms the
    # process that answers it, as a site in use would have.
    server = server_start(workers=1, log=BASE_DIR / ".local" / "bench" / "gunicorn-publish.log")
    try:
        cookie = session_cookie(
            port=server.port, email=SECRETARIAT_EMAIL, password=demo.DEMO_PASSWORD
        )
        with Worker(
            smtp_port=sink.port,
            concurrency=WORKER_CONCURRENCY,
            env={"CELERY_QUEUE": QUEUE, "LOG_LEVEL": "WARNING"},
        ):
            clicked = time.perf_counter()
            status, request_seconds = _admin_post(
                port=server.port,
                cookie=cookie,
                path=reverse("admin:events_event_changelist"),
                fields={
                    "action": "invite_events",
                    "_selected_action": [event.pk],
                    "apply": "1",
                    "audience": "topic",
                    "topic": topic.pk,
                },
            )
            if status != 302:
                print(f"the admin answered {status}; see {server.log}", flush=True)
                return 1
            run = InvitationRun.objects.get(event=event)
            arrived = _wait(lambda: sink.count >= run.total, timeout=1800)
            last_seconds = time.perf_counter() - clicked
            if not arrived:
                print(f"only {sink.count:,} of {run.total:,} arrived", flush=True)
                return 1
            run.refresh_from_db()
    finally:
        server.stop()
        sink.stop()
    print(
        f"publish to {run.total:,} members from the admin (gunicorn, worker prefork "
        f"x{WORKER_CONCURRENCY}, chunks of {settings.MAIL_RUN_CHUNK_SIZE}):"
    )
    print(f"  the admin request (publish, fix who is invited, queue): {request_seconds:.2f} s")
    print(
        f"  until the last of {run.total:,} invitations is in the SMTP sink: {last_seconds:.1f} s "
        f"({run.total / last_seconds:,.0f} per s); run {run.status}, "
        f"{run.written:,} of {run.total:,} written"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
