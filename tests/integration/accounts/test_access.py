"""Each access function, once per role (and for people with no access at all)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts import access
from accounts.models import AuditEvent, Organisation, Role
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db

AVON_AREA = {
    "E23000036",
    "WCU-E23000036",
    "CPS-SW",
    "PR-SW",
    "YJS-BRISTOL",
    "YJS-BATH-AND-NORTH-EAST-SOMERSET",
    "YJS-NORTH-SOMERSET",
    "YJS-SOUTH-GLOUCESTERSHIRE",
    "YJS-SOMERSET",
}


@pytest.fixture
def people():
    factories.all_organisations()
    return factories.one_of_each_role()


def test_only_a_submitter_may_submit_and_only_for_its_own_body(people):
    assert access.can_submit_for(people[Role.SUBMITTER], "E23000036")
    assert not access.can_submit_for(people[Role.SUBMITTER], "E23000035")
    for role in (Role.ANALYST, Role.LOCAL_REVIEWER, Role.NATIONAL_ANALYST, Role.ADMINISTRATOR):
        assert not access.can_submit_for(people[role], people[role].organisation.code)
    assert not access.can_submit_for(AnonymousUser(), "E23000036")


def test_submitter_and_analyst_see_their_own_body(people):
    assert access.visible_body_codes(people[Role.SUBMITTER]) == {"E23000036"}
    assert access.visible_body_codes(people[Role.ANALYST]) == {"E23000036"}


def test_local_reviewer_sees_every_body_in_the_area_and_nothing_beyond(people):
    visible = access.visible_body_codes(people[Role.LOCAL_REVIEWER])
    assert visible == AVON_AREA
    # Neighbours sharing the CPS area and probation region stay out of sight.
    assert "E23000035" not in visible and "WCU-E23000035" not in visible
    assert "HMCTS" not in visible and "BTP" not in visible


def test_national_analyst_sees_every_submitting_body(people):
    visible = access.visible_body_codes(people[Role.NATIONAL_ANALYST])
    assert (
        len(visible)
        == Organisation.objects.exclude(kind__in=["local_policing_body", "national"]).count()
        > 280
    )
    assert {"BTP", "MDP", "HMCTS", "W15000004", "YJS-BRISTOL"} <= visible
    assert "MOJ" not in visible and "LPB-E23000036" not in visible


def test_administrator_and_anonymous_see_no_data(people):
    assert access.visible_body_codes(people[Role.ADMINISTRATOR]) == frozenset()
    assert access.visible_body_codes(AnonymousUser()) == frozenset()


def test_national_view_is_for_national_analysts_only(people):
    assert [role for role, user in people.items() if access.can_view_national(user)] == [
        Role.NATIONAL_ANALYST
    ]


def test_administering_is_for_administrators_only(people):
    assert [role for role, user in people.items() if access.can_administer(user)] == [Role.ADMINISTRATOR]


def test_an_inactive_account_or_organisation_loses_all_access(people):
    analyst, national = people[Role.ANALYST], people[Role.NATIONAL_ANALYST]
    analyst.is_active = False
    assert access.visible_body_codes(analyst) == frozenset()
    Organisation.objects.filter(code="MOJ").update(is_active=False)
    national.organisation.refresh_from_db()
    assert not access.can_view_national(national)
    assert access.visible_body_codes(national) == frozenset()


def _guarded_request(user):
    request = RequestFactory().get("/oversight/reviews/")
    request.user = user
    return request


@access.role_required(Role.LOCAL_REVIEWER, Role.NATIONAL_ANALYST)
def _oversight_view(request):
    return HttpResponse("reviews")


def test_role_required_lets_the_named_roles_through(people):
    for role in (Role.LOCAL_REVIEWER, Role.NATIONAL_ANALYST):
        assert _oversight_view(_guarded_request(people[role])).content == b"reviews"


def test_role_required_refuses_other_roles_with_the_403_page_and_an_audit_event(people):
    response = _oversight_view(_guarded_request(people[Role.ANALYST]))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()
    event = AuditEvent.objects.get(action="access.refused")
    assert (event.actor_label, event.target, event.outcome) == ("analyst", "/oversight/reviews/", "refused")
    assert event.detail == {"role": "analyst", "required": ["local_reviewer", "national_analyst"]}


def test_role_required_sends_anonymous_people_to_sign_in(people):
    response = _oversight_view(_guarded_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/oversight/reviews/"
    assert not AuditEvent.objects.filter(action="access.refused").exists()


def test_role_required_mixin_guards_class_based_views(people):
    from django.views import View

    class Reviews(access.RoleRequiredMixin, View):
        roles = [Role.NATIONAL_ANALYST]

        def get(self, request):
            return HttpResponse("national")

    view = Reviews.as_view()
    assert view(_guarded_request(people[Role.NATIONAL_ANALYST])).status_code == 200
    assert view(_guarded_request(people[Role.SUBMITTER])).status_code == 403
