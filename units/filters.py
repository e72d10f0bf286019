"""What every list's filters share (django-filter), used by the registry directories here and by
the inspection lists (`inspections.filters`): Bootstrap widgets, Vietnamese labels and messages,
an invalid value shown and ignored while the other filters still apply, a search by name that
ignores diacritics ("binh an" finds "Bình An") and the counts per status shown above a list.

A list's rows always start from what the user may see (`rows`): a filter only narrows them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from units.access import scope_for
from units.models import AdministrativeUnit, Agency, Level, today
from units.text import fold
from units.widgets import DateInput


class FoldedSearchFilter(django_filters.CharFilter):
    """Every word of the query, folded (lower case, no diacritics), in the folded name
    `search_name` of the agency or unit at `path` (such as "visit__agency"; empty: the row
    itself), or equal to its code. A plain `LIKE` on a stored column: the same on SQLite and
    PostgreSQL."""

    def __init__(self, path: str = "", **kwargs):
        kwargs.setdefault("label", _("Tìm theo tên đơn vị"))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.path = path

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        prefix = f"{self.path}__" if self.path else ""
        for word in fold(value or "").split():
            qs = qs.filter(
                Q(**{f"{prefix}search_name__contains": word}) | Q(**{f"{prefix}code": word})
            )
        return qs


def agency_filter(field_name: str) -> django_filters.ModelMultipleChoiceFilter:
    """One unit's rows, or several units' (the dashboard's links to the rows behind a unit's
    figures; of an earlier round, the unit and those it carries on across a reorganisation:
    `?agency=1&agency=2`): hidden fields, kept when the other filters change. It narrows what
    the user sees, never widens it."""
    invalid = _("Đơn vị không có: bộ lọc này bị bỏ qua.")
    return django_filters.ModelMultipleChoiceFilter(
        field_name=field_name,
        label=_("Đơn vị"),
        queryset=Agency.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_choice": invalid, "invalid_pk_value": invalid, "invalid_list": invalid,
        },
    )  # fmt: skip


def level_filter(field_name: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=field_name, label=_("Cấp"), choices=Level.choices, empty_label=_("Mọi cấp")
    )


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int
    url: str  # the list with this status and the other filters in force
    current: bool


class ListFilterSet(django_filters.FilterSet):
    """A list's filters. Subclasses set `Meta.model`, declare their filters and give `rows`
    (the rows the user may see, loaded as the page and its export show them). `statuses`, when
    given, maps each value of the `status` filter to its label and condition (read at each
    request: "overdue" depends on the day): the list shows how many rows of each there are among
    the rows the other filters keep."""

    status_param = "status"  # the filter the counts are of

    @classmethod
    def statuses(cls) -> dict[str, tuple[str, Q]]:
        return {}

    def filter_status(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(self.statuses()[value][1])

    def __init__(
        self, data: QueryDict | None, *, request: HttpRequest, queryset: QuerySet | None = None
    ):
        # `queryset`: a narrower start than `rows` (one plan's rows on its pages), never wider.
        rows = self.rows(request) if queryset is None else queryset
        super().__init__(data or None, queryset=rows, request=request)
        for name, field in self.form.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if "error_messages" in self.filters[name].extra:
                continue  # the filter words its own
            # Other messages are the project's Vietnamese ones (locale/vi).
            field.error_messages["invalid_choice"] = _(
                "“%(label)s” không có trong danh sách: bộ lọc này bị bỏ qua."
            ) % {"label": field.label}

    @classmethod
    def rows(cls, request: HttpRequest) -> QuerySet:
        raise NotImplementedError

    @property
    def qs(self) -> QuerySet:
        """The rows the valid filters keep; an invalid one shows its message on the page."""
        return super().qs

    def filtered_except(self, name: str) -> QuerySet:
        """The rows every valid filter but `name` keeps."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 - validates the form
        for field, value in self.form.cleaned_data.items():
            if field != name:
                queryset = self.filters[field].filter(queryset, value)
        return queryset

    def status_counts(
        self, param: str | None = None, statuses: dict[str, tuple[str, Q]] | None = None
    ) -> list[StatusCount]:
        """How many rows of each status the other filters keep, in one query. `param` and
        `statuses`: another filter's values counted the same way (a plan's visits by team).
        The number of rows the other filters keep, of any status, is kept as `other_total`:
        with no status chosen, the list's own count, without a query of its own."""
        param = param or self.status_param
        statuses = self.statuses() if statuses is None else statuses
        if not statuses:
            return []
        totals = (
            self.filtered_except(param)
            .order_by()
            .aggregate(
                n_all=Count("pk"),
                **{
                    f"n_{i}": Count("pk", filter=condition)
                    for i, (_label, condition) in enumerate(statuses.values())
                },
            )
        )
        self.other_total = totals["n_all"]
        data = self.data.copy() if self.data else QueryDict(mutable=True)
        data.pop("page", None)
        current = self.form.cleaned_data.get(param) if self.is_bound else None
        current = str(getattr(current, "pk", current)) if current is not None else None
        counts = []
        for i, (value, (label, _condition)) in enumerate(statuses.items()):
            data[param] = value
            url = "?" + data.urlencode()
            counts.append(StatusCount(value, label, totals[f"n_{i}"], url, value == current))
        return counts

    def filters_text(self) -> str:
        """The valid filters in force, for an export's title."""
        if not self.is_bound:
            return ""
        self.errors  # noqa: B018 - validates the form
        return filters_text(self.form)


