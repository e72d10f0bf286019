"""Teams, communes of inspected districts and the schedule of visits."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.pagecache.cache import kept_page
from inspections import services
from inspections.access import (
    can,
    get_notice_for_user,
    get_plan_for_role,
    get_visit_for_recorder,
    get_visit_for_user,
    may_record,
)
from inspections.filters import ConclusionFilter, VisitFilter, of_plan
from inspections.forms import (
    FindingForm,
    MinutesForm,
    RecommendationForm,
    TeamForm,
    TeamMemberForm,
    VisitForm,
)
from inspections.history import notice_history, team_history, visit_history
from inspections.models import (
    CalendarFeed,
    ConclusionNotice,
    Finding,
    IssuedRendition,
    Minutes,
    NoticeStatus,
    Plan,
    PlanTarget,
    Recommendation,
    ScheduleNotice,
    Team,
    TeamTarget,
    Visit,
    frozen_message,
)
from inspections.services.lifecycle import may
from inspections.todo import selection_title
from inspections.views.common import (
    History,
    form_errors,
    plan_section,
    posted_ids,
    refused,
    wants_section,
)
from units.access import PROVINCE_ROLES, require_role, scope_for
from units.models import Agency, Level, Role


def _team(request, pk: int, team_pk: int, *roles) -> Team:
    plan = get_plan_for_role(request.user, pk, *roles)
    return get_object_or_404(plan.teams.select_related("plan"), pk=team_pk)


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        try:
            team = services.team_create(
                plan=plan, name=request.POST.get("name", ""), by=request.user
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lập %s.") % team.name)
            return redirect("inspections:team-detail", pk=plan.pk, team_pk=team.pk)
    all_teams = plan.teams.prefetch_related("members", "assignments__target__agency")
    return render(
        request,
        "inspections/teams.html",
        {"plan": plan, "teams": all_teams, "can_edit": can(request.user, Role.STAFF)},
    )


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    team = _team(request, pk, team_pk, *PROVINCE_ROLES)
    history = History(request, lambda: team_history(team))
    if answer := history.answer():
        return answer
    plan = team.plan
    assigned = TeamTarget.objects.filter(team__plan=plan).values("target_id")
    visible = PlanTarget.objects.visible_to(request.user).filter(plan=plan)
    return render(
        request,
        "inspections/team_detail.html",
        {
            "plan": plan,
            "team": team,
            "members": team.members.select_related("agency", "user"),
            "assignments": team.assignments.filter(target__in=visible)
            .select_related("target__agency__unit")
            .prefetch_related("target__communes__agency"),
            "free_targets": visible.exclude(pk__in=assigned).select_related("agency"),
            "member_form": TeamMemberForm(
                province_ids=scope_for(request.user).province_ids,
                day=plan.document_date,
                plan=plan,
            ),
            "team_form": TeamForm(instance=team),
            "can_edit": can(request.user, Role.STAFF) and not team.is_issued,
            "can_issue": may(request.user, "decision", "issue") and not team.is_issued,
            "can_issue_schedule": may(request.user, "schedule", "issue")
            and team.is_issued
            and not team.schedule_issued,
            "rendition": IssuedRendition.objects.of(team).first() if team.is_issued else None,
            "schedule_rendition": IssuedRendition.objects.of(ScheduleNotice(pk=team.pk)).first()
            if team.schedule_issued
            else None,
            **history.context(),
        },
    )


@login_required
@require_POST
def team_edit(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    team = _team(request, pk, team_pk, Role.STAFF)
    form = TeamForm(request.POST, instance=team)
    if team.is_issued:
        messages.error(request, _("Quyết định đã ban hành: không sửa được."))
    elif form.is_valid():
        try:
            form.save()  # refused if someone saved the team since the form was loaded
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lưu."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("inspections:team-detail", pk=pk, team_pk=team.pk)


@login_required
@require_POST
def team_member_add(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    team = _team(request, pk, team_pk, Role.STAFF)
    form = TeamMemberForm(
        request.POST,
        province_ids=scope_for(request.user).province_ids,
        day=team.plan.document_date,
        plan=team.plan,
    )
    if form.is_valid():
        try:
            services.team_member_add(team=team, **form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã thêm %s.") % form.cleaned_data["full_name"])
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label}: {error}" if field in form.fields else error,
                )
    return redirect("inspections:team-detail", pk=pk, team_pk=team.pk)


@login_required
@require_POST
def team_targets_assign(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    team = _team(request, pk, team_pk, Role.STAFF)
    targets = list(team.plan.targets.filter(pk__in=posted_ids(request.POST.getlist("targets"))))
    if not targets:
        messages.error(request, _("Chưa chọn đối tượng nào: đánh dấu ít nhất một đối tượng."))
    else:
        try:
            added = services.team_targets_assign(team=team, targets=targets)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã giao %d đối tượng cho đoàn.") % added)
    return redirect("inspections:team-detail", pk=pk, team_pk=team.pk)


# Communes -----------------------------------------------------------------------------------


def _district_target(request, pk: int, target_pk: int, *roles) -> PlanTarget:
    plan = get_plan_for_role(request.user, pk, *roles)
    return get_object_or_404(
        PlanTarget.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("agency__unit", "plan"),
        pk=target_pk,
        agency__unit__level=Level.DISTRICT,
    )


@login_required
@require_GET
def communes(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    target = _district_target(request, pk, target_pk, *PROVINCE_ROLES)
    chosen = list(target.communes.select_related("agency", "chosen_by"))
    chosen_ids = {c.agency_id for c in chosen}
    # A commune already in the plan on its own (a re-inspection, say) is marked as such.
    in_plan = {
        t.agency_id: t.get_kind_display()
        for t in PlanTarget.objects.visible_to(request.user).filter(plan=target.plan)
    }
    quota = target.plan.communes_per_district
    return render(
        request,
        "inspections/communes.html",
        {
            "plan": target.plan,
            "target": target,
            "chosen": chosen,
            "candidates": [
                (agency, year, in_plan.get(agency.pk))
                for agency, year in services.commune_candidates(target)
                if agency.pk not in chosen_ids
            ],
            "remaining": max((quota or 0) - len(chosen), 0) if quota else None,
            "can_edit": can(request.user, Role.STAFF),
        },
    )


@login_required
@require_POST
def communes_choose(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    target = _district_target(request, pk, target_pk, Role.STAFF)
    agencies = list(Agency.objects.filter(pk__in=posted_ids(request.POST.getlist("agencies"))))
    try:
        if not agencies:
            raise ValidationError(_("Chưa chọn xã nào: đánh dấu xã cần kiểm tra."))
        services.communes_choose(target=target, agencies=agencies, by=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, _("Đã chọn %d xã.") % len(agencies))
    return redirect("inspections:communes", pk=pk, target_pk=target.pk)


@login_required
@require_POST
def communes_draw(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    target = _district_target(request, pk, target_pk, Role.STAFF)
    try:
        drawn = services.communes_draw(target=target, by=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        seed = drawn[0].seed if drawn else None
        messages.success(
            request,
            _("Đã bốc thăm %(n)d xã (mã bốc thăm %(seed)s).") % {"n": len(drawn), "seed": seed},
        )
    return redirect("inspections:communes", pk=pk, target_pk=target.pk)


# Schedule -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@kept_page
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, *PROVINCE_ROLES)
    # The form names every target of the teams and their communes: it grows with the plan, so
    # it is built when asked for (htmx, or ?add=1 without script) or posted.
    wants_form = wants_section(request, VISIT_FORM) or bool(request.GET.get("add"))
    if request.method == "POST" or wants_form:
        require_role(request.user, Role.STAFF)
    form = (
        VisitForm(request.POST or None, plan=plan)
        if request.method == "POST" or wants_form
        else None
    )
    if request.method == "POST" and form.is_valid():
        target_pk, agency_pk = form.cleaned_data.pop("where")
        try:
            visit = services.visit_schedule(
                target=get_object_or_404(plan.targets, pk=target_pk),
                agency=get_object_or_404(Agency, pk=agency_pk),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lên lịch kiểm tra %s.") % visit.agency.name)
            for warning in services.visit_warnings(visit):
                messages.warning(request, warning)
            return redirect("inspections:schedule", pk=plan.pk)
    if wants_section(request, VISIT_FORM):
        return render(
            request, "inspections/schedule.html#visit_form", {"plan": plan, "visit_form": form}
        )
    context = schedule_section(request, plan)
    if wants_section(request, "visits-section"):
        return render(request, "inspections/_schedule_section.html", context)
    return render(
        request,
        "inspections/schedule.html",
        {**context, "visit_form": form, "can_edit": can(request.user, Role.STAFF)},
    )


VISIT_FORM = "visit-form"  # the element htmx fills with the form to schedule a visit


def schedule_section(request: HttpRequest, plan: Plan) -> dict:
    """One page of the plan's visits, in date order, of the team asked for (all by default),
    with the visit list's filters and the count of each team: a constant number of queries."""
    filters = of_plan(VisitFilter, request, plan)
    teams = list(plan.teams.order_by("pk"))
    filters.form.fields["team"].queryset = plan.teams.all()
    counts = filters.status_counts("team", {str(t.pk): (t.name, Q(team=t.pk)) for t in teams})
    visits = filters.qs.order_by("date", "start_time", "pk")
    section = plan_section(request, filters, visits, param="team", counts=counts)
    return {**section, "plan": plan, "visits": section["page"]}


