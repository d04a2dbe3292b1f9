"""Pages for matching, clerical review and the person view. Thin: a form, one action or query, a page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import refuse, role_required
from accounts.models import User
from identity import access, actions, jjn, queries, registry
from identity.forms import (
    AgreementForm,
    EndAgreementForm,
    FindPersonForm,
    MatchForm,
    PairDecisionForm,
    PurposeForm,
    SplitDecisionForm,
    SplitRequestForm,
)
from identity.models import ReviewItem, SharingAgreement
from identity.routers import VAULT_DB
from identity.services import MatchRefused, match_person
from standard.templatetags.reference import body_name


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@role_required(*access.MATCH_ROLES, *access.PERSON_VIEW_ROLES, *access.REVIEW_ROLES, *access.OPERATOR_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "identity/index.html",
        {
            "can_match": access.can_match(user),
            "can_review": access.can_open_review(user),
            "can_view_people": access.can_view_people(user),
            "can_operate": access.can_operate(user),
            "open_counts": queries.open_review_counts(user) if access.can_open_review(user) else {},
            "overview": _linkage_overview() if access.can_see_linkage_overview(user) else None,
        },
    )


def _linkage_overview() -> queries.LinkageOverview:
    from analytics.standard import load_standard

    forces = {
        body.code
        for body_type in ("police_force", "non_territorial_force")
        for body in load_standard().bodies_of_type(body_type)
    }
    return queries.linkage_overview(force_codes=forces, examples=10)


@role_required(*access.MATCH_ROLES)
@require_http_methods(["GET", "POST"])
def match(request: HttpRequest) -> HttpResponse:
    form = MatchForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        details = {
            name: form.cleaned_data[name]
            for name in form.fields
            if name not in {"purpose", "allocate", "none_of_these"}
        }
        try:
            result = match_person(
                details,
                allocate=form.cleaned_data["allocate"],
                none_of_these=form.cleaned_data["none_of_these"],
                by=_user(request),
                purpose=form.cleaned_data["purpose"],
            )
        except MatchRefused as error:
            form.add_error(None, capfirst(f"{error}."))
    return render(request, "identity/match.html", {"form": form, "result": result})


@require_http_methods(["GET"])
def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if not access.can_open_review(request.user):
        return refuse(request, reason="clerical review needs a reviewing role or a sharing agreement")
    entries = queries.review_queue(_user(request), limit=queries.QUEUE_SHOWN)
    return render(
        request,
        "identity/review_queue.html",
        {
            "entries": entries,
            "more_waiting": len(entries) >= queries.QUEUE_SHOWN,
            "shown": queries.QUEUE_SHOWN,
        },
    )


def _review_item(request: HttpRequest, item_id: int) -> ReviewItem | HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    # Refused by role before the item is looked up, so the answer never tells whether the item exists.
    if not access.can_open_review(request.user):
        return refuse(request, reason="clerical review needs a reviewing role or a sharing agreement")
    item = ReviewItem.objects.using(VAULT_DB).select_related("number").filter(id=item_id).first()
    # Only reviewers who may decide any item (no bodies asked for) learn that one does not exist; someone
    # reviewing by agreement is answered for a missing item as for one their agreements do not cover.
    if item is None and access.can_review_bodies(request.user, set()):
        raise Http404
    if item is None or not access.can_review_bodies(request.user, queries.review_bodies(item)):
        return refuse(
            request, reason="no agreement covers every body in this review item", detail={"item": item_id}
        )
    return item


@require_http_methods(["GET", "POST"])
def review_item(request: HttpRequest, item_id: int) -> HttpResponse:
    found = _review_item(request, item_id)
    if isinstance(found, HttpResponse):
        return found
    item = found
    user = _user(request)
    # Every way in, a decision too, gives a purpose first: nothing of the vault is read without one.
    purpose_form = PurposeForm(request.POST or None)
    if request.method != "POST" or not purpose_form.is_valid():
        return render(
            request,
            "identity/purpose.html",
            {"form": purpose_form, "item": item, "title": _("Review a possible match")},
        )
    purpose = purpose_form.cleaned_data["purpose"]
    if "decide" not in request.POST:
        records = queries.review_records(item, by=user, purpose=purpose)
        return render(request, "identity/review_item.html", _decision_context(item, records, purpose))

    try:
        if item.kind == ReviewItem.Kind.PAIR:
            form: PairDecisionForm | SplitDecisionForm = PairDecisionForm(request.POST)
            if form.is_valid():
                outcome = actions.decide_pair(
                    item=item,
                    same_person=form.cleaned_data["decision"] == "same",
                    by=user,
                    note=form.cleaned_data["note"],
                    purpose=purpose,
                )
                messages.success(
                    request,
                    _("Decision recorded: %(outcome)s.") % {"outcome": outcome or _("different people")},
                )
                return redirect("identity:review")
        else:
            records = queries.review_records(item, by=user, purpose=purpose)
            form = SplitDecisionForm(
                request.POST, records=[(row["id"], row["person_ref"]) for row in records]
            )
            if form.is_valid():
                new = actions.decide_split(
                    item=item,
                    move_records=form.cleaned_data["move"],
                    by=user,
                    note=form.cleaned_data["note"],
                    purpose=purpose,
                )
                messages.success(
                    request,
                    _("Split done: the chosen records now have %(jjn)s.") % {"jjn": new}
                    if new
                    else _("Recorded: one person."),
                )
                return redirect("identity:review")
    except actions.ReviewError as error:
        messages.error(request, str(error))
        return redirect("identity:review")
    records = queries.review_records(item, by=user, purpose=purpose)
    context = _decision_context(item, records, purpose)
    context["form"] = form
    return render(request, "identity/review_item.html", context)


def _decision_context(item: ReviewItem, records: list[dict], purpose: str) -> dict:
    if item.kind == ReviewItem.Kind.PAIR:
        form: PairDecisionForm | SplitDecisionForm = PairDecisionForm(initial={"purpose": purpose})
    else:
        form = SplitDecisionForm(
            initial={"purpose": purpose}, records=[(row["id"], row["person_ref"]) for row in records]
        )
    return {"item": item, "records": records, "rows": _compare(records), "form": form}


_FIELD_LABELS = (
    ("body", "Body"),
    ("person_ref", "Body's reference"),
    ("jjn", "JJN"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("previous_names", "Previous names"),
    ("date_of_birth", "Date of birth"),
    ("postcode", "Postcode"),
    ("email", "E-mail"),
    ("phone", "Phone"),
)


def _compare(records: list[dict]) -> list[dict]:
    rows = []
    for name, label in _FIELD_LABELS:
        values = [body_name(record[name]) if name == "body" else record[name] for record in records]
        present = [value for value in values if value]
        rows.append(
            {"label": _(label), "values": values, "agree": len(set(present)) <= 1 and len(present) > 1}
        )
    return rows


@role_required(*access.PERSON_VIEW_ROLES)
@require_http_methods(["GET"])
def find_person(request: HttpRequest) -> HttpResponse:
    form = FindPersonForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("identity:person", value=form.cleaned_data["jjn"])
    return render(request, "identity/find_person.html", {"form": form})


@role_required(*access.PERSON_VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, value: str) -> HttpResponse:
    try:
        shown = jjn.display(value)
    except jjn.InvalidJJN as error:
        messages.error(request, _("That is not a JJN: %(reason)s.") % {"reason": error})
        return redirect("identity:find_person")
    if shown != value:
        return redirect("identity:person", value=shown)
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            view = queries.person_view(_user(request), shown, purpose=form.cleaned_data["purpose"])
        except registry.UnknownJJN as error:
            raise Http404(str(error)) from None
        may_split = access.can_request_split(request.user, queries.number_bodies(view.jjn))
        split_form = SplitRequestForm() if may_split else None
        return render(request, "identity/person.html", {"view": view, "split_form": split_form})
    return render(
        request, "identity/purpose.html", {"form": form, "jjn": shown, "title": _("See a person's journey")}
    )


@role_required(*access.PERSON_VIEW_ROLES, *access.REVIEW_ROLES)
@require_http_methods(["POST"])
def request_split(request: HttpRequest, value: str) -> HttpResponse:
    try:
        bodies: set[str] | None = queries.number_bodies(value)
    except (jjn.InvalidJJN, registry.UnknownJJN):
        bodies = None
    # A number never issued is refused as one with no record the user may see: nothing tells them apart.
    if not access.can_request_split(request.user, bodies or set()):
        return refuse(request, reason="split request for a number with no record the user may see")
    if bodies is None:  # a reviewer, who may send any number, gave one that does not exist
        raise Http404(_("There is no such Justice Journey Number."))
    form = SplitRequestForm(request.POST)
    if form.is_valid():
        actions.request_split(value=value, reason=form.cleaned_data["reason"], by=_user(request))
        messages.success(request, _("Sent to clerical review. Nothing changes until a reviewer decides."))
    else:
        messages.error(request, str(form.errors["reason"][0]))
    return redirect("identity:person", value=value)


@role_required(*access.OPERATOR_ROLES)
@require_http_methods(["GET", "POST"])
def agreements(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_agreement(
                by=_user(request),
                organisation=data["organisation"],
                source_body=data["source_body"].code,
                scope=data["scope"],
                reference=data["reference"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except actions.AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("identity:agreements")
    today = timezone.localdate()
    listed = SharingAgreement.objects.select_related("organisation").order_by(
        "organisation__name", "source_body"
    )
    rows = [(agreement, agreement.has_ended(today)) for agreement in listed]
    return render(request, "identity/agreements.html", {"form": form, "rows": rows, "today": today})


@role_required(*access.OPERATOR_ROLES)
@require_http_methods(["POST"])
def end_agreement(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = SharingAgreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    form = EndAgreementForm(request.POST)
    if form.is_valid():
        try:
            actions.end_agreement(
                by=_user(request), agreement=agreement, ends_on=form.cleaned_data["ends_on"]
            )
            messages.success(request, _("Agreement end date recorded."))
        except actions.AgreementError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Enter the end date as YYYY-MM-DD."))
    return redirect("identity:agreements")
