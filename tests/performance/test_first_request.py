"""The first request a fresh worker serves pays for no late import (issue #19).

The ``holidays`` package loads each country's calendar the first time it is asked for one,
which took most of a second on the first submission a new gunicorn worker handled. Loading
the app must load it, so working days cost no import later.
"""

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import datetime, sys
    import django
    django.setup()
    before = set(sys.modules)
    from requests_app.workdays import add_working_days
    add_working_days(datetime.date(2026, 12, 24), 10)
    print(sorted(m for m in set(sys.modules) - before if "holidays" in m))
    """
)


def test_working_days_import_nothing_after_the_app_has_loaded() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "isp_portal.settings"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]"
