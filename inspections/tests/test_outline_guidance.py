"""The outline's guidance per content area: edited by staff per plan on the outline page, stored
with the outline, printed in the covering letter's appendix, copied with the plan."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import ContentArea, Outline
from inspections.outline_guidance import DEFAULT_AREA_GUIDANCE, area_guidance, plan_areas
from inspections.tests.factories import seed, user

pytestmark = pytest.mark.django_db

EDITED = "Việc công khai thủ tục hành chính năm 2023 tại bộ phận một cửa."


def post_outline(plan, area: ContentArea, what: str, figures: str):
    data = {
        "outline-target_deadline": "15/09/2023",
        "outline-include_non_targets": "on",
        "outline-letter_symbol": "SNV-CCHC",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-order": "1", "sections-0-title": "Kết quả thực hiện nhiệm vụ",
        "fields-TOTAL_FORMS": "0", "fields-INITIAL_FORMS": "0",
    }  # fmt: skip
    for other in plan_areas(plan):
        default, numbers = DEFAULT_AREA_GUIDANCE.get(other.number, ("", []))
        data[f"outline-area_{other.pk}_what"] = default
        data[f"outline-area_{other.pk}_figures"] = "\n".join(numbers)
    data[f"outline-area_{area.pk}_what"] = what
    data[f"outline-area_{area.pk}_figures"] = figures
    return client_for("noivu").post(reverse("inspections:outline-edit", args=[plan.pk]), data)


def reform_area(plan) -> ContentArea:
    return next(a for a in plan_areas(plan) if a.number == 3)


def test_staff_edit_the_guidance_and_the_letter_prints_it(private_files):
    plan = seed()
    area = reform_area(plan)
    page = client_for("noivu").get(reverse("inspections:outline-edit", args=[plan.pk]))
    default = DEFAULT_AREA_GUIDANCE[3][0]
    assert default in page.content.decode()  # prefilled with the default
    response = post_outline(plan, area, EDITED, "Số hồ sơ tiếp nhận\nSố hồ sơ trễ hạn\n")
    assert response.status_code == 302
    outline = Outline.objects.get(plan=plan)
    assert area_guidance(outline, area) == (EDITED, ["Số hồ sơ tiếp nhận", "Số hồ sơ trễ hạn"])
    assert (
        EDITED
        in client_for("noivu")
        .get(reverse("inspections:outline-edit", args=[plan.pk]))
        .content.decode()
    )
    letter = client_for("noivu").get(reverse("reports:outline-letter", args=[plan.pk, "pdf"]))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages).split()
    )
    assert EDITED in text and "Số liệu: Số hồ sơ trễ hạn." in text
    assert default not in text


def test_an_outline_without_its_own_text_prints_the_default():
    plan = seed()
    outline = Outline.objects.create(plan=plan, target_deadline=datetime.date(2023, 9, 15))
    area = reform_area(plan)
    assert area_guidance(outline, area) == (
        DEFAULT_AREA_GUIDANCE[3][0],
        DEFAULT_AREA_GUIDANCE[3][1],
    )


def test_only_staff_edit_the_outline():
    plan = seed()
    response = post_outline(plan, reform_area(plan), EDITED, "")
    assert response.status_code == 302
    for persona in ("lanhdao", "doanvien", "tuphap"):
        page = client_for(persona).get(reverse("inspections:outline-edit", args=[plan.pk]))
        assert page.status_code == 403


def test_the_guidance_is_copied_with_the_plan_and_its_years_moved():
    plan = seed()
    area = reform_area(plan)
    post_outline(plan, area, EDITED, "Số hồ sơ năm 2023")
    copy, _notes = services.plan_copy(
        source=plan, year=2024, document_date=datetime.date(2024, 8, 6), by=user("noivu")
    )
    assert area_guidance(copy.outline, area) == (
        EDITED.replace("2023", "2024"),
        ["Số hồ sơ năm 2024"],
    )
