"""The derived tables: kept by the triggers and functions in sql/, refreshed by refresh.py.

Read model tables (rolled-up ids, facet groups, closures, day counts, browse counts, vocabulary)
are written only here and by the database's own triggers; archive.search only reads them.
"""
