"""Reads of staff accounts for the administrators' pages."""

from django.db.models import Q, QuerySet

from accounts.models import User


def find_accounts(query: str = "") -> QuerySet[User]:
    """Every account by user name, or those whose user name or organisation name contains `query`, or whose
    organisation code is `query` (any case); none for text holding a NUL character."""
    accounts = User.objects.select_related("organisation").order_by("username")
    if not query:
        return accounts
    if "\x00" in query:  # in no user name or organisation; PostgreSQL refuses it in text
        return accounts.none()
    return accounts.filter(
        Q(username__icontains=query)
        | Q(organisation__code__iexact=query)
        | Q(organisation__name__icontains=query)
    )
