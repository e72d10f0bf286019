"""No English from the browser or the libraries: the widgets every form uses, and the project's
Vietnamese catalogue (`locale/vi`). The pages themselves are checked for English phrases by the
access-matrix walk (`test_access_matrix.py`, `english_on`)."""

from __future__ import annotations

import datetime
import gettext
import importlib
import re
from pathlib import Path

import lxml.html
import pytest
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, label_for_field
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from cchc.test import client_for
from cchc.tests.test_access_matrix import english_on
from units.widgets import DateInput, FileInput, TimeInput

FORM_MODULES = ("units.forms", "inspections.forms", "reports.forms")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def our_forms() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.split(".")[0] in ("units", "inspections", "reports"):
                found.append(cls)
    return found


def test_every_date_time_and_file_field_uses_our_widgets():
    """A date typed dd/mm/yyyy and a time hh:mm in text boxes (never the browser's `type="date"`
    or `type="time"`), and a file box with a Vietnamese button, in every form of the three
    apps."""
    forms_found = our_forms()
    assert len(forms_found) > 20
    wrong = []
    for form in forms_found:
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}")
            if isinstance(field, forms.TimeField) and not isinstance(field.widget, TimeInput):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}")
            if isinstance(field, forms.FileField) and not isinstance(field.widget, FileInput):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not wrong, f"use units.widgets.DateInput / TimeInput / FileInput for: {wrong}"


def test_a_date_is_written_and_read_dd_mm_yyyy():
    with translation.override("vi"):
        field = forms.DateField(widget=DateInput)
        html = field.widget.render("day", datetime.date(2026, 9, 5))
        assert field.clean("05/09/2026") == datetime.date(2026, 9, 5)
        assert field.clean("5/9/2026") == datetime.date(2026, 9, 5)
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("09/31/2026")
    box = lxml.html.fragment_fromstring(html)
    assert box.get("type") == "text"
    assert box.get("value") == "05/09/2026"
    assert box.get("placeholder") == "dd/mm/yyyy"
    assert box.get("inputmode") == "numeric"
    assert refused.value.messages == [
        "Ngày không hợp lệ: hãy viết ngày/tháng/năm, ví dụ 05/09/2026."
    ]


def test_a_time_is_written_and_read_hh_mm():
    with translation.override("vi"):
        field = forms.TimeField(widget=TimeInput)
        html = field.widget.render("at", datetime.time(14, 30))
        assert field.clean("14:30") == datetime.time(14, 30)
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("2:30 PM")
    box = lxml.html.fragment_fromstring(html)
    assert (box.get("type"), box.get("value"), box.get("placeholder")) == ("text", "14:30", "hh:mm")
    assert refused.value.messages == ["Giờ không hợp lệ: hãy viết giờ:phút, ví dụ 08:30."]


@pytest.mark.django_db
def test_an_empty_choice_and_a_missing_value_are_said_in_vietnamese():
    with translation.override("vi"):
        field = forms.ModelChoiceField(queryset=get_user_model().objects.none())
        assert next(iter(field.choices)) == ("", "— Chọn —")
        with pytest.raises(forms.ValidationError) as refused:
            field.clean("")
    assert refused.value.messages == ["Chưa điền mục này: hãy điền rồi gửi lại."]


def test_a_file_box_has_a_vietnamese_button_and_shows_the_chosen_name():
    with translation.override("vi"):
        html = Template('{% load widgets %}{% file_input "files" "evidence-" 7 multiple=True %}')
        rendered = html.render(Context())
    box = lxml.html.fragment_fromstring(rendered)
    file_input = box.xpath(".//input[@type='file']")[0]
    assert file_input.get("id") == "evidence-7"
    assert file_input.get("multiple") is not None
    label = box.xpath(".//label[@for='evidence-7']")[0]
    assert label.text_content() == "Chọn các tệp…"
    assert box.xpath(".//span[@class='file-picker-name']")[0].text_content() == "Chưa chọn tệp"


def unquote(lines: str) -> str:
    joined = "".join(re.findall(r'"(.*)"', lines))
    return joined.encode().decode("unicode_escape").encode("latin-1").decode()


