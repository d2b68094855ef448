"""Every ORM write of an article brings the stories up to date when its transaction commits.

The importer's COPY writes send no signal: it calls `catch_up` inside each batch's transaction.
"""

from __future__ import annotations

from django.db import transaction


def _catch_up() -> None:
    from archive.derived.stories.maintain import catch_up

    catch_up()


def queue_catch_up(**_kwargs) -> None:
    """Once per transaction, however many articles it writes."""
    connection = transaction.get_connection()
    if any(callback is _catch_up for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_catch_up)
