from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.locking import VersionedForm
from inspections.models import (
    ContentArea,
    Deliverable,
    FieldKind,
    FieldRole,
    Finding,
    FindingKind,
    LegalDocument,
    Minutes,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanAmendment,
    PlanItem,
    PlanStatus,
    PlanTarget,
    Recommendation,
    RecommendationStatus,
    ReportRequest,
    TargetKind,
    TargetMode,
    Team,
    TeamMember,
    TeamTarget,
    Visit,
)
from inspections.outline_guidance import area_guidance
from inspections.text import PLACEHOLDERS, unknown_placeholders
from inspections.uploads import MultipleUploadField, UploadField
from units.limits import MESSAGE, NOTE, PROSE, text_field
from units.models import AdministrativeUnit, Agency, Level
from units.widgets import DateInput, TimeInput

PLACEHOLDER_HELP = _("Có thể dùng: %s.") % ", ".join(f"[{k}]" for k in PLACEHOLDERS)


class PlanFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *PlanStatus.choices],
    )


def agency_label(agency: Agency) -> str:
    """ "Sở Tư pháp — Tỉnh Kiên Giang (đến 30/06/2025)": agencies of several eras share names."""
    if agency.valid_to:
        period = _("đến %s") % agency.valid_to.strftime("%d/%m/%Y")
    elif agency.valid_from:
        period = _("từ %s") % agency.valid_from.strftime("%d/%m/%Y")
    else:
        period = ""
    return f"{agency.name} — {agency.unit.name}" + (f" ({period})" if period else "")