def po_entries(path: Path) -> dict[tuple[str, str, bool], str]:
    """(context, msgid, is plural) → msgstr (the only form of a Vietnamese plural), header left
    out."""
    text = path.read_text(encoding="utf-8")
    pattern = (
        r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)(msgid_plural (?:".*"\n)+)?'
        r'msgstr(?:\[0\])? ((?:".*"\n?)+)'
    )
    return {
        (unquote(m[1] or '""'), unquote(m[2]), bool(m[3])): unquote(m[4])
        for m in re.finditer(pattern, text, re.MULTILINE)
        if unquote(m[2])
    }


def test_the_compiled_catalogue_is_the_current_one():
    """`locale/vi/LC_MESSAGES/django.mo` is committed: it must say what the .po says (run
    `python manage.py compilemessages -l vi` after editing the .po)."""
    entries = po_entries(CATALOGUE / "django.po")
    assert len(entries) > 50
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    def translated(context: str, msgid: str, plural: bool) -> str:
        if context:
            return compiled.pgettext(context, msgid)
        return compiled.ngettext(msgid, msgid, 1) if plural else compiled.gettext(msgid)

    stale = [key[1] for key, msgstr in entries.items() if translated(*key) != msgstr]
    assert not stale, f"compile the catalogue again: {stale}"


@pytest.mark.django_db
def test_the_admins_history_pages_are_in_vietnamese(world):
    """django-simple-history's pages in the admin: Vietnamese names and values of what changed,
    no "None" for a missing reason, the model's Vietnamese name in the breadcrumbs."""
    client = client_for("admin")
    plan = world.seed
    listing = client.get(reverse("admin:inspections_plan_history", args=[plan.pk]))
    assert listing.status_code == 200
    text = visible_text(listing)
    assert "Trạng thái: Dự thảo → Chờ duyệt" in text
    assert "None" not in text and "status" not in text
    version = plan.history.earliest()
    page = client.get(f"{reverse('admin:inspections_plan_history', args=[plan.pk])}{version.pk}/")
    assert page.status_code == 200
    assert "Kiểm tra CCHC › Kế hoạch kiểm tra" in visible_text(page)
    for response in (listing, page):
        assert not english_on(response)
        assert "Historical" not in visible_text(response)


def visible_text(response) -> str:
    document = lxml.html.document_fromstring(response.content.decode())
    for hidden in document.xpath("//script | //style"):
        hidden.drop_tree()
    return " ".join(document.xpath("//body")[0].text_content().split())


@pytest.mark.django_db
def test_the_admins_plan_page_names_the_workflow_steps_in_vietnamese(world):
    page = client_for("admin").get(reverse("admin:inspections_plan_change", args=[world.seed.pk]))
    text = visible_text(page)
    assert "Từ trạng thái" in text and "Sang trạng thái" in text
    assert "From status" not in text and "Note" not in text


# The admin a staff administrator opens -------------------------------------------------------

VIETNAMESE_LETTER = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
# Vietnamese words written without a mark (kinds of agencies).
UNMARKED_VIETNAMESE = {"Ban", "Thanh tra"}


def admin_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def admin_labels(model, model_admin, request) -> set[str]:
    """Every name the admin shows of a model: the app's and the model's, the columns of its list,
    its filters, the labels and choices of its forms (inlines included) and read-only fields."""
    meta = model._meta
    shown = [meta.app_config.verbose_name, meta.verbose_name, meta.verbose_name_plural]
    columns = [n for n in model_admin.get_list_display(request) if n != "action_checkbox"]
    readonly = list(model_admin.get_readonly_fields(request, None))
    shown += [label_for_field(name, model, model_admin) for name in columns + readonly]
    for item in model_admin.get_list_filter(request):
        item = item[0] if isinstance(item, list | tuple) else item
        if isinstance(item, str):
            shown.append(get_fields_from_path(model, item)[-1].verbose_name)
        else:
            shown.append(item.title)
    forms_shown = [(model_admin.get_form(request, None), "")]
    for inline in model_admin.get_inline_instances(request, None):
        formset = inline.get_formset(request, None)
        forms_shown.append((formset.form, formset.fk.name))  # the parent's key is not shown
    for form, parent in forms_shown:
        for name, field in form.base_fields.items():
            if field.widget.is_hidden or name == parent:
                continue
            shown.append(field.label)
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                shown += [label for value, label in field.choices if value not in ("", None)]
    return {str(label) for label in shown if not isinstance(label, list | tuple)}


