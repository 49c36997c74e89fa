from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mirpal", "0010_audit_action_close_account"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookdelivery",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="being sent until"),
        ),
    ]
