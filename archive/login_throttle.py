"""django-axes with two limits: one per (username, address) pair and a higher one per address.

Axes compares every lockout parameter with the same AXES_FAILURE_LIMIT, so an address-wide limit could
only equal the per-user one (one office's typos would lock the whole office). Here the address's
failures, whatever the usernames, are counted on their own against AXES_ADDRESS_FAILURE_LIMIT.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off time, for any username."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitedAxesHandler(AxesDatabaseHandler):
    """The database handler, plus a lockout of an address that failed too often (password spraying)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))  # locked, as if the pair were
        return pair