def english_labels() -> dict[str, list[str]]:
    """Per model, the admin's names with Latin letters and no Vietnamese one."""
    request = admin_request()
    found = {}
    with translation.override("vi"):
        for model, model_admin in admin.site._registry.items():
            labels = admin_labels(model, model_admin, request)
            english = sorted(
                label
                for label in labels
                if re.search("[A-Za-z]", label)
                and not VIETNAMESE_LETTER.search(label)
                and label not in UNMARKED_VIETNAMESE
            )
            if english:
                found[model._meta.label] = english
    return found


def test_every_name_the_admin_shows_is_vietnamese():
    """App and model names, list columns, filters, form labels and choices of every model in the
    admin — django-tasks-db's queue, django-axes and the user accounts included."""
    assert english_labels() == {}


def test_the_audit_finds_english_names():
    """The audit above would see a library's English: django-tasks-db's names without the
    project's catalogue."""
    with translation.override("en"):
        request = admin_request()
        labels = admin_labels(DBTaskResult, admin.site._registry[DBTaskResult], request)
    assert {"Task Result", "status", "enqueued at"} <= {label.strip() for label in labels}


# English that the admin would show from the database or a library's code (`english_on`'s
# phrases are checked too): permissions as Django names them, a record without a `__str__`,
# Django's password help texts, django-tasks-db's names.
ADMIN_ENGLISH = ("Can add", "Can change", "Can delete", "Can view", " object (", "Raw passwords",
                 "Whether the user", "Task Result", "Tasks Database")  # fmt: skip


def admin_pages(model, model_admin, request) -> list[str]:
    """The list, the add form (if adding is allowed) and the first record's page of a model."""
    info = model._meta.app_label, model._meta.model_name
    pages = [reverse("admin:{}_{}_changelist".format(*info))]
    if model_admin.has_add_permission(request):
        pages.append(reverse("admin:{}_{}_add".format(*info)))
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


@pytest.mark.django_db
def test_every_admin_page_a_staff_administrator_opens_is_in_vietnamese(world):
    """Every model's list, add form and a record's page, the background jobs' queue and the
    failed sign-ins included, as the administrator: no English phrase, no English column."""
    DBTaskResult.objects.create(
        task_path="reports.jobs.run_job", args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status="FAILED",
        exception_class_path="OSError", traceback="Traceback: OSError",
    )  # fmt: skip
    AccessAttempt.objects.create(
        username="noivu", ip_address="127.0.0.1", user_agent="Chromium", path_info="/login/",
        failures_since_start=2, http_accept="text/html", get_data="", post_data="",
    )  # fmt: skip
    client = client_for("admin")
    request = admin_request()
    opened = []
    for model, model_admin in admin.site._registry.items():
        for url in admin_pages(model, model_admin, request):
            response = client.get(url)
            assert response.status_code == 200, url
            assert not english_on(response), (url, english_on(response))
            text = visible_text(response)
            assert not [phrase for phrase in ADMIN_ENGLISH if phrase in text], url
            opened.append(url)
    queue = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    text = visible_text(queue)
    for vietnamese in ("Công việc chạy nền", "Tình trạng", "Xếp hàng lúc", "Lỗi", "Tạo tệp"):
        assert vietnamese in text
    for english in ("Task", "Status", "Enqueued", "Queue name", "FAILED", "Failed"):
        assert english not in text
    assert "Công việc chạy nền" in visible_text(client.get(reverse("admin:index")))
    groups = visible_text(client.get(reverse("admin:auth_group_add")))
    assert "Thêm kế hoạch kiểm tra" in groups and "Xem công việc chạy nền" in groups
    assert len(opened) > 2 * len(admin.site._registry)


@pytest.mark.django_db
def test_every_permission_is_named_in_vietnamese():
    """Django names the permissions it creates in English ("Can add plan"); after migrating,
    each default permission is named from the action and the model's Vietnamese name."""
    assert Permission.objects.count() > 100
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="change_plan").name == "Sửa kế hoạch kiểm tra"
