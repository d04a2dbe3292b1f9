"""Identity endpoints: check a JJN, and match a person online (signed-in staff, with a purpose)."""

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from accounts.access import refuse
from accounts.models import User
from identity import access, jjn
from identity.forms import MatchForm
from identity.services import MatchRefused, match_person

router = Router(tags=["Identity"])
MATCH_DETAILS = ("given_name", "family_name", "date_of_birth", "postcode", "email", "phone")


class JJNCheckOut(Schema):
    value: str
    valid: bool
    jjn: str | None = None
    reason: str | None = None


class MatchIn(Schema):
    given_name: str | None = None
    family_name: str | None = None
    # Text that the page's form reads, as it reads every detail: a date that is not one (1985-13-45) gets 400
    # naming the field, not a validation list.
    date_of_birth: str | None = Field(None, description="YYYY-MM-DD")
    postcode: str | None = None
    email: str | None = None
    phone: str | None = None
    # Read by the form too, so that a missing purpose gets 400 naming it, as a short one does.
    purpose: str | None = Field(
        None, description="why the person is looked up: 10 to 500 characters; required"
    )
    allocate: bool = False
    none_of_these: bool = False


class CandidateOut(Schema):
    jjn: str
    probability: float


class MatchOut(Schema):
    status: str
    jjn: str | None
    candidates: list[CandidateOut]
    new_number_held: bool


class Problem(Schema):
    detail: str


@router.get("/jjn/check", response=JJNCheckOut, summary="Check a Justice Journey Number", auth=None)
def check_jjn(request: HttpRequest, value: str) -> JJNCheckOut:
    """Validates the format and check character only; it says nothing about whether the number was issued."""
    try:
        return JJNCheckOut(value=value, valid=True, jjn=jjn.display(value))
    except jjn.InvalidJJN as error:
        return JJNCheckOut(value=value, valid=False, reason=str(error))


@router.post(
    "/match", response={200: MatchOut, 400: Problem, 403: Problem}, summary="Match a person", auth=django_auth
)
def match(request: HttpRequest, details: MatchIn) -> Status:
    """The JJN when one match is certain, candidates when not; a new JJN with `allocate`."""
    user = request.user
    if not isinstance(user, User) or not access.can_match(user):
        refuse(request, reason="online matching needs a front-line role")
        return Status(403, Problem(detail="your role may not match people"))
    # The page's form holds the rules for each detail (lengths, a real e-mail address, the purpose).
    form = MatchForm({name: "" if value is None else value for name, value in details.dict().items()})
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items()
        )
        return Status(400, Problem(detail=problems))
    given = form.cleaned_data
    try:
        result = match_person(
            {name: given[name] or None for name in MATCH_DETAILS},
            allocate=given["allocate"],
            none_of_these=given["none_of_these"],
            by=user,
            purpose=given["purpose"],
        )
    except MatchRefused as error:
        return Status(400, Problem(detail=str(error)))
    return Status(
        200,
        MatchOut(
            status=result.status,
            jjn=result.jjn,
            candidates=[CandidateOut(jjn=c.jjn, probability=c.probability) for c in result.candidates],
            new_number_held=result.new_number_held,
        ),
    )
