"""Login lockouts (django-axes): a username + address pair, and one address across usernames.

django-axes counts failures per lockout parameter but compares them all with one failure limit,
so a per-address limit in AXES_LOCKOUT_PARAMETERS would lock a whole town office behind one NAT
after five typos. Instead axes keeps counting the pair, and its failure limit (this callable)
drops to zero while the address as a whole has failed LOGIN_ADDRESS_FAILURE_LIMIT times within
the cool-off: every username from that address is then refused until the failures age out.
A successful login clears that user's failures (AXES_RESET_ON_SUCCESS), so colleagues' typos
that ended in a login do not count against the address.
"""

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off, whatever the username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def address_locked(request) -> bool:
    return address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: the pair's limit, or 0 (locked whatever the username) for an address
    past its own limit."""
    if address_locked(request):
        request.login_address_locked = True
        return 0
    return settings.LOGIN_PAIR_FAILURE_LIMIT
