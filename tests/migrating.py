"""Run a data migration against rows of the old shape, as an upgraded site would."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Node = tuple[str, str]


def _migrate(targets: list[Node]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@contextmanager
def migrating(app: str, before: str, after: str) -> Iterator[tuple[Apps, Callable[[], Apps]]]:
    """The models as they were at ``app`` migration ``before``; calling the second value
    migrates forward to ``after`` and returns the models as they are then. The database
    goes back to the latest schema afterwards, whatever happens."""
    old = _migrate([(app, before)])
    try:
        yield old, lambda: _migrate([(app, after)])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
