"""Read replicas: which server a request reads from (routing), and which replicas may serve (health).

Public reads (search, API, exports, feeds, browse, analysis pages) read a healthy replica; the admin,
imports, sessions, rate limits and every write use the primary (`default`). Code that runs raw SQL
for a public read takes its cursor from `read_connection()`, never from `django.db.connection`
(always the primary); the ORM follows the router by itself.
"""

from archive.replicas.routing import (
    PRIMARY,
    one_snapshot,
    read_alias,
    read_connection,
    read_from_primary_instead,
    reading_from,
)

__all__ = [
    "PRIMARY",
    "one_snapshot",
    "read_alias",
    "read_connection",
    "read_from_primary_instead",
    "reading_from",
]
