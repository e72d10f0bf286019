"""Finding, removing and summarising synthetic provinces."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q

from devtools.synthetic.base import CODE_PREFIX, MARK, Params
from inspections.models import (
    CommuneChoice,
    ConclusionNotice,
    Finding,
    FindingEvidence,
    IssuedNumber,
    LegalDocument,
    Minutes,
    NumberRegister,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanBasis,
    PlanItem,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    Recommendation,
    RemediationFile,
    RemediationReport,
    ReportRequest,
    RequestMessage,
    ResultsReport,
    SentReminder,
    Submission,
    SubmissionAttachment,
    Team,
    TeamMember,
    TeamTarget,
    Verification,
    Visit,
)
from units.models import AdministrativeUnit, Agency, Level, Membership, UnitSuccession


def synthetic_provinces() -> models.QuerySet[AdministrativeUnit]:
    """Provinces made by the generator (reserved code and the mark in the note)."""
    return AdministrativeUnit.objects.filter(
        level=Level.PROVINCE, code__startswith=CODE_PREFIX, note__contains=MARK
    )


def existing(codes: Iterable[str]) -> dict[str, Params | None]:
    """The provinces among `codes` already present, with their parameters (None: not ours)."""
    return {
        unit.code: Params.from_note(unit.note)
        for unit in AdministrativeUnit.objects.filter(level=Level.PROVINCE, code__in=list(codes))
    }


def delete(province_ids: Iterable[int]) -> None:
    """Remove synthetic provinces and everything recorded in them, whether generated or added
    through the app afterwards.

    Leaves first, so no row still points at one being deleted; each step is one DELETE
    (`_raw_delete`): the ORM's cascade would load hundreds of thousands of rows only to find
    nothing left to cascade to. The shared file stays (other provinces point at it).
    """
    ids = list(province_ids)
    plans = Plan.objects.filter(province_id__in=ids)
    visits = Visit.objects.filter(plan__in=plans)
    findings = Finding.objects.filter(visit__in=visits)
    recommendations = Recommendation.objects.filter(finding__in=findings)
    requests = ReportRequest.objects.filter(plan__in=plans)
    targets = PlanTarget.objects.filter(plan__in=plans)
    items = PlanItem.objects.filter(plan__in=plans)
    teams = Team.objects.filter(plan__in=plans)
    users = list(
        get_user_model()
        .objects.filter(membership__province_id__in=ids)
        .values_list("pk", flat=True)
    )
    steps = [
        Verification.objects.filter(recommendation__in=recommendations),
        RemediationFile.objects.filter(report__recommendation__in=recommendations),
        RemediationReport.objects.filter(recommendation__in=recommendations),
        SentReminder.objects.filter(
            content_type__model="recommendation", object_id__in=recommendations.values("pk")
        ),
        recommendations,
        FindingEvidence.objects.filter(finding__in=findings),
        findings,
        Minutes.objects.filter(visit__in=visits),
        visits,
        CommuneChoice.objects.filter(target__in=targets),
        TeamTarget.objects.filter(team__in=teams),
        TeamMember.objects.filter(team__in=teams),
        teams,
        ConclusionNotice.objects.filter(plan__in=plans),
        ResultsReport.objects.filter(plan__in=plans),
        SubmissionAttachment.objects.filter(submission__request__in=requests),
        Submission.objects.filter(request__in=requests),
        RequestMessage.objects.filter(request__in=requests),
        SentReminder.objects.filter(
            content_type__model="reportrequest", object_id__in=requests.values("pk")
        ),
        requests,
        OutlineField.objects.filter(outline__plan__in=plans),
        OutlineSection.objects.filter(outline__plan__in=plans),
        Outline.objects.filter(plan__in=plans),
        PlanTarget.content_areas.through.objects.filter(plantarget__in=targets),
        targets,
        PlanItem.content_areas.through.objects.filter(planitem__in=items),
        PlanItem.references.through.objects.filter(planitem__in=items),
        items,
        PlanBasis.objects.filter(plan__in=plans),
        PlanTeamAgency.objects.filter(plan__in=plans),
        PlanTransition.objects.filter(plan__in=plans),
        plans,
        LegalDocument.objects.filter(province_id__in=ids),
        IssuedNumber.objects.filter(register__issuer__province_id__in=ids),
        NumberRegister.objects.filter(issuer__province_id__in=ids),
        Membership.objects.filter(user_id__in=users),
    ]
    with transaction.atomic():
        for queryset in steps:
            queryset._raw_delete(queryset.db)
        # Few rows, with the admin log and calendar feeds to cascade to: the ORM's delete.
        get_user_model().objects.filter(pk__in=users).delete()
        agencies = Agency.objects.filter(province_id__in=ids)
        agencies.update(parent=None, merged_into=None)
        agencies._raw_delete(agencies.db)
        units = AdministrativeUnit.objects.filter(Q(province_id__in=ids) | Q(pk__in=ids))
        UnitSuccession.objects.filter(Q(predecessor__in=units) | Q(successor__in=units)).delete()
        units.exclude(level=Level.PROVINCE)._raw_delete(units.db)
        units._raw_delete(units.db)


# Checking -----------------------------------------------------------------------------------


def summary(codes: Iterable[str]) -> dict:
    """Row counts of the provinces `codes` per kind of record, and a digest of their content by
    natural keys (codes, numbers, dates, texts — never primary keys), so two databases generated
    with the same seed compare equal."""
    ids = list(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, code__in=list(codes)).values_list(
            "pk", flat=True
        )
    )
    plans = Plan.objects.filter(province_id__in=ids)
    p = "plan__province__code", "plan__year"
    vp = "visit__plan__province__code", "visit__plan__year"
    rp = (
        "recommendation__finding__visit__plan__province__code",
        "recommendation__finding__visit__plan__year",
    )
    sets = {
        "units": AdministrativeUnit.objects.filter(Q(pk__in=ids) | Q(province_id__in=ids))
        .values_list("code", "name", "level", "kind", "parent__code"),
        "agencies": Agency.objects.filter(province_id__in=ids)
        .values_list("unit__code", "code", "name", "kind", "parent__code"),
        "memberships": Membership.objects.filter(province_id__in=ids).values_list(
            "user__username", "user__first_name", "user__last_name", "role", "agency__unit__code",
            "agency__code",
        ),
        "legal_documents": LegalDocument.objects.filter(province_id__in=ids)
        .values_list("province__code", "number", "symbol", "issued_on"),
        "plans": plans.values_list("province__code", "year", "number", "document_date", "status",
                                   "self_report_deadline", "period_start", "signer_name"),
        "plan_items": PlanItem.objects.filter(plan__in=plans)
        .values_list(*p, "parent__order", "order", "heading", "generated"),
        "plan_transitions": PlanTransition.objects.filter(plan__in=plans)
        .values_list(*p, "to_status", "by__username", "at"),
        "targets": PlanTarget.objects.filter(plan__in=plans).values_list(
            *p, "order", "agency__unit__code", "agency__code", "kind", "mode", "announced",
            "follows_up__plan__year",
        ),
        "outlines": Outline.objects.filter(plan__in=plans)
        .values_list(*p, "letter_number", "letter_date", "target_deadline"),
        "report_requests": ReportRequest.objects.filter(plan__in=plans)
        .values_list(*p, "agency__unit__code", "agency__code", "is_target", "deadline"),
        "submissions": Submission.objects.filter(request__plan__in=plans).values_list(
            "request__plan__province__code", "request__plan__year", "request__agency__unit__code",
            "request__agency__code", "deliverable", "version", "submitted_at", "late", "coverage",
            "below_threshold", "status",
        ),
        "request_messages": RequestMessage.objects.filter(request__plan__in=plans)
        .values_list("request__agency__unit__code", "author__username", "created_at"),
        "teams": Team.objects.filter(plan__in=plans)
        .values_list(*p, "name", "decision_number", "decision_date"),
        "team_members": TeamMember.objects.filter(team__plan__in=plans).values_list(
            "team__plan__province__code", "team__plan__year", "team__name", "order", "full_name",
            "role", "user__username",
        ),
        "visits": Visit.objects.filter(plan__in=plans).values_list(
            *p, "team__name", "agency__unit__code", "agency__code", "date", "start_time", "status"
        ),
        "findings": Finding.objects.filter(visit__plan__in=plans).values_list(
            *vp, "visit__agency__unit__code", "visit__agency__code", "kind",
            "content_area__number", "severity", "description",
        ),
        "recommendations": Recommendation.objects.filter(finding__visit__plan__in=plans)
        .values_list("finding__visit__plan__province__code", "finding__visit__plan__year",
                     "responsible__unit__code", "responsible__code", "text", "deadline_kind",
                     "due_date", "status"),
        "conclusion_notices": ConclusionNotice.objects.filter(plan__in=plans)
        .values_list(*p, "agency__unit__code", "agency__code", "number", "issued_on", "status"),
        "remediation_reports": RemediationReport.objects.filter(
            recommendation__finding__visit__plan__in=plans
        ).values_list(*rp, "recommendation__responsible__unit__code", "version", "submitted_at",
                      "late"),
        "verifications": Verification.objects.filter(
            recommendation__finding__visit__plan__in=plans
        ).values_list(*rp, "recommendation__responsible__unit__code", "report__version", "done",
                      "verified_at"),
        "results_reports": ResultsReport.objects.filter(plan__in=plans)
        .values_list(*p, "number", "issued_on", "status"),
        "number_registers": NumberRegister.objects.filter(issuer__province_id__in=ids)
        .values_list("issuer__unit__code", "issuer__code", "year", "symbol", "last_number"),
    }  # fmt: skip
    digest = hashlib.sha256()
    counts = {}
    for name, rows in sets.items():
        ordered = sorted(repr(row) for row in rows)
        counts[name] = len(ordered)
        digest.update(name.encode())
        for row in ordered:
            digest.update(row.encode())
    return {"counts": counts, "digest": digest.hexdigest()}


def states(codes: Iterable[str]) -> dict[str, dict[str, int]]:
    """How many rows of the provinces `codes` are in each state, per kind of record."""
    ids = list(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, code__in=list(codes)).values_list(
            "pk", flat=True
        )
    )
    plans = Plan.objects.filter(province_id__in=ids)

    def by(queryset, field):
        out = defaultdict(int)
        for value in queryset.values_list(field, flat=True):
            out[str(value)] += 1
        return dict(out)

    return {
        "plans": by(plans, "status"),
        "submissions": by(Submission.objects.filter(request__plan__in=plans), "status"),
        "late_submissions": by(Submission.objects.filter(request__plan__in=plans), "late"),
        "below_threshold": by(
            Submission.objects.filter(request__plan__in=plans), "below_threshold"
        ),
        "visits": by(Visit.objects.filter(plan__in=plans), "status"),
        "findings": by(Finding.objects.filter(visit__plan__in=plans), "kind"),
        "recommendations": by(
            Recommendation.objects.filter(finding__visit__plan__in=plans), "status"
        ),
        "targets": by(PlanTarget.objects.filter(plan__in=plans), "kind"),
        "notices": by(ConclusionNotice.objects.filter(plan__in=plans), "status"),
        "results_reports": by(ResultsReport.objects.filter(plan__in=plans), "status"),
    }
