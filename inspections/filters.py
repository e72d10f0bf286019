"""The filters of the inspection lists (django-filter), one FilterSet per list: plans, requests
(and the state of their submissions), visits, findings, recommendations and conclusion notices.

Each list page and its Excel/CSV download build the same FilterSet from the query string, so a
download holds exactly the rows the page lists, in the same order. The rows start from what the
user may see (`rows`, from the models' and services' visibility rules): a filter only narrows
them, so no value of the query string shows a row the user could not open. An invalid value shows
its message on the page and is ignored; the other filters still apply."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import services, todo
from inspections.access import can
from inspections.lists import count_of
from inspections.models import (
    ConclusionNotice,
    ContentArea,
    Deliverable,
    Finding,
    FindingKind,
    Plan,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ReportRequest,
    Submission,
    TargetKind,
    Team,
    Visit,
    VisitStatus,
)
from inspections.models.visits import UNRESOLVED
from units.access import PROVINCE_ROLES
from units.filters import (
    FoldedSearchFilter,
    ListFilterSet,
    agency_filter,
    level_filter,
    status_filter,
)
from units.models import Level


def _plans(request: HttpRequest) -> QuerySet[Plan]:
    if request is None:
        return Plan.objects.none()
    return Plan.objects.visible_to(request.user).order_by("-year", "-number", "-pk")


def _teams(request: HttpRequest) -> QuerySet[Team]:
    """Teams are offered to the province's Home Affairs and the teams, never to a unit."""
    if request is None or not can(request.user, *PROVINCE_ROLES):
        return Team.objects.none()
    plans = Plan.objects.visible_to(request.user)
    teams = Team.objects.filter(plan__in=plans).select_related("plan")
    # Only what a choice's label shows (`Team.__str__`): a plan's row carries its whole text.
    teams = teams.only("name", "plan__number", "plan__symbol", "plan__year")
    return teams.order_by("-plan__year", "pk")


def year_filter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name=field_name,
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        max_digits=4,
        decimal_places=0,
        error_messages={"invalid": _("Năm là một số, ví dụ 2024.")},
    )


def plan_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        label=_("Kế hoạch"),
        queryset=_plans,
        empty_label=_("Mọi kế hoạch"),
        error_messages={"invalid_choice": _("Kế hoạch không có: chọn lại trong danh sách.")},
    )


def team_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, label=_("Đoàn"), queryset=_teams, empty_label=_("Mọi đoàn")
    )


def area_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        label=_("Lĩnh vực"),
        queryset=ContentArea.objects.all(),
        empty_label=_("Mọi lĩnh vực"),
        error_messages={"invalid_choice": _("Lĩnh vực không có: chọn lại trong danh sách.")},
    )


def todo_filter(listing: str) -> django_filters.ChoiceFilter:
    """`?todo=<selection>`: the rows of one entry of the home page's to-do (`inspections.todo`).
    A hidden field, so that sending the filter form keeps it, and a filter of the FilterSet, so
    that the counts per status and the Excel/CSV download hold the same rows as the page."""
    return django_filters.ChoiceFilter(
        label=_("Việc cần làm"),
        choices=lambda: todo.selection_choices(listing),
        method=lambda rows, _name, name: todo.selected(listing, name, rows),
        widget=forms.HiddenInput,
    )


def _choices_of(model) -> dict[str, tuple[str, Q]]:
    """Every choice of the model's `status`, as the list's statuses."""
    choices = model._meta.get_field("status").choices
    return {value: (label, Q(status=value)) for value, label in choices}


class InspectionListFilterSet(ListFilterSet):
    """The status first, then the round; plan labels as the plan list shows them: "23/KH-UBND
    (2023)"."""

    def __init__(self, data, *, request, queryset=None):
        super().__init__(data, request=request, queryset=queryset)
        self.form.order_fields([self.status_param, "year", "plan"])
        if "plan" in self.form.fields:
            self.form.fields["plan"].label_from_instance = lambda p: (
                f"{p.number_display} ({p.year})"
            )


