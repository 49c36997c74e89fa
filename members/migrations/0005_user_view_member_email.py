# Who among staff sees members' email addresses (issue 13): a permission, given to the manager
# role by mirpal.roles; options only, no SQL.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_directory_sort_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("view_member_email", "Can see members' email addresses")],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
    ]
