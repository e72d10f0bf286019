"""Plan pages: list, builder (header, body, targets), workflow steps, copy, documents library."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.pagecache.cache import kept_page
from inspections import services
from inspections.access import (
    can,
    get_plan_for_role,
    get_plan_for_user,
)
from inspections.filters import PlanFilter, TargetFilter, of_plan
from inspections.forms import (
    CopyForm,
    LegalDocumentForm,
    NoteForm,
    PlanForm,
    PlanItemForm,
    TargetAddForm,
    TargetForm,
    TargetSearchForm,
)
from inspections.history import plan_history
from inspections.lists import targets_listed
from inspections.models import (
    IssuedRendition,
    LegalDocument,
    Plan,
    PlanAmendment,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    TargetKind,
    point_label,
)
from inspections.plan_wording import fill, reinspection_phrase, target_lines
from inspections.services.lifecycle import may
from inspections.todo import selection_title
from inspections.views.common import History, plan_section, posted_ids, refused, wants_section
from units.access import PROVINCE_ROLES, require_role, scope_for
from units.models import Agency, Role


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("inspections:plan-detail", args=[plan.pk]) + anchor)


# List and detail ----------------------------------------------------------------------------

TARGET_SECTION = "targets-section"  # the element htmx replaces with one section's page
# The body's generated lists (every target named in a sentence, as the document prints them):
# they grow with the plan, so the preview shows them on demand, each in its element.
PLAN_LISTS = {
    "target-lines": "inspections/_outline.html#generated_targets",
    "reinspection-lines": "inspections/_outline.html#generated_reinspections",
}


def target_section(request: HttpRequest, plan: Plan, *, can_edit: bool) -> dict:
    """One page of the plan's targets, of the section asked for (a level, or re-inspections;
    all by default) and the search, with the count of each section: a constant number of
    queries and a bounded page whatever the size of the plan."""
    filters = of_plan(TargetFilter, request, plan)
    # The page shows the agency (and its parent), the earlier target's year and the amendment
    # that added it: not the team (the download's), nor the agency's unit (the section is SQL's).
    shown = filters.qs.select_related(None).select_related(
        "agency__parent", "follows_up__plan", "amendment"
    )
    section = plan_section(request, filters, shown, param="section")
    rows = list(section["page"])
    labels = [label for label, _condition in TargetFilter.statuses().values()]
    for target in rows:
        target.section_label = labels[target.section]
    return {
        **section,
        "plan": plan,
        "rows": rows,
        "can_edit": can_edit,
    }


@login_required
@require_GET
@kept_page
def plan_list(request: HttpRequest) -> HttpResponse:
    filters = PlanFilter(request.GET, request=request)
    plans = filters.qs  # with ?todo=…, opened from the home's to-do
    page = Paginator(plans, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/plan_list.html",
        {
            "form": filters.form,
            "page": page,
            "counts": filters.status_counts(),
            "can_create": can(request.user, Role.STAFF),
            "todo_title": selection_title("plans", request.GET),
        },
    )


@login_required
@require_GET
@kept_page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    history = History(request, lambda: plan_history(plan))
    if answer := history.answer():
        return answer
    can_edit = can(request.user, Role.STAFF) and plan.is_editable
    for element, template in PLAN_LISTS.items():
        if wants_section(request, element):
            return render(request, template, {"plan": plan, **_plan_lists(request, plan)})
    section = target_section(request, plan, can_edit=can_edit)
    if wants_section(request, TARGET_SECTION):
        return render(request, "inspections/_target_section.html", section)
    # Placeholders such as [thành phần đoàn] read the team: load it once, with its agencies.
    prefetch_related_objects(
        [plan], Prefetch("team_agencies", queryset=PlanTeamAgency.objects.select_related("agency"))
    )
    items = list(plan.items.order_by("order", "pk"))
    children: dict[int | None, list[PlanItem]] = {}
    for item in items:
        item.heading_filled = fill(item.heading, plan)
        item.text_filled = fill(item.text, plan)
        children.setdefault(item.parent_id, []).append(item)
    outline = _outline(children, None, 0)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            **section,
            "outline": outline,
            # Shown with ?lists=1 (the links without script); otherwise loaded on demand.
            **(_plan_lists(request, plan) if request.GET.get("lists") else {}),
            "unprinted": PlanTarget.objects.visible_to(request.user)
            .filter(plan=plan, announced=False)
            .count(),
            "bases": plan.bases.select_related("document"),
            "team": plan.team_agencies.all(),
            "transitions": plan.transitions.select_related("by"),
            "warnings": services.plan_warnings(plan) if plan.status != PlanStatus.ISSUED else [],
            "can_submit": can_edit,
            "can_decide": may(request.user, "plan", "approve")
            and plan.status == PlanStatus.SUBMITTED,
            "can_return_approved": may(request.user, "plan", "return")
            and plan.status == PlanStatus.APPROVED,
            "can_issue": may(request.user, "plan", "issue") and plan.status == PlanStatus.APPROVED,
            "can_copy": can(request.user, Role.STAFF),
            "can_follow": can(request.user, *PROVINCE_ROLES),
            # The ZIP of every issued document of the round (reports/jobs.py).
            "can_collect": can(request.user, Role.STAFF, Role.LEADER)
            and plan.status == PlanStatus.ISSUED,
            "note_form": NoteForm(),
            **history.context(),
            "rendition": IssuedRendition.objects.of(plan).first()
            if plan.status == PlanStatus.ISSUED
            else None,
            # Amendments the user may see (a reporter: the issued ones).
            "amendments": PlanAmendment.objects.visible_to(scope_for(request.user))
            .filter(plan=plan)
            .order_by("pk"),
            "can_amend": can(request.user, Role.STAFF) and plan.status == PlanStatus.ISSUED,
        },
    )


def _plan_lists(request: HttpRequest, plan: Plan) -> dict:
    """The lists the plan's text generates, as its document prints them: the announced targets
    the user may see, by level, and the re-inspected units (their names only, one query)."""
    targets = targets_listed(plan, request.user, names_only=True)
    printed = [t for t in targets if t.announced]
    return {
        "lists_shown": True,
        "target_lines": target_lines(plan, [t for t in printed if t.kind == TargetKind.INSPECTION]),
        "reinspection_phrase": reinspection_phrase(
            t for t in printed if t.kind == TargetKind.REINSPECTION
        ),
    }


def _outline(children, parent_id, depth):
    """[(item, depth, label, sub-outline)] for the body preview, numbered like the document."""
    rows = []
    for i, item in enumerate(children.get(parent_id, [])):
        label = point_label(depth, i)
        rows.append((item, depth, label, _outline(children, item.pk, depth + 1)))
    return rows


# Create and edit ----------------------------------------------------------------------------


def _save_plan_relations(plan: Plan, form: PlanForm) -> None:
    services.plan_relations_save(
        plan=plan, team=form.cleaned_data["team"], bases=form.cleaned_data["bases"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    scope = require_role(request.user, Role.STAFF)
    form = PlanForm(request.POST or None, province_ids=scope.province_ids)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("team", "bases", "version")
        }
        with transaction.atomic():
            plan = services.plan_create(by=request.user, **fields)
            _save_plan_relations(plan, form)
        messages.success(
            request, _("Đã tạo dự thảo kế hoạch. Tiếp theo: thêm nội dung và đối tượng.")
        )
        return _to_plan(plan)
    return render(
        request,
        "inspections/plan_form.html",
        {"form": form, "title": _("Kế hoạch kiểm tra mới")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    try:
        services.require_editable(plan)
    except ValidationError as error:
        refused(request, error)
        return _to_plan(plan)
    form = PlanForm(
        request.POST or None, instance=plan, province_ids=scope_for(request.user).province_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()  # refused if someone saved the plan since the form was loaded
                _save_plan_relations(plan, form)
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lưu."))
            return _to_plan(plan)
    return render(
        request,
        "inspections/plan_form.html",
        {"form": form, "plan": plan, "title": _("Sửa kế hoạch")},
    )


def _editable_plan(request: HttpRequest, pk: int) -> tuple[Plan, HttpResponse | None]:
    plan = get_plan_for_role(request.user, pk, Role.STAFF)
    try:
        services.require_editable(plan)
    except ValidationError as error:
        refused(request, error)
        return plan, _to_plan(plan)
    return plan, None


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    plan, refusal = _editable_plan(request, pk)
    if refusal:
        return refusal
    item = get_object_or_404(plan.items, pk=item_pk) if item_pk else PlanItem(plan=plan)
    if item_pk is None and "parent" in request.GET:
        item.parent = plan.items.filter(pk__in=posted_ids(request.GET.getlist("parent"))).first()
        item.order = (item.parent.children.count() if item.parent else 0) + 1
    form = PlanItemForm(request.POST or None, instance=item, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lưu mục."))
            return _to_plan(plan, "#noi-dung")
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "plan": plan,
            "title": _("Sửa mục") if item_pk else _("Thêm mục"),
        },
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan, refusal = _editable_plan(request, pk)
    if refusal:
        return refusal
    item = get_object_or_404(plan.items, pk=item_pk)
    item.delete()  # sub-items go with it
    messages.success(request, _("Đã xóa mục “%s” và các mục con.") % str(item)[:60])
    return _to_plan(plan, "#noi-dung")


# Targets ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def targets_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, refusal = _editable_plan(request, pk)
    if refusal:
        return refusal
    scope = scope_for(request.user)
    form = TargetAddForm(request.POST or None, province_ids=scope.province_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.plan_targets_add(
                plan=plan,
                agencies=data["agencies"],
                kind=data["kind"],
                mode=data["mode"],
                announced=data["announced"],
                reason=data["reason"],
                follow_up_reference=data["follow_up_reference"],
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã thêm %d đối tượng.") % len(added))
            return _to_plan(plan, "#doi-tuong")
    search = TargetSearchForm(request.GET or None)
    candidates = (
        Agency.objects.in_scope(scope.province_ids)
        .valid_on(plan.document_date)
        .select_related("unit", "parent")
        .exclude(pk__in=plan.targets.values("agency_id"))
        .order_by("unit__level", "kind", "unit__code", "name")
    )
    if search.is_valid():
        if search.cleaned_data["q"]:
            candidates = candidates.search(search.cleaned_data["q"])
        if search.cleaned_data["level"]:
            candidates = candidates.filter(unit__level=search.cleaned_data["level"])
        if search.cleaned_data["kind"]:
            candidates = candidates.filter(kind=search.cleaned_data["kind"])
    page = Paginator(candidates, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/targets_add.html",
        {
            "plan": plan,
            "search": search,
            "form": form,
            "page": page,
            "proposals": services.reinspection_proposals(plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    plan, refusal = _editable_plan(request, pk)
    if refusal:
        return refusal
    target = get_object_or_404(plan.targets.select_related("agency"), pk=target_pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã lưu %s.") % target.agency)
            return _to_plan(plan, "#doi-tuong")
    return render(
        request,
        "inspections/form.html",
        {"form": form, "plan": plan, "title": str(target.agency)},
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    plan, refusal = _editable_plan(request, pk)
    if refusal:
        return refusal
    target = get_object_or_404(plan.targets.select_related("agency"), pk=target_pk)
    target.delete()
    messages.success(request, _("Đã bỏ %s khỏi danh sách đối tượng.") % target.agency)
    return _to_plan(plan, "#doi-tuong")


@login_required
@require_http_methods(["GET", "POST"])
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_plan_for_role(request.user, pk, Role.STAFF)
    form = CopyForm(request.POST or None, initial={"year": source.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            plan, notes = services.plan_copy(
                source=source,
                year=form.cleaned_data["year"],
                document_date=form.cleaned_data["document_date"],
                by=request.user,
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Đã tạo dự thảo từ kế hoạch %s.") % source.number_display)
            for note in notes:
                messages.warning(request, note)
            return _to_plan(plan)
    return render(
        request,
        "inspections/form.html",
        {"form": form, "plan": source, "title": _("Sao chép kế hoạch %s") % source.number_display},
    )


# Library of referenced documents ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def legal_documents(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not can(scope, *PROVINCE_ROLES):
        raise PermissionDenied
    documents = LegalDocument.objects.visible_to(scope)
    form = LegalDocumentForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, Role.STAFF)
        province = _own_province(request.user)
        if province is None:
            messages.error(request, _("Tài khoản chưa gắn với tỉnh nào: không thêm được văn bản."))
        elif form.is_valid():
            document = form.save(commit=False)
            document.province = province
            try:
                document.full_clean()
            except ValidationError as error:
                refused(request, error)
            else:
                document.save()
                messages.success(request, _("Đã thêm %s vào thư viện.") % document)
                return redirect("inspections:legal-documents")
    page = Paginator(documents, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/legal_documents.html",
        {"page": page, "form": form, "can_add": can(request.user, Role.STAFF)},
    )


def _own_province(user):
    membership = getattr(user, "membership", None)
    return membership.province if membership else None
