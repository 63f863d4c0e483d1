"""The first user acceptance agreement (ISP 8.8), accepted by every officer on first sign-in."""

import datetime

from django.db import migrations

TERMS_V1 = """\
This agreement is the user acceptance agreement that every user of the ISP Portal accepts on \
first sign-in, and again whenever its wording changes.

1. I will use the portal only for the purposes set out in the Information Sharing Protocol \
and the agreements made under it, and only as my role requires.

2. I will look at, ask for and share personal information only when I need to know it for a \
case I am working on. I understand that everything I do in the portal is recorded in an audit \
log that my agency, its Single Point of Contact and the protocol's auditors can read.

3. My account is mine alone. I will not share my password or my two-factor authentication \
device, and I will not let anyone else use the portal while I am signed in. I will sign out \
when I leave my device.

4. I will not print, copy, download or forward information from the portal except where the \
protocol allows it, and I will never send personal details by ordinary email.

5. I will store any information I am allowed to keep securely, keep it only as long as the \
agreement allows, and destroy it as the agreement requires.

6. I will tell my agency's Single Point of Contact at once if I think information has been \
lost, seen by someone who should not see it, or shared wrongly, or if I think someone else \
has used my account.

7. I will tell my agency's Single Point of Contact when information I have shared or received \
is inaccurate, so that every agency that holds it can correct it.

8. I understand that misuse of the portal or of the information in it may lead to my access \
being removed, to disciplinary action, and to action under the Data Protection Act 2018.
"""


def publish_version_1(apps: object, schema_editor: object) -> None:
    TermsVersion = apps.get_model("accounts", "TermsVersion")  # type: ignore[attr-defined]
    TermsVersion.objects.get_or_create(
        version=1,
        defaults={
            "text": TERMS_V1,
            "published_at": datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_terms_of_use")]

    operations = [migrations.RunPython(publish_version_1, migrations.RunPython.noop)]
