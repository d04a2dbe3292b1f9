import pytest
from django.db import DatabaseError, transaction

from accounts.models import AuditEvent
from identity import actions, registry
from identity.models import JusticeJourneyNumber, RegistryEvent, ReviewItem, VictimRecord
from identity.services import register_victims
from tests.factories.identity import person, staff

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def two_people() -> tuple[str, str]:
    numbers = register_victims(
        body="E23000036",
        records=[person("P1"), person("P2", given_name="Amy", family_name="Thornbury-Hale")],
        by=None,
    )
    return numbers["P1"], numbers["P2"]


def test_merge_keeps_the_oldest_and_the_other_resolves_to_it():
    older, newer = two_people()
    survivor = actions.merge(first=newer, second=older, by=None, reason="linkage", actor_label="linkage")
    assert survivor == older
    assert registry.resolve(newer) == older
    assert registry.resolve(older) == older
    assert set(registry.aliases(newer)) == {older, newer}
    assert set(VictimRecord.objects.using("vault").values_list("jjn__number", flat=True)) == {
        older.replace("-", "")
    }
    kinds = list(
        RegistryEvent.objects.using("vault")
        .filter(number__number=newer.replace("-", ""))
        .values_list("kind", flat=True)
    )
    assert kinds == ["issued", "merged_into"]
    assert AuditEvent.objects.filter(action="identity.merge", target=f"jjn:{older}").exists()


def test_resolve_follows_a_chain_of_merges():
    first, second = two_people()
    third = register_victims(body="CPS-SW", records=[person("C1", given_name="Zed")], by=None)["C1"]
    actions.merge(first=second, second=third, by=None, reason="linkage")
    actions.merge(first=first, second=second, by=None, reason="linkage")
    assert registry.resolve(third) == first


def test_a_number_can_be_superseded_only_once_and_never_deleted_or_renamed():
    older, newer = two_people()
    actions.merge(first=older, second=newer, by=None, reason="linkage")
    row = JusticeJourneyNumber.objects.using("vault").get(number=newer.replace("-", ""))
    with pytest.raises(DatabaseError), transaction.atomic(using="vault"):
        JusticeJourneyNumber.objects.using("vault").filter(pk=row.pk).update(superseded_by=None)
    with pytest.raises(DatabaseError), transaction.atomic(using="vault"):
        JusticeJourneyNumber.objects.using("vault").filter(pk=row.pk).update(number="JJ000000000000")
    with pytest.raises(DatabaseError), transaction.atomic(using="vault"):
        RegistryEvent.objects.using("vault").filter(number=row).delete()
    with pytest.raises(DatabaseError), transaction.atomic(using="vault"):
        RegistryEvent.objects.using("vault").filter(number=row).update(kind="issued")
    assert registry.resolve(newer) == older


def test_a_split_goes_to_review_and_keeps_lineage():
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    shared = numbers["P1"]
    assert numbers["P2"] == shared
    item = actions.request_split(
        value=shared, reason="two dates of address history", by=None, actor_label="analyst"
    )
    assert item.status == "open"
    assert VictimRecord.objects.using("vault").filter(jjn__number=shared.replace("-", "")).count() == 2

    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    moved = VictimRecord.objects.using("vault").get(person_ref="P2")
    new = actions.decide_split(
        item=item, move_records=[moved.id], by=reviewer, note="different people", purpose="data quality"
    )
    assert new is not None and new != shared
    moved.refresh_from_db()
    assert moved.jjn.display == new
    assert registry.resolve(shared) == shared  # the original number keeps its meaning for the other record
    kinds = list(
        RegistryEvent.objects.using("vault").filter(number=moved.jjn).values_list("kind", "other__number")
    )
    assert kinds == [("issued", None), ("split_from", shared.replace("-", ""))]
    assert ReviewItem.objects.using("vault").get(pk=item.pk).status == "confirmed"


def test_a_rejected_pair_sharing_a_number_raises_a_split_request():
    numbers = register_victims(body="E23000036", records=[person("P1"), person("P2")], by=None)
    left, right = VictimRecord.objects.using("vault").order_by("id")
    actions.raise_pairs([(left.id, right.id, 0.5)], by=None, actor_label="linkage")
    item = ReviewItem.objects.using("vault").get(kind="pair")
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    assert (
        actions.decide_pair(item=item, same_person=False, by=reviewer, note="", purpose="review")
        == "split requested"
    )
    assert (
        ReviewItem.objects.using("vault")
        .filter(kind="split", number__number=numbers["P1"].replace("-", ""))
        .exists()
    )
    assert actions.rejected_pairs([(right.id, left.id)]) == {(left.id, right.id)}
    # Raising the same pair again does nothing: the decision stands.
    assert actions.raise_pairs([(right.id, left.id, 0.6)], by=None, actor_label="linkage") == 0


