# The audit log names refused attempts to change privileges (issue 13); choices only, no SQL.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mirpal", "0007_outbox_claim_session"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("approve", "approved"),
                    ("reject", "rejected"),
                    ("suspend", "suspended"),
                    ("publish", "published"),
                    ("cancel", "cancelled"),
                    ("create", "created"),
                    ("change", "changed"),
                    ("delete", "deleted"),
                    ("send", "sent"),
                    ("refuse", "refused"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
    ]