def round_filters(plan: str, unit: str) -> type[InspectionListFilterSet]:
    """What the lists of a round's rows share: `year` and `plan` through the path `plan` to the
    row's plan, the unit's `level`, the search `q` and the hidden `agency` through the path
    `unit` to the row's agency."""
    return type(
        "RoundFilterSet",
        (InspectionListFilterSet,),
        {
            "__module__": __name__,
            "year": year_filter(f"{plan}__year"),
            "plan": plan_filter(plan),
            "level": level_filter(f"{unit}__unit__level"),
            "q": FoldedSearchFilter(unit),
            "agency": agency_filter(unit),
        },
    )


class PlanFilter(InspectionListFilterSet):
    year = year_filter("year")
    status = status_filter(lambda: PlanFilter.statuses(), label=_("Trạng thái"))
    todo = todo_filter("plans")

    class Meta:
        model = Plan
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        return _choices_of(Plan)

    @classmethod
    def rows(cls, request):
        return (
            Plan.objects.visible_to(request.user)
            .select_related("issuer")
            # Counted among the targets the user may see: a count must not reveal a secret one.
            .annotate(target_count=count_of(PlanTarget.objects.visible_to(request.user), "plan"))
            .order_by("-year", "-document_date", "-pk")
        )


class RequestFilter(round_filters("plan", "agency")):
    """A request's state is the review of its latest report, or, with none, whether its
    deadline has passed (`services.PROGRESS_STATES`)."""

    status = status_filter(lambda: RequestFilter.statuses())
    unanswered = django_filters.ChoiceFilter(
        label=_("Trao đổi"),
        choices=[("1", _("Đơn vị hỏi, chưa trả lời"))],
        empty_label=_("Tất cả"),
        method="filter_unanswered",
    )
    todo = todo_filter("requests")

    class Meta:
        model = ReportRequest
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        today = timezone.localdate()
        labels = services.PROGRESS_STATES
        states = {
            "pending": Q(report_status__isnull=True, deadline__gte=today),
            "overdue": Q(report_status__isnull=True, deadline__lt=today),
        }
        return {
            value: (labels[value], states.get(value, Q(report_status=value))) for value in labels
        }

    @classmethod
    def rows(cls, request):
        latest = Submission.objects.filter(
            request=OuterRef("pk"), deliverable=Deliverable.REPORT
        ).order_by("-version")
        return (
            ReportRequest.objects.visible_to(request.user)
            .select_related("plan", "agency__unit")
            .annotate(report_status=Subquery(latest.values("status")[:1]))
            .order_by("-plan__year", "deadline", "agency__name", "pk")
        )

    def filter_unanswered(self, queryset, _name, _value):
        return services.unanswered(queryset)


class VisitFilter(round_filters("plan", "agency")):
    status = status_filter(lambda: VisitFilter.statuses())
    team = team_filter("team")
    todo = todo_filter("visits")

    class Meta:
        model = Visit
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        # Cancelled visits are not listed (`Visit.objects.visible_to`).
        return {
            value: (label, Q(status=value))
            for value, label in VisitStatus.choices
            if value != VisitStatus.CANCELLED
        }

    @classmethod
    def rows(cls, request):
        return (
            Visit.objects.visible_to(request.user)
            .select_related("team", "agency__unit", "plan")
            .order_by("-date", "start_time", "pk")
        )


class FindingFilter(round_filters("visit__plan", "visit__agency")):
    """Counted by kind (strength, shortcoming, good model): a finding has no status."""

    status_param = "kind"
    area = area_filter("content_area")
    kind = status_filter(lambda: FindingFilter.statuses(), label=_("Loại"))
    team = team_filter("visit__team")

    class Meta:
        model = Finding
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        return {value: (label, Q(kind=value)) for value, label in FindingKind.choices}

    @classmethod
    def rows(cls, request):
        return (
            Finding.objects.visible_to(request.user)
            .select_related("visit__plan", "visit__agency__unit", "content_area")
            .annotate(recommendation_count=count_of(Recommendation.objects, "finding"))
            .order_by(
                "-visit__plan__year", "-visit__date", "visit__agency__name",
                "content_area__number", "pk",
            )
        )  # fmt: skip