class PlanForm(VersionedForm):
    """The plan's header, rules, signature and recipients. Agencies offered are those of the
    user's provinces valid on the plan date."""

    team = forms.ModelMultipleChoiceField(
        label=_("Cơ quan tham gia đoàn kiểm tra"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bases = forms.ModelMultipleChoiceField(
        label=_("Căn cứ, văn bản được thực hiện"),
        queryset=LegalDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chọn trong thư viện văn bản; thêm văn bản mới ở trang Thư viện văn bản."),
    )

    class Meta:
        model = Plan
        fields = [
            "issuer", "year", "symbol", "place", "document_date", "summary", "preamble",
            "communes_per_district", "self_inspection_threshold", "self_report_deadline",
            "period_text", "period_start", "period_end", "standing_agency", "budget_note",
            "closing", "signing_authority", "signing_capacity", "signer_title", "signer_name",
            "recipients", "archive_initials", "archive_copies",
        ]  # fmt: skip
        widgets = {
            "document_date": DateInput,
            "self_report_deadline": DateInput,
            "period_start": DateInput,
            "period_end": DateInput,
            "preamble": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "budget_note": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, province_ids, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.in_scope(province_ids).select_related("unit")
        self.fields["issuer"].queryset = agencies.filter(unit__level=Level.PROVINCE)
        self.fields["standing_agency"].queryset = agencies.filter(unit__level=Level.PROVINCE)
        self.fields["team"].queryset = agencies.filter(unit__level=Level.PROVINCE).exclude(
            kind=Agency.Kind.COMMITTEE
        )
        for name in ("issuer", "standing_agency", "team"):
            self.fields[name].label_from_instance = agency_label
        provinces = AdministrativeUnit.objects.filter(pk__in=province_ids) if province_ids else None
        documents = LegalDocument.objects.all()
        if provinces is not None:
            documents = documents.filter(province__in=provinces)
        self.fields["bases"].queryset = documents
        self.fields["preamble"].help_text = PLACEHOLDER_HELP
        if self.instance.pk:
            self.fields["team"].initial = [t.agency_id for t in self.instance.team_agencies.all()]
            self.fields["bases"].initial = [b.document_id for b in self.instance.bases.all()]

    def clean(self):
        data = super().clean()
        day = data.get("document_date")
        if day:
            for field in ("issuer", "standing_agency"):
                agency = data.get(field)
                if agency and not agency.is_valid_on(day):
                    self.add_error(
                        field,
                        _("%(agency)s không còn hiệu lực ngày %(day)s: chọn cơ quan hiện có.")
                        % {"agency": agency, "day": day.strftime("%d/%m/%Y")},
                    )
            bad = [a.name for a in data.get("team", []) if not a.is_valid_on(day)]
            if bad:
                self.add_error("team", _("Không còn hiệu lực ngày văn bản: %s.") % ", ".join(bad))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu kiểm tra."))
        for field in ("preamble", "closing"):
            unknown = unknown_placeholders(data.get(field) or "")
            if unknown:
                self.add_error(
                    field, _("Không có giá trị nào tên [%s]. %s") % (unknown[0], PLACEHOLDER_HELP)
                )
        return data


class PlanItemForm(VersionedForm):
    class Meta:
        model = PlanItem
        fields = ["parent", "order", "heading", "text", "generated", "content_areas", "references"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "content_areas": forms.CheckboxSelectMultiple,
            "references": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        parents = plan.items.all()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["references"].queryset = LegalDocument.objects.filter(province=plan.province)
        self.fields["text"].help_text = PLACEHOLDER_HELP
        self.plan = plan

    def clean(self):
        data = super().clean()
        if not (data.get("heading") or data.get("text") or data.get("generated")):
            raise forms.ValidationError(_("Mục trống: ghi tiêu đề hoặc nội dung."))
        for field in ("heading", "text"):
            unknown = unknown_placeholders(data.get(field) or "")
            if unknown:
                self.add_error(
                    field, _("Không có giá trị nào tên [%s]. %s") % (unknown[0], PLACEHOLDER_HELP)
                )
        parent = data.get("parent")
        ancestor = parent
        while ancestor is not None:
            if self.instance.pk and ancestor.pk == self.instance.pk:
                self.add_error("parent", _("Một mục không thể nằm trong chính nó."))
                break
            ancestor = ancestor.parent
        return data


class TargetSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm đơn vị"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Cấp"), required=False, choices=[("", _("Mọi cấp")), *Level.choices]
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *Agency.Kind.choices]
    )


class TargetAddForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Đơn vị"),
        queryset=Agency.objects.none(),
        error_messages={"required": _("Chưa chọn đơn vị nào: đánh dấu ít nhất một đơn vị.")},
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=TargetKind.choices)
    mode = forms.ChoiceField(label=_("Cách kiểm tra"), choices=TargetMode.choices)
    announced = forms.BooleanField(label=_("Báo trước"), required=False, initial=True)
    reason = text_field(
        NOTE, label=_("Lý do chọn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_reference = forms.CharField(
        label=_("Văn bản kết luận được phúc tra"), required=False, max_length=300
    )

    def __init__(self, *args, province_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.in_scope(province_ids)


class TargetForm(VersionedForm):
    class Meta:
        model = PlanTarget
        fields = [
            "kind",
            "mode",
            "announced",
            "content_areas",
            "reason",
            "follow_up_reference",
            "order",
        ]
        widgets = {
            "content_areas": forms.CheckboxSelectMultiple,
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class NoteForm(forms.Form):
    note = text_field(NOTE, label=_("Ý kiến"), required=False)


class IssueForm(forms.Form):
    document_date = forms.DateField(label=_("Ngày ban hành"), widget=DateInput)
    number = forms.IntegerField(
        label=_("Số (để trống để lấy số tiếp theo)"), required=False, min_value=1
    )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Năm kiểm tra"), min_value=2000, max_value=2100)
    document_date = forms.DateField(
        label=_("Ngày văn bản dự kiến"),
        widget=DateInput,
        help_text=_("Đơn vị không còn hiệu lực ngày này sẽ được thay bằng đơn vị kế thừa"),
    )


class LegalDocumentForm(forms.ModelForm):
    class Meta:
        model = LegalDocument
        fields = ["kind", "number", "symbol", "issued_on", "issuer_name", "title"]
        widgets = {"issued_on": DateInput}


# Self-inspection ----------------------------------------------------------------------------


class OutlineForm(forms.ModelForm):
    class Meta:
        model = Outline
        fields = [
            "guidance", "target_deadline", "include_non_targets", "wants_unit_plan",
            "letter_symbol", "signer_capacity", "signer_title", "signer_name",
        ]  # fmt: skip
        widgets = {"target_deadline": DateInput, "guidance": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, areas=(), **kwargs):
        """One pair of boxes per content area of the plan (`outline_guidance.plan_areas`): what
        the unit reports, and the figures it gives (one a line), prefilled with the outline's
        own text or the default."""
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            what, figures = area_guidance(self.instance, area)
            self.fields[f"area_{area.pk}_what"] = text_field(
                PROSE, label=_("%s — nội dung báo cáo") % area, required=False, initial=what,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"area_{area.pk}_figures"] = text_field(
                NOTE, label=_("%s — số liệu (mỗi dòng một chỉ tiêu)") % area, required=False,
                initial="\n".join(figures), widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def save(self, commit=True):
        if self.areas:
            data = self.cleaned_data
            self.instance.area_guidance = {
                str(area.pk): {
                    "what": data[f"area_{area.pk}_what"].strip(),
                    "figures": [
                        line.strip()
                        for line in data[f"area_{area.pk}_figures"].splitlines()
                        if line.strip()
                    ],
                }
                for area in self.areas
            }
        return super().save(commit)


SectionFormSet = forms.inlineformset_factory(
    Outline,
    OutlineSection,
    fields=["order", "title", "guidance", "content_area"],
    widgets={"guidance": forms.Textarea(attrs={"rows": 2})},
    extra=2,
    can_delete=True,
)
FieldFormSet = forms.inlineformset_factory(
    Outline,
    OutlineField,
    fields=["order", "label", "kind", "role", "required"],
    extra=3,
    can_delete=True,
)


class SubmissionForm(forms.Form):
    """The unit's figures (one field per outline field), its signed file and an explanation."""

    deliverable = forms.ChoiceField(label=_("Nộp"), choices=Deliverable.choices)
    file = UploadField(
        label=_("Tệp đã ký (PDF, DOCX hoặc XLSX)"),
        help_text=_(
            "Kiểm tra theo nội dung tệp, không theo tên; tối đa theo quy định của hệ thống"
        ),
    )
    attachments = MultipleUploadField(
        label=_("Tệp đính kèm (không bắt buộc)"),
        required=False,
        help_text=_("Biểu số liệu, minh chứng; chọn được nhiều tệp, tối đa 10"),
    )
    explanation = text_field(
        MESSAGE,
        label=_("Giải trình (bắt buộc khi tỷ lệ tự kiểm tra dưới mức quy định)"),
        required=False,
    )

    def __init__(self, *args, request: ReportRequest, **kwargs):
        super().__init__(*args, **kwargs)
        if not request.wants_unit_plan:
            self.fields["deliverable"].choices = [(Deliverable.REPORT, Deliverable.REPORT.label)]
        outline = getattr(request.plan, "outline", None)
        self.outline_fields = list(outline.fields.all()) if outline else []
        for field in self.outline_fields:
            name = f"f{field.pk}"
            if field.kind == FieldKind.NUMBER:
                self.fields[name] = forms.IntegerField(
                    label=field.label, required=field.required, min_value=0
                )
            elif field.kind == FieldKind.BOOLEAN:
                self.fields[name] = forms.TypedChoiceField(
                    label=field.label,
                    required=field.required,
                    choices=[("", "—"), ("1", _("Có")), ("0", _("Không"))],
                    coerce=lambda v: v == "1",
                    empty_value=None,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=field.label, required=field.required, max_length=1000
                )

    def values(self) -> dict[str, object]:
        return {
            str(f.pk): self.cleaned_data.get(f"f{f.pk}")
            for f in self.outline_fields
            if self.cleaned_data.get(f"f{f.pk}") not in (None, "")
        }

    def clean(self):
        data = super().clean()
        roles = {f.role: f"f{f.pk}" for f in self.outline_fields if f.role}
        total = data.get(roles.get(FieldRole.COVERAGE_TOTAL, ""))
        done = data.get(roles.get(FieldRole.COVERAGE_DONE, ""))
        if total is not None and done is not None and done > total:
            self.add_error(
                roles[FieldRole.COVERAGE_DONE],
                _("Số đã tự kiểm tra (%(done)d) lớn hơn tổng số (%(total)d): kiểm tra lại.")
                % {"done": done, "total": total},
            )
        return data


class ReviewForm(forms.Form):
    comment = text_field(
        NOTE, label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# Teams and visits ---------------------------------------------------------------------------


class TeamForm(VersionedForm):
    class Meta:
        model = Team
        fields = [
            "name",
            "tasks",
            "decision_symbol",
            "signing_capacity",
            "signer_title",
            "signer_name",
        ]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 4})}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["role", "user", "full_name", "title", "agency"]

    def __init__(self, *args, province_ids, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.in_scope(province_ids)
            .valid_on(day)
            .filter(unit__level=Level.PROVINCE)
            .select_related("unit")
        )
        self.fields["user"].queryset = self.fields["user"].queryset.filter(
            membership__role__in=["staff", "team", "leader"],
            membership__province_id__in=province_ids or [],
        )


class VisitForm(forms.ModelForm):
    """A visit: the team, then one of its targets or of the communes chosen for them."""

    where = forms.ChoiceField(label=_("Đơn vị được kiểm tra"))

    class Meta:
        model = Visit
        fields = ["team", "date", "start_time", "end_time", "place", "mode", "announced",
                  "attendees", "prepare"]  # fmt: skip
        widgets = {
            "date": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "prepare": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = plan.teams.all()
        choices = []
        assignments = (
            TeamTarget.objects.filter(team__plan=plan)
            .select_related("target__agency")
            .prefetch_related("target__communes__agency")
        )
        for assignment in assignments:
            target = assignment.target
            choices.append((f"{target.pk}:{target.agency_id}", f"{target.agency.name}"))
            for commune in target.communes.all():
                choices.append((f"{target.pk}:{commune.agency_id}", f"— {commune.agency.name}"))
        self.fields["where"].choices = choices

    def clean_where(self):
        target_pk, _sep, agency_pk = self.cleaned_data["where"].partition(":")
        return int(target_pk), int(agency_pk)


class MinutesForm(VersionedForm):
    class Meta:
        model = Minutes
        fields = ["team_attendees", "unit_attendees", "checked", "conclusions", "unit_opinion",
                  "unit_signer_name", "unit_signer_title"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:5]}


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["content_area", "kind", "severity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["finding", "responsible", "text", "deadline_kind", "deadline_count",
                  "deadline_date"]  # fmt: skip
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "deadline_date": DateInput}

    def __init__(self, *args, visit: Visit, amendment=None, **kwargs):
        """`amendment`: the amending notice being drafted for a frozen visit, whose added
        findings are the only ones that still take recommendations."""
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = (
            Agency.objects.filter(province_id=visit.agency.province_id)
            .valid_on(visit.date)
            .select_related("unit")
        )
        self.fields["responsible"].initial = visit.agency_id
        findings = visit.findings.all()
        self.fields["finding"].queryset = (
            findings if amendment is None else findings.filter(amendment=amendment)
        )
        self.fields["finding"].label = _("Kết quả kiểm tra")

    def clean(self):
        data = super().clean()
        kind = data.get("deadline_kind")
        if kind == "date" and not data.get("deadline_date"):
            self.add_error("deadline_date", _("Chọn ngày hết hạn khắc phục."))
        if kind in ("days", "working_days") and not data.get("deadline_count"):
            self.add_error("deadline_count", _("Ghi số ngày (lớn hơn 0)."))
        return data


class EvidenceForm(forms.Form):
    files = MultipleUploadField(
        label=_("Tài liệu minh chứng (PDF, DOCX hoặc XLSX)"),
        help_text=_("Chọn được nhiều tệp, tối đa 10"),
    )


class RemediationForm(forms.Form):
    text = text_field(
        PROSE,
        label=_("Kết quả khắc phục"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đã làm gì, khi nào, theo văn bản nào; phần nào còn đang làm"),
    )
    files = MultipleUploadField(
        label=_("Minh chứng (không bắt buộc)"),
        required=False,
        help_text=_("Văn bản, quyết định, báo cáo… chọn được nhiều tệp, tối đa 10"),
    )


class VerificationForm(forms.Form):
    done = forms.TypedChoiceField(
        label=_("Kết quả xác minh"),
        choices=[("1", _("Đã khắc phục")), ("0", _("Chưa khắc phục"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = text_field(
        NOTE,
        label=_("Nhận xét"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi chưa khắc phục: nêu phần còn thiếu"),
    )


# Filters of the findings and recommendation lists (GET): the page and its export read the same
# form, so a download holds exactly the rows the page lists. Each field is optional and an invalid
# one shows its message and is ignored, the other filters still apply.

SELECT = {"class": "form-select"}


class ListFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={"invalid": _("Năm là một số, ví dụ 2024.")},
    )
    area = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=ContentArea.objects.all(),
        empty_label=_("Mọi lĩnh vực"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("Lĩnh vực không có: chọn lại trong danh sách.")},
    )
    level = forms.ChoiceField(
        label=_("Cấp"),
        required=False,
        choices=[("", _("Mọi cấp")), *Level.choices],
        widget=forms.Select(attrs=SELECT),
    )


class FindingFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Loại"),
        required=False,
        choices=[("", _("Mọi loại")), *FindingKind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch"),
        required=False,
        queryset=Plan.objects.none(),
        empty_label=_("Mọi kế hoạch"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": _("Kế hoạch không có: chọn lại trong danh sách.")},
    )

    field_order = ["year", "plan", "area", "kind", "level"]

    def __init__(self, *args, plans, **kwargs):
        """`plans`: those the user may read, offered in the plan filter."""
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans.order_by("-year", "-number", "-pk")
        self.fields["plan"].label_from_instance = lambda p: f"{p.number_display} ({p.year})"


class RecommendationFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("unresolved", _("Chưa khắc phục xong")),
            ("overdue", _("Quá hạn")),
            (RecommendationStatus.DONE, RecommendationStatus.DONE.label),
            (RecommendationStatus.NOT_DONE, RecommendationStatus.NOT_DONE.label),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    field_order = ["status", "year", "area", "level"]


# Amending an issued plan ------------------------------------------------------------------------


def _plan_agencies(plan: Plan):
    """Agencies of the plan's province (and the provinces it succeeded) valid on its date."""
    lineage = AdministrativeUnit.objects.lineage_ids(plan.province)
    return (
        Agency.objects.valid_on(plan.document_date)
        .filter(province_id__in=lineage)
        .select_related("unit")
        .order_by("unit__level", "name", "pk")
    )


class AmendmentEditForm(VersionedForm):
    """The amendment's wording and the plan's values it changes (empty: unchanged)."""

    class Meta:
        model = PlanAmendment
        fields = [
            "form", "content", "period_text", "period_start", "period_end",
            "self_report_deadline", "changes_team", "team", "signer_name",
        ]  # fmt: skip
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "period_start": DateInput,
            "period_end": DateInput,
            "self_report_deadline": DateInput,
            "team": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        team.queryset = (
            _plan_agencies(self.instance.plan)
            .filter(unit__level=Level.PROVINCE)
            .exclude(kind=Agency.Kind.COMMITTEE)
        )
        team.label_from_instance = agency_label
        team.help_text = _(
            "Dùng khi chọn “thay đổi thành phần đoàn”: đoàn gồm đúng các cơ quan này"
        )


class AmendmentTargetForm(forms.Form):
    """A target the amendment adds: an agency of the plan's province not yet a target."""

    agency = forms.ModelChoiceField(label=_("Đơn vị bổ sung"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("Hình thức"), choices=TargetKind.choices)
    mode = forms.ChoiceField(label=_("Cách kiểm tra"), choices=TargetMode.choices)
    announced = forms.BooleanField(label=_("Báo trước"), required=False, initial=True)
    reason = text_field(NOTE, label=_("Lý do bổ sung"), required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = _plan_agencies(plan).exclude(pk__in=plan.targets.values("agency_id"))
        field.label_from_instance = agency_label


class AmendmentRemovalForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Đối tượng đưa ra khỏi danh sách"), queryset=PlanTarget.objects.none()
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan.targets.select_related("agency").order_by(
            "agency__name"
        )
        self.fields["target"].label_from_instance = lambda t: t.agency.name
