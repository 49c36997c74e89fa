from django.core.management.base import BaseCommand, CommandError

from mirpal.storage import ALIASES, bucket_storage, local_storage, storage_copy


class Command(BaseCommand):
    help = (
        "Copy the uploaded files from the local folders (MEDIA_ROOT, PROTECTED_MEDIA_ROOT) to the "
        "bucket named by MIRPAL_S3_*, or back. Files already there with the same size are "
        "skipped, so a run cut short can be started again. The source is kept unless "
        "--delete-source is given. Switch the site over (set or unset MIRPAL_S3_*) afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=["s3", "local"])
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="Delete each source file once its copy is in place.",
        )
        parser.add_argument(
            "--limit", type=int, help="Copy at most this many files per folder, then stop."
        )

    def handle(self, *args, to, delete_source, limit, **options):
        totals = {"copied": 0, "present": 0, "deleted": 0, "left": 0}
        for alias, (folder, _root) in ALIASES.items():
            try:
                bucket = bucket_storage(alias)
            except ValueError as error:
                raise CommandError(str(error)) from error
            local = local_storage(alias)
            source, target = (local, bucket) if to == "s3" else (bucket, local)
            counts = storage_copy(
                source=source, target=target, delete_source=delete_source, limit=limit
            )
            self.stdout.write(
                f"{folder}: {counts.copied} copied, {counts.present} already there, "
                f"{counts.deleted} deleted from the source, {counts.left} left for another run"
            )
            for key in totals:
                totals[key] += getattr(counts, key)
        self.stdout.write(
            f"total: {totals['copied']} copied, {totals['present']} already there, "
            f"{totals['deleted']} deleted from the source, {totals['left']} left for another run"
        )