class RecommendationFilter(round_filters("finding__visit__plan", "responsible")):
    status = status_filter(lambda: RecommendationFilter.statuses())
    area = area_filter("finding__content_area")
    team = team_filter("finding__visit__team")
    todo = todo_filter("recommendations")

    class Meta:
        model = Recommendation
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        unresolved = Q(status__in=UNRESOLVED)
        return {
            "unresolved": (_("Chưa khắc phục xong"), unresolved),
            "overdue": (_("Quá hạn"), unresolved & Q(due_date__lt=timezone.localdate())),
            RecommendationStatus.DONE: (
                RecommendationStatus.DONE.label, Q(status=RecommendationStatus.DONE)
            ),
            RecommendationStatus.NOT_DONE: (
                RecommendationStatus.NOT_DONE.label, Q(status=RecommendationStatus.NOT_DONE)
            ),
        }  # fmt: skip

    @classmethod
    def rows(cls, request):
        return (
            Recommendation.objects.visible_to(request.user)
            .select_related("responsible__unit", "finding__visit__plan")
            .annotate(report_count=count_of(RemediationReport.objects, "recommendation"))
            .order_by("due_date", "pk")
        )


class ConclusionFilter(round_filters("plan", "agency")):
    status = status_filter(lambda: ConclusionFilter.statuses(), label=_("Trạng thái"))
    todo = todo_filter("conclusions")

    class Meta:
        model = ConclusionNotice
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        return _choices_of(ConclusionNotice)

    @classmethod
    def rows(cls, request):
        return (
            ConclusionNotice.objects.visible_to(request.user)
            .select_related("plan", "agency__unit")
            .order_by("-plan__year", "agency__name", "pk")
        )


# One plan's long tables (plan page, progress, schedule) ----------------------------------------


def of_plan[F: ListFilterSet](filterset: type[F], request: HttpRequest, plan: Plan, data=None) -> F:
    """A list's FilterSet over one plan's rows, for the plan's own pages and their downloads:
    the same filters, search and counts, without the year and plan (fixed by the page)."""
    rows = filterset.rows(request).filter(plan=plan)
    filters = filterset(request.GET if data is None else data, request=request, queryset=rows)
    for name in ("year", "plan"):
        filters.form.fields.pop(name, None)
    # Its own element ids: the page may hold a form of its own with the same field names (the
    # schedule's "Đoàn" beside the visits' team filter).
    filters.form.auto_id = "filter_%s"
    return filters


class TargetFilter(InspectionListFilterSet):
    """A plan's targets, in sections: the inspections of each level (sở, ngành; huyện; xã),
    then the re-inspections; inside a section in the plan's order, as the plan page and its
    download list them. Rows as `PlanTarget.objects.visible_to`."""

    status_param = "section"
    section = status_filter(lambda: TargetFilter.statuses(), label=_("Nhóm"))
    q = FoldedSearchFilter("agency")

    class Meta:
        model = PlanTarget
        fields: list[str] = []

    @classmethod
    def statuses(cls):
        inspection = Q(kind=TargetKind.INSPECTION)
        sections = {
            level: (label, inspection & Q(agency__unit__level=level))
            for level, label in Level.choices
        }
        sections[TargetKind.REINSPECTION] = (_("Phúc tra"), Q(kind=TargetKind.REINSPECTION))
        return sections

    @classmethod
    def rows(cls, request):
        section = Case(
            *(
                When(condition, then=Value(i))
                for i, (_label, condition) in enumerate(cls.statuses().values())
            ),
            output_field=IntegerField(),
        )
        return (
            PlanTarget.objects.visible_to(request.user)
            .select_related(
                "agency__unit", "agency__parent", "follows_up__plan", "assignment__team",
                "amendment",
            )
            .prefetch_related("content_areas")
            .annotate(section=section)
            .order_by("section", "order", "pk")
        )  # fmt: skip
