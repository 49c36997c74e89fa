from django.core.management.base import BaseCommand

from members import demo as members_demo


class Command(BaseCommand):
    help = "Load demo data; running it again adds nothing that is already there."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300, help="fictional members to create")

    def handle(self, *args, members, **options):
        created = members_demo.load(members=members)
        self.stdout.write(f"demo data: {created['users']} new account(s)")