def test_of_two_reviewers_deciding_one_pair_from_the_same_page_only_the_first_is_applied():
    _older, newer = two_people()
    left, right = VictimRecord.objects.using("vault").order_by("id")
    actions.raise_pairs([(left.id, right.id, 0.5)], by=None, actor_label="linkage")
    first_page = ReviewItem.objects.using("vault").get(kind="pair")
    second_page = ReviewItem.objects.using("vault").get(kind="pair")  # read before the first decided
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    actions.decide_pair(item=first_page, same_person=False, by=reviewer, note="first", purpose="review")
    with pytest.raises(actions.ReviewError, match="already been decided"):
        actions.decide_pair(item=second_page, same_person=True, by=reviewer, note="second", purpose="review")
    decided = ReviewItem.objects.using("vault").get(kind="pair")
    assert (decided.status, decided.decision_note) == ("rejected", "first")
    assert registry.resolve(newer) == newer  # the second answer merged nothing
    assert AuditEvent.objects.filter(action="identity.pair_decided").count() == 1
    assert first_page.status == "rejected" and second_page.status == "open"


def test_of_two_reviewers_deciding_one_split_only_the_first_is_applied():
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    item = actions.request_split(value=numbers["P1"], reason="two people", by=None, actor_label="analyst")
    stale = ReviewItem.objects.using("vault").get(pk=item.pk)
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    moved = VictimRecord.objects.using("vault").get(person_ref="P2")
    actions.decide_split(item=item, move_records=[moved.id], by=reviewer, note="", purpose="review")
    with pytest.raises(actions.ReviewError, match="not an open split request"):
        actions.decide_split(item=stale, move_records=[], by=reviewer, note="", purpose="review")
    assert ReviewItem.objects.using("vault").get(pk=item.pk).status == "confirmed"
    kinds = RegistryEvent.objects.using("vault").values_list("kind", flat=True)
    assert "split_rejected" not in kinds and list(kinds).count("split_decided") == 1


def test_a_refused_split_decision_leaves_the_item_open():
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    item = actions.request_split(value=numbers["P1"], reason="two people", by=None, actor_label="analyst")
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    every = list(VictimRecord.objects.using("vault").values_list("id", flat=True))
    with pytest.raises(actions.ReviewError, match="leave at least one record"):
        actions.decide_split(item=item, move_records=every, by=reviewer, note="", purpose="review")
    assert ReviewItem.objects.using("vault").get(pk=item.pk).status == "open" and item.status == "open"


def test_an_open_split_request_follows_its_number_into_a_merge():
    older, newer = two_people()
    item = actions.request_split(value=newer, reason="two people", by=None, actor_label="analyst")
    actions.merge(first=older, second=newer, by=None, reason="linkage", actor_label="linkage")
    item.refresh_from_db()
    assert item.number.display == older and item.status == "open"
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    moved = VictimRecord.objects.using("vault").get(person_ref="P2")
    new = actions.decide_split(item=item, move_records=[moved.id], by=reviewer, note="", purpose="review")
    moved.refresh_from_db()
    assert moved.jjn.display == new and registry.resolve(older) == older


def test_an_item_with_no_records_is_shown_to_no_one_under_an_agreement():
    from identity import access
    from tests.factories.identity import agreement

    analyst = staff("hmcts", role="analyst", organisation_code="HMCTS")
    agreement(analyst, "E23000036", scope="clerical_review")
    assert access.can_review_bodies(analyst, {"E23000036"})
    assert not access.can_review_bodies(analyst, set())
    assert access.can_review_bodies(
        staff("national", role="national_analyst", organisation_code="NAT"), set()
    )


def test_a_decided_split_keeps_its_records_apart_after_their_number_is_merged():
    from identity.linkage import _split_decisions

    older = register_victims(body="CPS-SW", records=[person("Q1", given_name="Zed")], by=None)["Q1"]
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    shared = numbers["P1"]
    item = actions.request_split(value=shared, reason="two people", by=None, actor_label="analyst")
    p1, p2 = (VictimRecord.objects.using("vault").get(person_ref=ref).id for ref in ("P1", "P2"))
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    actions.decide_split(item=item, move_records=[p2], by=reviewer, note="", purpose="review")
    actions.merge(first=older, second=shared, by=None, reason="review", actor_label="review")
    assert registry.resolve(shared) == older  # P1 now holds the older number; the split number held none
    apart, _together = _split_decisions()
    assert (str(p2), str(p1)) in apart
