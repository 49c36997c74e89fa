from django.core.management.base import BaseCommand

from demo import events as events_demo
from demo import exchange as exchange_demo
from demo import history as history_demo
from demo import library as library_demo
from demo import members as members_demo
from demo import portal as portal_demo
from demo import practices as practices_demo
from demo import programme as programme_demo
from demo import roster as roster_demo


class Command(BaseCommand):
    help = "Load demo data; running it again adds nothing that is already there."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="fictional members to create")
        parser.add_argument("--experts", type=int, default=25, help="fictional experts to create")
        parser.add_argument(
            "--documents",
            type=int,
            default=300,
            help="library documents (the first 300 with a PDF; more for benchmarks, e.g. 50000)",
        )
        parser.add_argument(
            "--events",
            type=int,
            default=42,
            help="events (the first 42 written out; 1000 or more for benchmarks, e.g. 2000)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=len(exchange_demo.THREADS),
            help="discussions (the first 24 written out; 1000 or more for benchmarks, with one "
            "thread of 200 answers)",
        )

    def handle(self, *args, members, experts, documents, events, threads, **options):
        created = members_demo.load(members=members)
        self.stdout.write(f"demo data: {created['users']} new account(s)")
        created = roster_demo.load(experts=experts)
        self.stdout.write(f"demo data: {created['experts']} new expert(s)")
        # Events take their speakers from the roster and registrations from the members above.
        created = events_demo.load(events=events)
        self.stdout.write(
            f"demo data: {created['events']} new event(s), "
            f"{created['registrations']} new registration(s)"
        )
        created = library_demo.load(documents=documents)
        self.stdout.write(
            f"demo data: {created['issues']} new magazine issue(s), "
            f"{created['documents']} new library document(s)"
        )
        self.stdout.write(f"demo data: {portal_demo.load()['supporters']} new partner(s), donor(s)")
        # Three years of past applications, events, searches and downloads, for the panel's figures.
        created = history_demo.load()
        self.stdout.write(
            f"demo data: {created['applications']} application(s) dated, "
            f"{created['events']} past event(s), {created['searches']} past search(es), "
            f"{created['downloads']} past download(s)"
        )
        # Members and experts above write, answer and are invited.
        created = exchange_demo.load(threads=threads)
        self.stdout.write(
            f"demo data: {created['threads']} new discussion(s), {created['posts']} new answer(s) "
            "and replies"
        )
        # Cases name members and experts as contacts; collections gather what is above.
        created = practices_demo.load()
        self.stdout.write(
            f"demo data: {created['cases']} new good-practice case(s), "
            f"{created['collections']} new collection(s), "
            f"{created['figures']} new country figure(s)"
        )
        # The work programme: this year's activities became the events above.
        created = programme_demo.load()
        self.stdout.write(
            f"demo data: {created['proposals']} new programme proposal(s), "
            f"{created['activities']} new activity(ies) this year"
        )
