"""The plan's rules and workflow through the services, on the real registry and seed plan."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from cchc.test import AG_2026, KG_2023
from inspections import services
from inspections.models import Plan, PlanItem, PlanStatus, TargetKind
from units.models import Agency
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def seed() -> Plan:
    return Plan.objects.get(number=23, year=2023)


def new_plan(day=AG_2026, **fields) -> Plan:
    defaults = {
        "issuer": agency_by_ref("91/UBND", day),
        "year": day.year,
        "place": "An Giang",
        "document_date": day,
        "summary": f"Kiểm tra công tác cải cách hành chính năm {day.year}",
        "signer_name": "Nguyễn Văn A",
    }
    return services.plan_create(by=user("noivu"), **{**defaults, **fields})


def ready(plan: Plan) -> Plan:
    PlanItem.objects.create(plan=plan, heading="MỤC ĐÍCH, YÊU CẦU")
    services.plan_targets_add(plan=plan, agencies=[agency_by_ref("91/STP", plan.document_date)])
    return plan


def test_seed_plan_was_issued_through_the_workflow():
    plan = seed()
    assert plan.status == PlanStatus.ISSUED
    assert plan.number_display == "23/KH-UBND"
    assert plan.issuer.name == "Ủy ban nhân dân tỉnh Kiên Giang"
    steps = [(t.from_status, t.to_status, t.by.username) for t in plan.transitions.all()]
    assert steps == [
        ("", "draft", "noivu"),
        ("draft", "submitted", "noivu"),
        ("submitted", "approved", "lanhdao"),
        ("approved", "issued", "noivu"),
    ]
    kinds = [t.kind for t in plan.targets.all()]
    assert kinds.count(TargetKind.INSPECTION) == 13
    assert kinds.count(TargetKind.REINSPECTION) == 5
    assert plan.communes_per_district == 2
    assert plan.self_inspection_threshold == 30
    assert plan.self_report_deadline == datetime.date(2023, 6, 30)


def test_seed_deadline_before_issue_date_is_a_warning():
    warnings = services.plan_warnings(seed())
    assert any("sớm hơn ngày văn bản (6/8/2023)" in w for w in warnings)


def test_issue_allocates_the_next_number_of_the_register_with_leading_zero():
    plan = ready(new_plan())
    services.plan_submit(plan=plan, by=user("noivu"))
    services.plan_approve(plan=plan, by=user("lanhdao"))
    services.plan_issue(plan=plan, by=user("noivu"))
    assert plan.number == 1
    assert plan.number_display == "01/KH-UBND"
    second = ready(new_plan())
    services.plan_submit(plan=second, by=user("noivu"))
    services.plan_approve(plan=second, by=user("lanhdao"))
    services.plan_issue(plan=second, by=user("noivu"))
    assert second.number == 2


def test_a_2023_plan_continues_kien_giang_register_after_23():
    plan = ready(new_plan(day=datetime.date(2023, 9, 1), place="Kiên Giang"))
    services.plan_submit(plan=plan, by=user("noivu"))
    services.plan_approve(plan=plan, by=user("lanhdao"))
    with pytest.raises(ValidationError, match="Số 23/KH-UBND đã cấp trong năm 2023"):
        services.plan_issue(plan=plan, by=user("noivu"), number=23)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    services.plan_issue(plan=plan, by=user("noivu"))
    assert plan.number == 24


def test_issued_plan_is_locked():
    with pytest.raises(ValidationError, match="không sửa được"):
        services.plan_targets_add(plan=seed(), agencies=[agency_by_ref("91/SYT", KG_2023)])


def test_steps_out_of_order_are_refused():
    plan = new_plan()
    with pytest.raises(ValidationError, match="chờ duyệt"):
        services.plan_approve(plan=plan, by=user("lanhdao"))
    with pytest.raises(ValidationError, match="đã được lãnh đạo duyệt"):
        services.plan_issue(plan=plan, by=user("noivu"))


def test_submit_needs_targets_content_and_signer():
    plan = new_plan(signer_name="")
    with pytest.raises(ValidationError) as raised:
        services.plan_submit(plan=plan, by=user("noivu"))
    text = " ".join(raised.value.messages)
    assert "chưa có đối tượng" in text and "chưa có nội dung" in text and "người ký" in text
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_return_needs_a_note_and_reopens_the_plan():
    plan = ready(new_plan())
    services.plan_submit(plan=plan, by=user("noivu"))
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.plan_return(plan=plan, by=user("lanhdao"), note="  ")
    services.plan_return(plan=plan, by=user("lanhdao"), note="Bổ sung Sở Y tế.")
    assert plan.status == PlanStatus.RETURNED and plan.is_editable
    services.plan_targets_add(plan=plan, agencies=[agency_by_ref("91/SYT", AG_2026)])
    last = plan.transitions.last()
    assert (last.from_status, last.to_status, last.note) == (
        "submitted",
        "returned",
        "Bổ sung Sở Y tế.",
    )


def test_targets_at_three_levels_in_2023():
    plan = new_plan(day=datetime.date(2023, 9, 1), place="Kiên Giang")
    added = services.plan_targets_add(
        plan=plan,
        agencies=[
            agency_by_ref("91/STP", KG_2023),
            agency_by_ref("908/UBND", KG_2023),
            agency_by_ref("30985/UBND", KG_2023),
        ],
    )
    assert [t.level for t in added] == ["province", "district", "commune"]


def test_target_not_valid_on_the_plan_date_names_its_successors():
    plan = new_plan()
    planning = Agency.objects.get(code="SKHĐT")
    with pytest.raises(ValidationError) as raised:
        services.plan_targets_add(plan=plan, agencies=[planning])
    message = raised.value.messages[0]
    assert "Sở Kế hoạch và Đầu tư không còn hiệu lực ngày 01/01/2026" in message
    assert "Đơn vị kế thừa: Sở Tài chính" in message
    assert not plan.targets.exists()


def test_district_target_in_a_year_without_districts():
    plan = new_plan()
    with pytest.raises(ValidationError) as raised:
        services.plan_targets_add(plan=plan, agencies=[agency_by_ref("908/UBND", KG_2023)])
    message = raised.value.messages[0]
    assert "Năm 2026 không còn cấp huyện" in message
    assert "Ủy ban nhân dân xã An Biên" in message


def test_duplicate_target_changes_nothing():
    plan = new_plan()
    justice = agency_by_ref("91/STP", AG_2026)
    services.plan_targets_add(plan=plan, agencies=[justice])
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        services.plan_targets_add(plan=plan, agencies=[agency_by_ref("91/SYT", AG_2026), justice])
    assert plan.targets.count() == 1


def test_another_province_agency_is_refused():
    plan = new_plan()
    with pytest.raises(ValidationError, match="không thuộc tỉnh"):
        services.plan_targets_add(plan=plan, agencies=[agency_by_ref("96/SNV", AG_2026)])


def test_reinspection_without_earlier_record_is_a_warning():
    plan = new_plan()
    services.plan_targets_add(
        plan=plan, agencies=[agency_by_ref("91/STP", AG_2026)], kind=TargetKind.REINSPECTION
    )
    assert any("Phúc tra Sở Tư pháp" in w for w in services.plan_warnings(plan))


def test_reinspection_links_the_earlier_target():
    plan = new_plan(day=datetime.date(2024, 3, 1), place="Kiên Giang")
    (target,) = services.plan_targets_add(
        plan=plan,
        agencies=[agency_by_ref("908/UBND", KG_2023)],
        kind=TargetKind.REINSPECTION,
    )
    assert target.follows_up.plan == seed()
    assert not any("Phúc tra" in w for w in services.plan_warnings(plan))


def test_copy_to_2026_replaces_abolished_units_by_successors():
    plan, notes = services.plan_copy(
        source=seed(), year=2026, document_date=datetime.date(2026, 2, 1), by=user("noivu")
    )
    assert plan.status == PlanStatus.DRAFT and plan.number is None
    assert plan.issuer.name == "Ủy ban nhân dân tỉnh An Giang"
    assert plan.self_report_deadline == datetime.date(2026, 6, 30)
    names = set(plan.targets.values_list("agency__name", flat=True))
    assert {"Ủy ban nhân dân xã An Biên", "Ủy ban nhân dân xã Tây Yên"} <= names
    assert "Ủy ban nhân dân huyện An Biên" not in names
    assert "Sở Tài chính" in names and "Sở Kế hoạch và Đầu tư" not in names
    assert all(
        t.agency.is_valid_on(plan.document_date) for t in plan.targets.select_related("agency")
    )
    assert any(
        n.startswith("Ủy ban nhân dân huyện An Biên tỉnh Kiên Giang → Ủy ban nhân dân xã An Biên")
        and n.endswith("(không còn ngày 01/02/2026).")
        for n in notes
    )
    assert plan.items.count() == seed().items.count()
    team = [t.agency.name for t in plan.team_agencies.all()]
    assert team[0] == "Sở Nội vụ" and "Sở Thông tin và Truyền thông" not in team
    assert plan.transitions.get().note.startswith("Sao chép từ 23/KH-UBND")
