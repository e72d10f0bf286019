"""The steps of every official document of the round, in one set of views keyed by its type.

Submit, approve, return and issue are one view (`document_step`) for the plan, its amendments,
the team decision, the schedule notice, the minutes, the conclusion notices and the results
report: the URL names the step and the lifecycle type (`kind`, a key of
`services.lifecycle.TYPES`), and `lifecycle.may(user, kind, step)` — the table's roles —
decides who may take it. What differs per type is only how the document is reached from its
URL (`DOCUMENTS`: a record outside the user's view answers 404 before the step's roles are
asked, 403) and which service takes the step.
The downloads are served by `reports` (`reports.views._kept_or_live`: the kept bytes once issued).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import services
from inspections.access import get_notice_for_user, get_plan_for_user, get_visit_for_user
from inspections.forms import IssueForm, NoteForm
from inspections.locking import posted_version
from inspections.models import Minutes, PlanAmendment, ResultsReport
from inspections.services.lifecycle import may
from inspections.views.common import refused
from units.access import scope_for


def issue_posted(request: HttpRequest, call) -> None:
    """The issue step with the posted date, paper number and confirmation: `call(day=, number=,
    confirm=, by=)` is the document's issue service (`services.lifecycle.issue` underneath).
    Raises `ValidationError` when refused; warnings confirmed are shown."""
    form = IssueForm(request.POST)
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    data = form.cleaned_data
    for warning in call(
        day=data["document_date"], number=data["number"], confirm=data["confirm"], by=request.user
    ):
        messages.warning(request, _("Đã ban hành theo ngày trên văn bản giấy: %s") % warning)


# How each type is reached and stepped ---------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What the step views need of one document type.

    `fetch(user, **url kwargs)` gives (the document or None when not made yet, the page the
    steps return to), raising 404 for a record the user does not see. The step services take
    the document and the request: `submit`, `decide(document, by, approve, note)` and
    `issue(document, day=, number=, confirm=, by=)`; `issued` is the message after the issue."""

    fetch: Callable[..., tuple[Any, str]]
    issue: Callable[..., list[str]]
    issued: Callable[[Any], str]
    submit: Callable[[Any, HttpRequest], None] | None = None
    decide: Callable[..., None] | None = None
    missing: str = ""  # said when the document is not made yet (else 404)


def _plan(user, pk: int):
    plan = get_plan_for_user(user, pk)
    return plan, reverse("inspections:plan-detail", args=[plan.pk])


def _amendment(user, amendment_pk: int):
    amendments = PlanAmendment.objects.visible_to(scope_for(user)).select_related(
        "plan__issuer", "approved_by"
    )
    amendment = get_object_or_404(amendments, pk=amendment_pk)
    return amendment, reverse("inspections:amendment-detail", args=[amendment.pk])


def _team(user, pk: int, team_pk: int):
    plan = get_plan_for_user(user, pk)
    team = get_object_or_404(plan.teams.select_related("plan"), pk=team_pk)
    return team, reverse("inspections:team-detail", args=[plan.pk, team.pk])


def _minutes(user, visit_pk: int):
    # Team members see only their own team's visits: the others' answer 404.
    visit = get_visit_for_user(user, visit_pk)
    minutes = Minutes.objects.select_related("visit__plan__issuer").filter(visit=visit).first()
    return minutes, reverse("inspections:visit-detail", args=[visit.pk])


def _notice(user, notice_pk: int):
    notice = get_notice_for_user(user, notice_pk)
    return notice, reverse("inspections:conclusion-detail", args=[notice.pk])


def _results(user, pk: int):
    plan = get_plan_for_user(user, pk)
    report = ResultsReport.objects.filter(plan=plan).first()
    return report, reverse("inspections:results-report", args=[plan.pk])


def _plan_decide(plan, *, by, approve: bool, note: str) -> None:
    if approve:
        services.plan_approve(plan=plan, by=by, note=note)
    else:
        services.plan_return(plan=plan, by=by, note=note)


def _conclusion_submit(notice, request: HttpRequest) -> None:
    services.conclusion_submit(
        notice=notice,
        summary=request.POST.get("summary"),
        signer_name=request.POST.get("signer_name"),
        corrections=request.POST.get("corrections"),
        version=posted_version(request.POST),
    )


def _numbered(name: str, number_field: str, symbol_field: str) -> Callable[[Any], str]:
    return lambda document: (
        _("Đã ban hành %(name)s số %(n)02d/%(s)s.")
        % {
            "name": name,
            "n": getattr(document, number_field),
            "s": getattr(document, symbol_field),
        }
    )