@login_required
@require_GET
def my_visits(request: HttpRequest) -> HttpResponse:
    """Every visit the user may see, across plans, as a month or week calendar and a list."""
    filters = VisitFilter(request.GET, request=request)
    visits = filters.qs  # with ?todo=…, opened from the home's to-do
    view = "week" if request.GET.get("view") == "week" else "month"
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = timezone.localdate()
    if not datetime.MINYEAR < anchor.year < datetime.MAXYEAR:
        anchor = timezone.localdate()  # the calendar around it would leave the years Python has
    if view == "week":
        start = anchor - datetime.timedelta(days=anchor.weekday())
        weeks = [[start + datetime.timedelta(days=i) for i in range(7)]]
        previous, following = start - datetime.timedelta(days=7), start + datetime.timedelta(days=7)
    else:
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        first = anchor.replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
    by_day: dict[datetime.date, list] = {}
    for visit in visits.filter(date__range=(weeks[0][0], weeks[-1][-1])):
        by_day.setdefault(visit.date, []).append(visit)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    page = Paginator(visits.order_by("-date", "start_time"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inspections/my_visits.html",
        {
            "form": filters.form,
            "counts": filters.status_counts(),
            "page": page,
            "view": view,
            "anchor": anchor,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "can_open": can(request.user, *PROVINCE_ROLES),
            "todo_title": selection_title("visits", request.GET),
            "previous": previous,
            "following": following,
            "feed_url": request.build_absolute_uri(
                reverse("reports:visits-calendar", args=[feed.token])
            )
            if feed
            else None,
        },
    )


@login_required
@require_POST
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Create the user's calendar address, or replace it (the old one stops working)."""
    services.calendar_feed_for(request.user, reset=True)
    messages.success(
        request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ (nếu có) không còn dùng được.")
    )
    return redirect("inspections:my-visits")


# A visit: minutes, findings, recommendations ------------------------------------------------


def _open_amendment(frozen_by: ConclusionNotice | None) -> ConclusionNotice | None:
    """Once the visit is frozen, findings go only into the amending notice being drafted."""
    if frozen_by is None:
        return None
    return frozen_by.amendments.exclude(status=NoticeStatus.ISSUED).order_by("pk").first()


@login_required
@require_GET
def visit_detail(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_pk)
    history = History(request, lambda: visit_history(visit))
    if answer := history.answer():
        return answer
    minutes = Minutes.objects.filter(visit=visit).first()
    findings = visit.findings.select_related("content_area").prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("responsible"),
        ),
        "evidence",
    )
    can_record = may_record(request.user, visit)
    frozen_by = visit.frozen_by()
    amendment = _open_amendment(frozen_by) if can_record else None
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "plan": visit.plan,
            "minutes": minutes,
            "findings": findings,
            "can_record": can_record,
            # The buttons: the server refuses all the same (services.visits, `RestsOnNotice`).
            "can_edit": can_record and frozen_by is None,
            "frozen_by": frozen_by,
            "rendition": IssuedRendition.objects.of(minutes).first()
            if frozen_by and minutes
            else None,
            "frozen_message": frozen_message(frozen_by) if frozen_by else "",
            "amendment": amendment,
            "can_conclude": can(request.user, Role.STAFF),
            "minutes_form": MinutesForm(instance=minutes),
            "finding_form": FindingForm(),
            "recommendation_form": RecommendationForm(visit=visit, amendment=amendment),
            "today": timezone.localdate(),
            "to_verify": services.recommendations_to_verify(visit),
            **history.context(),
        },
    )