def filters_text(form: forms.Form) -> str:
    """The valid filters of a validated form, for an export's title: "Năm: 2024; Cấp: Cấp
    huyện". The as-of date `on` of the directories is in their title already."""
    parts = []
    for name, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, "") or name == "on":
            continue
        field = form.fields[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            if not value:
                continue
            shown = ", ".join(field.label_from_instance(v) for v in value)
        elif isinstance(field, forms.ModelChoiceField):
            shown = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            shown = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            shown = value.strftime("%d/%m/%Y")
        else:
            shown = value
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def status_filter(statuses: Callable[[], dict[str, tuple[str, Q]]], **kwargs):
    """The `status` filter of a list whose `statuses()` are given (the FilterSet's `statuses`)."""
    return django_filters.ChoiceFilter(
        label=kwargs.pop("label", _("Tình trạng")),
        choices=lambda: [(value, label) for value, (label, _q) in statuses().items()],
        empty_label=_("Tất cả"),
        method="filter_status",
        **kwargs,
    )


# The registry directories ----------------------------------------------------------------------


class DirectoryFilter(ListFilterSet):
    """The unit and agency directories: search, level, kind, and the as-of date `on` (today by
    default): only what is valid that day is listed."""

    q = FoldedSearchFilter(label=_("Tìm theo tên hoặc mã"))
    on = django_filters.DateFilter(
        label=_("Hiệu lực ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DateInput,
        method="filter_on",
    )

    ordering: tuple[str, ...] = ()

    @property
    def day(self) -> datetime.date:
        """The as-of date: the one asked for when valid, otherwise today."""
        if not self.is_bound:
            return today()
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data.get("on") or today()

    def filter_on(self, queryset: QuerySet, _name: str, _value) -> QuerySet:
        return queryset  # applied to every list, asked for or not (`qs`)

    @property
    def qs(self) -> QuerySet:
        return super().qs.valid_on(self.day).order_by(*self.ordering)


class UnitFilter(DirectoryFilter):
    level = level_filter("level")
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=AdministrativeUnit.Kind.choices, empty_label=_("Mọi loại")
    )
    ordering = ("level", "parent__code", "code")

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    @classmethod
    def rows(cls, request):
        scope = scope_for(request.user)
        return AdministrativeUnit.objects.in_scope(scope.province_ids).select_related("parent")


class AgencyFilter(DirectoryFilter):
    level = level_filter("unit__level")
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=Agency.Kind.choices, empty_label=_("Mọi loại")
    )
    ordering = ("unit__level", "kind", "unit__code", "name")

    class Meta:
        model = Agency
        fields: list[str] = []

    @classmethod
    def rows(cls, request):
        scope = scope_for(request.user)
        return Agency.objects.in_scope(scope.province_ids).select_related("unit", "parent")
