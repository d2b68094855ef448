"""The researcher's desk: saved searches, collections, snapshots and alerts (services and selectors).

Its models are in archive/desk_models.py; its pages in archive/views/desk.py and snapshots.py.
"""
