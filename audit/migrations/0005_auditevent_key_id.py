from django.db import migrations, models


class Migration(migrations.Migration):
    """Every event names the key that signed it. The events before this migration were all
    signed by the one key then configured (AUDIT_HMAC_KEY, or SECRET_KEY where that was
    unset); they get key id "1", the default id of the current key, and docs/security.md
    says how to keep verifying them after that key is rotated.

    Adding a column with a default writes no row (PostgreSQL stores the default in the
    catalogue; SQLite copies the table), so the append-only triggers are not in the way.
    """

    dependencies = [("audit", "0004_rights_event_types")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="1", max_length=20),
            preserve_default=False,
        ),
    ]