DOCUMENTS: dict[str, Document] = {
    "plan": Document(
        fetch=_plan,
        submit=lambda plan, request: services.plan_submit(plan=plan, by=request.user),
        decide=_plan_decide,
        issue=lambda plan, *, day, **posted: services.plan_issue(
            plan=plan, document_date=day, **posted
        ),
        issued=lambda plan: _("Đã ban hành kế hoạch số %s.") % plan.number_display,
    ),
    "amendment": Document(
        fetch=_amendment,
        submit=lambda amendment, request: services.amendment_submit(amendment=amendment),
        decide=lambda amendment, **step: services.amendment_decide(amendment=amendment, **step),
        issue=lambda amendment, **posted: services.amendment_issue(amendment=amendment, **posted),
        issued=lambda amendment: _("Đã ban hành; các điều chỉnh đã áp dụng vào kế hoạch."),
    ),
    "decision": Document(
        fetch=_team,
        issue=lambda team, **posted: services.team_decision_issue(team=team, **posted),
        issued=_numbered(_("Quyết định"), "decision_number", "decision_symbol"),
    ),
    "schedule": Document(
        fetch=_team,
        issue=lambda team, **posted: services.schedule_notice_issue(team=team, **posted),
        issued=_numbered(_("Thông báo lịch kiểm tra"), "schedule_number", "schedule_symbol"),
    ),
    "minutes": Document(
        fetch=_minutes,
        issue=lambda minutes, **posted: services.minutes_issue(minutes=minutes, **posted),
        issued=_numbered(_("Biên bản"), "number", "symbol"),
    ),
    "conclusion": Document(
        fetch=_notice,
        submit=_conclusion_submit,
        decide=lambda notice, *, note, **step: services.conclusion_decide(
            notice=notice, reason=note, **step
        ),
        issue=lambda notice, **posted: services.conclusion_issue(notice=notice, **posted),
        issued=lambda notice: _("Đã ban hành; đơn vị đã xem được thông báo."),
    ),
    "results": Document(
        fetch=_results,
        submit=lambda report, request: services.results_report_submit(report=report),
        decide=lambda report, *, note, **step: services.results_report_decide(
            report=report, reason=note, **step
        ),
        issue=lambda report, **posted: services.results_report_issue(report=report, **posted),
        issued=lambda report: _("Đã cấp số và ban hành báo cáo kết quả."),
        missing=_("Chưa lập báo cáo kết quả: ghi nội dung và lưu trước."),
    ),
}


# The four steps -------------------------------------------------------------------------------


def _note(request: HttpRequest) -> str:
    """The leader's note (a reason, to return): one typed too long refuses the step."""
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["note"])
    return form.cleaned_data["note"]


def _submit(request: HttpRequest, spec: Document, document) -> str:
    spec.submit(document, request)
    return _("Đã gửi lãnh đạo duyệt.")


def _approve(request: HttpRequest, spec: Document, document) -> str:
    spec.decide(document, by=request.user, approve=True, note=_note(request))
    return _("Đã duyệt.")


def _give_back(request: HttpRequest, spec: Document, document) -> str:
    spec.decide(document, by=request.user, approve=False, note=_note(request))
    return _("Đã trả lại để sửa.")


def _issue(request: HttpRequest, spec: Document, document) -> str:
    issue_posted(request, lambda **posted: spec.issue(document, **posted))
    return spec.issued(document)


# Each step: what it does, returning the message said once it is done.
STEPS: dict[str, Callable[[HttpRequest, Document, Any], str]] = {
    "submit": _submit,
    "approve": _approve,
    "return": _give_back,
    "issue": _issue,
}


@login_required
@require_POST
def document_step(request: HttpRequest, kind: str, step: str, **url) -> HttpResponse:
    """`step` of a document of type `kind`: reach the document (404 outside the user's view),
    check the step's roles in the lifecycle table (403), then take it; a refusal is said on the
    page the step came from."""
    spec = DOCUMENTS[kind]
    document, back = spec.fetch(request.user, **url)
    if not may(request.user, kind, step):
        raise PermissionDenied
    if document is None:
        if not spec.missing:
            raise Http404
        messages.error(request, spec.missing)
        return redirect(back)
    try:
        done = STEPS[step](request, spec, document)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, done)
    return redirect(back)
