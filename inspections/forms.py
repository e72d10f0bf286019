from __future__ import annotations

from collections import Counter

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from inspections.locking import VersionedForm
from inspections.models import (
    Deliverable,
    FieldKind,
    FieldRole,
    Finding,
    LegalDocument,
    Minutes,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanAmendment,
    PlanItem,
    PlanTarget,
    Recommendation,
    ReportRequest,
    TargetKind,
    TargetMode,
    Team,
    TeamMember,
    TeamTarget,
    Visit,
)
from inspections.outline_guidance import area_guidance
from inspections.plan_wording import PLACEHOLDERS, unknown_placeholders
from inspections.uploads import MultipleUploadField, UploadField
from units.limits import MESSAGE, NOTE, PROSE, text_field
from units.models import AdministrativeUnit, Agency, Level, Role
from units.templatetags.people import person_name
from units.widgets import DateInput, TimeInput

PLACEHOLDER_HELP = _("Có thể dùng: %s.") % ", ".join(f"[{k}]" for k in PLACEHOLDERS)


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
            "communes_per_district", "self_inspection_threshold", "require_signed_reports",
            "self_report_deadline",
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
    """The issue step of every document (`services.lifecycle.issue`)."""

    document_date = forms.DateField(
        label=_("Ngày ban hành"),
        widget=DateInput,
        required=False,
        help_text=_("Để trống: hôm nay; ghi ngày sớm hơn khi văn bản đã ban hành trên giấy"),
    )
    number = forms.IntegerField(
        label=_("Số (để trống để lấy số tiếp theo)"), required=False, min_value=1
    )
    confirm = forms.BooleanField(label=_("Xác nhận ngày trên văn bản giấy"), required=False)


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
    """A member of the team. Choosing an account is enough: the name, title and agency left empty
    are taken from it (its holder's name and membership), so a clerk types only what differs."""

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
        self.fields["user"].queryset = (
            self.fields["user"]
            .queryset.filter(
                membership__role__in=[Role.STAFF, Role.TEAM, Role.LEADER],
                membership__province_id__in=province_ids or [],
            )
            .select_related("membership__agency")
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = account_label
        for name in ("full_name", "agency"):
            self.fields[name].required = False
        hint = _("Để trống để lấy từ tài khoản đã chọn.")
        for name in ("full_name", "title", "agency"):
            self.fields[name].help_text = hint

    def clean(self):
        data = super().clean()
        user = data.get("user")
        membership = getattr(user, "membership", None) if user else None
        if user is not None:
            if not data.get("full_name"):
                data["full_name"] = person_name(user)
            if not data.get("title") and membership is not None:
                data["title"] = membership.title
            if data.get("agency") is None and membership is not None and membership.agency_id:
                # The account's agency, or the one it absorbed if the plan predates the merger.
                own = self.fields["agency"].queryset.filter(
                    Q(pk=membership.agency_id) | Q(merged_into_id=membership.agency_id)
                )
                if len(own) == 1:
                    data["agency"] = own[0]
                else:
                    self.add_error(
                        "agency",
                        _(
                            "Cơ quan của tài khoản (%s) không phải cơ quan cấp tỉnh hoạt động "
                            "vào ngày của kế hoạch: hãy chọn cơ quan."
                        )
                        % membership.agency.name,
                    )
        if not data.get("full_name") and "full_name" not in self.errors:
            self.add_error("full_name", _("Ghi họ và tên, hoặc chọn một tài khoản."))
        if data.get("agency") is None and "agency" not in self.errors:
            self.add_error("agency", _("Chọn cơ quan, hoặc chọn một tài khoản có cơ quan."))
        return data


def account_label(user) -> str:
    """ "Nguyễn Văn An — Chuyên viên, Sở Nội vụ (noivu1)": people are chosen by name, not login."""
    membership = getattr(user, "membership", None)
    details = []
    if membership is not None:
        details = [membership.title, membership.agency.name if membership.agency else ""]
    details = ", ".join(d for d in details if d)
    return f"{person_name(user)}{' — ' + details if details else ''} ({user.get_username()})"


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
        teams = list(plan.teams.all())
        self.fields["team"].queryset = plan.teams.all()
        if len(teams) == 1:  # the only team is the answer: nothing to choose
            self.fields["team"].initial = teams[0].pk
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
        responsible = self.fields["responsible"]
        responsible.queryset = responsible_choices(visit)
        responsible.initial = visit.agency_id
        responsible.widget.attrs["data-searchable"] = _("Gõ để tìm đơn vị…")
        # The list is read once, for its labels, and offered as read (no second query).
        labels = unique_agency_labels(responsible.queryset)
        blank = [("", responsible.empty_label)] if responsible.empty_label is not None else []
        responsible.choices = blank + list(labels.items())
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


def responsible_choices(visit: Visit):
    """Bodies that may answer for a recommendation of the visit: the visited body first, then
    the bodies of the visited unit and of its communes, then the rest of the province (valid on
    the visit's day)."""
    unit = visit.agency.unit_id
    return (
        Agency.objects.filter(province_id=visit.agency.province_id)
        .valid_on(visit.date)
        .select_related("unit__parent")
        .annotate(
            closeness=Case(
                When(pk=visit.agency_id, then=Value(0)),
                When(unit_id=unit, then=Value(1)),
                When(unit__parent_id=unit, then=Value(2)),
                default=Value(3),
            )
        )
        .order_by("closeness", "name", "pk")
    )


def unique_agency_labels(agencies) -> dict[int, str]:
    """Each agency's name, with its unit's place where two share a name ("UBND xã Bình An —
    Huyện Châu Thành"), so a list never offers two identical entries."""
    rows = list(agencies)
    names = Counter(a.name for a in rows)
    labels = {}
    for agency in rows:
        label = agency.name
        if names[label] > 1:
            place = agency.unit.parent or agency.unit
            label = f"{label} — {place.name}"
        labels[agency.pk] = label
    seen = Counter(labels.values())
    for agency in rows:  # still equal (same name under one parent): the code tells them apart
        if seen[labels[agency.pk]] > 1:
            labels[agency.pk] = f"{labels[agency.pk]} ({agency.code or agency.pk})"
    return labels


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
