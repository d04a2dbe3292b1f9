"""The minimum dataset in the database, for pages and foreign keys: a copy of `standard/data/v<N>/`.

The files are the source; `justice-journey load_standard` copies them here. Every row belongs to one Code version,
so versions load side by side and a row is unique per (version, code).
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.privacy import Data

COLUMN_TYPES = ["string", "date", "datetime", "integer", "code", "flag"]
METRIC_KINDS = ["obligation", "proportion", "count"]


class BodyType(models.TextChoices):
    POLICE_FORCE = "police_force", _("Territorial police force")
    NON_TERRITORIAL_FORCE = "non_territorial_force", _("Non-territorial police force")
    CPS_AREA = "cps_area", _("CPS area")
    WITNESS_CARE_UNIT = "witness_care_unit", _("Witness Care Unit")
    HMCTS = "hmcts", _("HM Courts and Tribunals Service")
    PROBATION_REGION = "probation_region", _("Probation region")
    YOUTH_JUSTICE_SERVICE = "youth_justice_service", _("Youth justice service")
    LOCAL_POLICING_BODY = "local_policing_body", _("Local policing body")


class RoleHolderType(models.TextChoices):
    PCC = "pcc", _("Police and crime commissioner")
    PFCC = "pfcc", _("Police, fire and crime commissioner")
    MAYOR = "mayor", _("Mayor with police and crime commissioner functions")
    COMMON_COUNCIL = "common_council", _("Common Council of the City of London")


class CodeVersion(models.Model):
    """One version of the Victims' Code and its minimum dataset (a folder `standard/data/v<N>/`)."""

    version = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    in_force_from = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    # A digest of the version's files: an unchanged digest means a reload has nothing to do.
    checksum = models.CharField(max_length=64)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "version": Data.REFERENCE,
        "name": Data.REFERENCE,
        "in_force_from": Data.REFERENCE,
        "description": Data.REFERENCE,
        "checksum": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["version"]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Right(models.Model):
    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="rights")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField()
    responsible = models.CharField(max_length=200, blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "number": Data.REFERENCE,
        "title": Data.REFERENCE,
        "summary": Data.REFERENCE,
        "responsible": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["code_version", "number"], name="standard_right_unique")
        ]

    def __str__(self) -> str:
        return f"Right {self.number}: {self.title}"


class Metric(models.Model):
    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="metrics")
    code = models.CharField(max_length=64)
    right = models.ForeignKey(Right, on_delete=models.CASCADE, related_name="metrics")
    kind = models.CharField(max_length=16)
    title = models.CharField(max_length=300)
    trigger = models.CharField(max_length=64, blank=True)
    trigger_detail = models.CharField(max_length=64, blank=True)
    responses = models.JSONField(default=list)
    deadline_unit = models.CharField(max_length=16, blank=True)
    deadline = models.PositiveIntegerField(null=True, blank=True)
    enhanced_deadline = models.PositiveIntegerField(null=True, blank=True)
    responsible = models.CharField(max_length=200)
    higher_is_better = models.BooleanField(null=True, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "code": Data.REFERENCE,
        "right": Data.REFERENCE,
        "kind": Data.REFERENCE,
        "title": Data.REFERENCE,
        "trigger": Data.REFERENCE,
        "trigger_detail": Data.REFERENCE,
        "responses": Data.REFERENCE,
        "deadline_unit": Data.REFERENCE,
        "deadline": Data.REFERENCE,
        "enhanced_deadline": Data.REFERENCE,
        "responsible": Data.REFERENCE,
        "higher_is_better": Data.REFERENCE,
        "description": Data.REFERENCE,
        "position": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code_version", "code"], name="standard_metric_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=METRIC_KINDS), name="standard_metric_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Table(models.Model):
    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=32)
    key = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "name": Data.REFERENCE,
        "key": Data.REFERENCE,
        "position": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "position"]
        constraints = [models.UniqueConstraint(fields=["code_version", "name"], name="standard_table_unique")]

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="columns")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=16)
    required = models.BooleanField()
    required_when = models.CharField(max_length=100, blank=True)
    codelist = models.CharField(max_length=64, blank=True)
    description = models.TextField(blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "table": Data.REFERENCE,
        "name": Data.REFERENCE,
        "position": Data.REFERENCE,
        "type": Data.REFERENCE,
        "required": Data.REFERENCE,
        "required_when": Data.REFERENCE,
        "codelist": Data.REFERENCE,
        "description": Data.REFERENCE,
    }

    class Meta:
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code_version", "table", "name"], name="standard_column_unique"),
            models.CheckConstraint(
                condition=models.Q(type__in=COLUMN_TYPES), name="standard_column_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table.name}.{self.name}"


class Code(models.Model):
    """One code of one code list (`force`, `ethnicity`, `outcome_type`...)."""

    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="codes")
    codelist = models.CharField(max_length=64)
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    group = models.CharField(max_length=16, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "codelist": Data.REFERENCE,
        "code": Data.REFERENCE,
        "label": Data.REFERENCE,
        "group": Data.REFERENCE,
        "position": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "codelist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code_version", "codelist", "code"], name="standard_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.codelist}:{self.code}"


class EventType(models.Model):
    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="event_types")
    code = models.CharField(max_length=64)
    right = models.ForeignKey(
        Right, on_delete=models.CASCADE, related_name="event_types", null=True, blank=True
    )
    detail_codelist = models.CharField(max_length=64, blank=True)
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "code": Data.REFERENCE,
        "right": Data.REFERENCE,
        "detail_codelist": Data.REFERENCE,
        "description": Data.REFERENCE,
        "position": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code_version", "code"], name="standard_event_type_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Body(models.Model):
    """A criminal justice body or local policing body, by its stable code, and the police force areas it covers."""

    code_version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="bodies")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    body_type = models.CharField(max_length=32, choices=BodyType.choices)
    country = models.CharField(max_length=32)
    mapping_verified = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    # For a force: who oversees it when it has no local policing body (BTP, MDP).
    national_oversight = models.CharField(max_length=200, blank=True)
    annual_crimes = models.PositiveIntegerField(null=True, blank=True)
    forces = models.ManyToManyField("self", symmetrical=False, related_name="covered_by", blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "code": Data.REFERENCE,
        "name": Data.REFERENCE,
        "body_type": Data.REFERENCE,
        "country": Data.REFERENCE,
        "mapping_verified": Data.REFERENCE,
        "notes": Data.REFERENCE,
        "national_oversight": Data.REFERENCE,
        "annual_crimes": Data.REFERENCE,
        "forces": Data.REFERENCE,
    }

    class Meta:
        ordering = ["code_version", "body_type", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["code_version", "code"], name="standard_body_unique"),
            models.CheckConstraint(
                condition=models.Q(body_type__in=BodyType.values), name="standard_body_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LocalPolicingBody(models.Model):
    """Who holds the local policing body role for a force area: the role, never a person or a title."""

    code_version = models.ForeignKey(
        CodeVersion, on_delete=models.CASCADE, related_name="local_policing_bodies"
    )
    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="local_policing_body")
    role_holder_type = models.CharField(max_length=16, choices=RoleHolderType.choices)
    role_holder = models.CharField(max_length=200)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code_version": Data.REFERENCE,
        "body": Data.REFERENCE,
        "role_holder_type": Data.REFERENCE,
        "role_holder": Data.REFERENCE,
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code_version", "body"], name="standard_lpb_unique"),
            models.CheckConstraint(
                condition=models.Q(role_holder_type__in=RoleHolderType.values), name="standard_lpb_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.role_holder