@login_required
@require_POST
def minutes_save(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_visit_for_recorder(request.user, visit_pk)
    form = MinutesForm(request.POST, instance=Minutes.objects.filter(visit=visit).first())
    if form.is_valid():
        try:
            services.minutes_save(visit=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lưu biên bản."))
    else:
        form_errors(request, form)
    return redirect("inspections:visit-detail", visit_pk=visit.pk)


@login_required
@require_POST
def finding_add(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_visit_for_recorder(request.user, visit_pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        amendment = _open_amendment(visit.frozen_by())
        try:
            services.finding_add(
                visit=visit, by=request.user, amendment=amendment, **form.cleaned_data
            )
        except ValidationError as error:
            refused(request, error)
        else:
            if amendment:
                messages.success(
                    request, _("Đã ghi kết quả bổ sung vào thông báo kết luận điều chỉnh, bổ sung.")
                )
            else:
                messages.success(request, _("Đã ghi kết quả kiểm tra."))
    else:
        form_errors(request, form)
    return redirect("inspections:visit-detail", visit_pk=visit.pk)


@login_required
@require_POST
def recommendation_add(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_visit_for_recorder(request.user, visit_pk)
    form = RecommendationForm(
        request.POST, visit=visit, amendment=_open_amendment(visit.frozen_by())
    )
    if form.is_valid():
        try:
            recommendation = services.recommendation_add(**form.cleaned_data)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request,
                _("Đã ghi kiến nghị, hạn khắc phục %s.")
                % recommendation.due_date.strftime("%d/%m/%Y"),
            )
    else:
        form_errors(request, form)
    return redirect("inspections:visit-detail", visit_pk=visit.pk)


# Changing or removing a finding or recommendation, until its notice is issued ---------------


def _record(request, visit_pk: int, model, pk: int):
    """A finding or recommendation of the visit, for someone who may record on it."""
    visit = get_visit_for_recorder(request.user, visit_pk)
    field = "visit" if model is Finding else "finding__visit"
    return visit, get_object_or_404(model.objects.filter(**{field: visit}), pk=pk)


def _frozen_redirect(request, record, visit: Visit) -> HttpResponse | None:
    """Back to the visit, saying why, when an issued notice rests on the record."""
    finding = record if isinstance(record, Finding) else record.finding
    notice = finding.frozen_by()
    if notice is None:
        return None
    messages.error(request, frozen_message(notice))
    return redirect("inspections:visit-detail", visit_pk=visit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, visit_pk: int, finding_pk: int) -> HttpResponse:
    visit, finding = _record(request, visit_pk, Finding, finding_pk)
    if frozen := _frozen_redirect(request, finding, visit):
        return frozen
    form = FindingForm(request.POST or None, instance=finding)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_change(finding=finding, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã sửa kết quả kiểm tra."))
            return redirect("inspections:visit-detail", visit_pk=visit.pk)
    return _record_form(request, visit, form, _("Sửa kết quả kiểm tra"))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, visit_pk: int, pk: int) -> HttpResponse:
    visit, recommendation = _record(request, visit_pk, Recommendation, pk)
    if frozen := _frozen_redirect(request, recommendation, visit):
        return frozen
    form = RecommendationForm(
        request.POST or None,
        instance=recommendation,
        visit=visit,
        amendment=_open_amendment(visit.frozen_by()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_change(recommendation=recommendation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã sửa kiến nghị."))
            return redirect("inspections:visit-detail", visit_pk=visit.pk)
    return _record_form(request, visit, form, _("Sửa kiến nghị"))


def _record_form(request, visit: Visit, form, title: str) -> HttpResponse:
    return render(
        request,
        "inspections/record_form.html",
        {"visit": visit, "plan": visit.plan, "form": form, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, visit_pk: int, finding_pk: int) -> HttpResponse:
    return _record_delete(request, *_record(request, visit_pk, Finding, finding_pk))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_delete(request: HttpRequest, visit_pk: int, pk: int) -> HttpResponse:
    return _record_delete(request, *_record(request, visit_pk, Recommendation, pk))


def _record_delete(request, visit: Visit, record) -> HttpResponse:
    """GET asks for confirmation, naming what goes with the record; POST removes it."""
    if frozen := _frozen_redirect(request, record, visit):
        return frozen
    if request.method == "POST":
        try:
            services.record_remove(record)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã xoá."))
        return redirect("inspections:visit-detail", visit_pk=visit.pk)
    is_finding = isinstance(record, Finding)
    return render(
        request,
        "inspections/record_delete.html",
        {
            "visit": visit,
            "plan": visit.plan,
            "record": record,
            "title": _("Xoá kết quả kiểm tra") if is_finding else _("Xoá kiến nghị"),
            "text": record.description if is_finding else record.text,
            "consequences": services.removal_consequences(record),
        },
    )


# Conclusion notices -------------------------------------------------------------------------


@login_required
@require_GET
def conclusion_list(request: HttpRequest) -> HttpResponse:
    filters = ConclusionFilter(request.GET, request=request)
    notices = filters.qs  # with ?todo=…, opened from the home's to-do
    page = Paginator(notices, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/conclusion_list.html",
        {
            "form": filters.form,
            "page": page,
            "counts": filters.status_counts(),
            "todo_title": selection_title("conclusions", request.GET),
        },
    )


@login_required
@require_POST
def conclusion_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    agency = get_object_or_404(Agency, pk__in=posted_ids(request.POST.getlist("agency")[:1]))
    try:
        notice = services.conclusion_prepare(plan=plan, agency=agency)
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:schedule", pk=plan.pk)
    return redirect("inspections:conclusion-detail", notice_pk=notice.pk)


@login_required
@require_GET
def conclusion_detail(request: HttpRequest, notice_pk: int) -> HttpResponse:
    notice = get_notice_for_user(request.user, notice_pk)
    history = History(request, lambda: notice_history(notice))
    if answer := history.answer():
        return answer
    findings = (
        notice.findings()
        .select_related("content_area")
        .prefetch_related(
            Prefetch(
                "recommendations", queryset=Recommendation.objects.select_related("responsible")
            )
        )
    )
    staff = can(request.user, Role.STAFF)
    issued = notice.status == NoticeStatus.ISSUED
    # The amendments of an original notice, as far as the reader may see them (a unit: issued).
    amendments = (
        []
        if notice.is_amendment
        else ConclusionNotice.objects.visible_to(request.user).filter(amends=notice).order_by("pk")
    )
    return render(
        request,
        "inspections/conclusion_detail.html",
        {
            "notice": notice,
            "plan": notice.plan,
            "findings": findings,
            "amendments": amendments,
            "issued": issued,
            "rendition": IssuedRendition.objects.of(notice).first() if issued else None,
            "can_amend": staff and issued,
            "can_submit": may(request.user, "conclusion", "submit")
            and notice.status == NoticeStatus.DRAFT,
            "can_decide": may(request.user, "conclusion", "approve")
            and notice.status == NoticeStatus.SUBMITTED,
            "can_issue": may(request.user, "conclusion", "issue")
            and notice.status == NoticeStatus.APPROVED,
            "today": timezone.localdate(),
            **history.context(),
        },
    )


@login_required
@require_POST
def conclusion_amend(request: HttpRequest, notice_pk: int) -> HttpResponse:
    """Start (or reopen) the amended or supplementary notice of an issued notice."""
    notice = get_notice_for_user(request.user, notice_pk)
    if not can(request.user, Role.STAFF):
        raise PermissionDenied
    try:
        amendment = services.conclusion_amend(notice=notice)
    except ValidationError as error:
        refused(request, error)
        return redirect("inspections:conclusion-detail", notice_pk=notice.pk)
    messages.success(
        request,
        _(
            "Dự thảo thông báo điều chỉnh, bổ sung: ghi nội dung điều chỉnh; kết quả và kiến "
            "nghị bổ sung ghi tại trang cuộc kiểm tra."
        ),
    )
    return redirect("inspections:conclusion-detail", notice_pk=amendment.pk)
