"""Django's database session engine, saving a session that already exists in one statement.

Django's own ``save()`` wraps its UPDATE in ``transaction.atomic()``: inside a transaction
already open (a test, an atomic request) that is three statements, a savepoint, the
update and its release, for what a single UPDATE does atomically by itself. A session
whose row has gone (signed out elsewhere) raises ``UpdateError`` as Django's does.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        if self.session_key is None or must_create:
            return super().save(must_create=must_create)
        updated = self.model._default_manager.filter(session_key=self.session_key).update(
            session_data=self.encode(dict(self.items())),
            expire_date=self.get_expiry_date(),
        )
        if not updated:
            raise UpdateError
        return None
