"""Copying the seed plan 23/KH-UBND (2023) to 2024 and to 2026: every year and date of the plan
moves, cited documents keep theirs, deadlines are checked against the period, texts that still
name the old year are listed, re-inspections are linked to the conclusion notices the system
holds and follow merged units, and each replacement is said once, with its province."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cchc.test import client_for
from inspections import services
from inspections.models import Outline, Plan, TargetKind
from inspections.tests.factories import seed, target, user
from inspections.text import shift_years

pytestmark = pytest.mark.django_db


def copy(year: int, day: datetime.date | None = None) -> tuple[Plan, list[str]]:
    return services.plan_copy(
        source=seed(), year=year, document_date=day or datetime.date(year, 2, 1), by=user("noivu")
    )


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kiểm tra công tác cải cách hành chính năm 2023", "… năm 2024"),
        ("Dự kiến đầu quý III năm 2023", "Dự kiến đầu quý III năm 2024"),
        ("trước ngày 30/6/2023, tháng 8/2023", "trước ngày 30/6/2024, tháng 8/2024"),
        ("trước ngày 30 tháng 6 năm 2023.", "trước ngày 30 tháng 6 năm 2024."),
        ("Phúc tra kết quả kiểm tra năm 2022", "Phúc tra kết quả kiểm tra năm 2023"),
        ("báo cáo trước ngày 15/1/2024", "báo cáo trước ngày 15/1/2025"),
        # Cited documents keep their numbers, dates and the year of their title.
        ("theo Nghị định số 30/2020/NĐ-CP", None),
        ("Quyết định số 1234/QĐ-UBND ngày 12/5/2021 của Ủy ban nhân dân tỉnh", None),
        ("Kế hoạch số 272/KH-UBND ngày 23/12/2022 về công tác cải cách hành chính năm 2023", None),
        ("Nghị định 30/2020/NĐ-CP; Thông tư số 01/2023/TT-BNV", None),
        ("Chương trình CCHC giai đoạn 2021-2030", None),
        ("Kế hoạch CCHC năm 2022 - 2025 của tỉnh", None),
        ("Kế hoạch kiểm tra năm [năm]", None),
    ],
)  # fmt: skip
def test_which_years_move(text, expected):
    shifted, _kept = shift_years(text, 2023, 2024)
    if expected is None:
        assert shifted == text
    elif expected.startswith("…"):
        assert shifted.endswith(expected[1:])
    else:
        assert shifted == expected


def test_what_is_left_is_listed():
    text = (
        "Thực hiện Kế hoạch số 272/KH-UBND ngày 23 tháng 12 năm 2022 của Ủy ban nhân dân tỉnh về "
        "công tác cải cách hành chính (CCHC) năm 2023, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
        "kiểm tra công tác CCHC năm 2023 như sau:"
    )
    shifted, kept = shift_years(text, 2023, 2026)
    assert shifted.endswith("(CCHC) năm 2023, Ủy ban nhân dân tỉnh ban hành Kế hoạch kiểm tra "
                            "công tác CCHC năm 2026 như sau:")  # fmt: skip
    assert len(kept) == 2 and "tháng 12 năm 2022" in kept[0] and "(CCHC) năm 2023," in kept[1]
    assert shift_years(text, 2023, 2023) == (text, [])


# The seed plan copied --------------------------------------------------------------------------


def test_copy_to_2024_moves_every_year_and_date():
    source = seed()
    Outline.objects.create(plan=source, target_deadline=datetime.date(2023, 7, 15),
                           guidance="Gửi báo cáo trước ngày 15/7/2023.")  # fmt: skip
    plan, notes = copy(2024)
    assert plan.summary == "Kiểm tra công tác cải cách hành chính năm 2024"
    assert plan.preamble.endswith("Ủy ban nhân dân tỉnh ban hành Kế hoạch kiểm tra công tác "
                                  "CCHC năm 2024 như sau:")  # fmt: skip
    # The basis cited in the opening is that document's own title: left as it was, and listed.
    assert "ngày 23 tháng 12 năm 2022" in plan.preamble and "(CCHC) năm 2023," in plan.preamble
    assert plan.period_text == "Dự kiến đầu quý III năm 2024"
    assert plan.budget_note == (
        "Nằm trong kinh phí thực hiện nhiệm vụ CCHC năm 2024 do Ủy ban nhân dân tỉnh phân bổ."
    )
    assert plan.self_report_deadline == datetime.date(2024, 6, 30)
    outline = plan.outline
    assert outline.target_deadline == datetime.date(2024, 7, 15)
    assert outline.guidance == "Gửi báo cáo trước ngày 15/7/2024."
    # The body keeps its placeholders and the cited documents' dates.
    texts = " ".join(f"{i.heading} {i.text}" for i in plan.items.all())
    assert "năm [năm]" in texts and "Kế hoạch số 272/KH-UBND ngày 23/12/2022" in texts
    assert "Kế hoạch số 103/KH-UBND ngày 13/6/2019" in texts
    review = [n for n in notes if "còn ghi năm 2023 hoặc 2022" in n]
    assert [n.split(" còn ghi")[0] for n in review] == [
        "Phần mở đầu", "Mục “Nội dung Đoàn kiểm tra công tác cải cách…”",
    ]  # fmt: skip
    assert "“…hoạch số 272/KH-UBND ngày 23 tháng 12 năm 2022 của Ủy ban nhân…”" in review[0]
    # Kiên Giang still exists in 2024: nothing is replaced.
    assert not [n for n in notes if "→" in n]


def test_a_deadline_after_the_period_warns():
    source = seed()
    source.period_start, source.period_end = datetime.date(2023, 7, 1), datetime.date(2023, 9, 30)
    source.self_report_deadline = datetime.date(2023, 10, 15)
    source.save()
    Outline.objects.create(plan=source, target_deadline=datetime.date(2023, 9, 1))
    plan, notes = copy(2026)
    assert (plan.period_start, plan.period_end) == (
        datetime.date(2026, 7, 1), datetime.date(2026, 9, 30),
    )  # fmt: skip
    assert plan.self_report_deadline == datetime.date(2026, 10, 15)
    assert (
        "Hạn gửi báo cáo tự kiểm tra (15/10/2026) sau ngày kết thúc thời gian kiểm tra "
        "(30/9/2026): chọn lại một trong hai ngày." in notes
    )
    assert not [n for n in notes if n.startswith("Hạn gửi báo cáo của đối tượng")]
    # The plan page keeps saying it while the plan is a draft.
    assert any(w.startswith("Hạn gửi báo cáo tự kiểm tra (15/10/2026) sau ngày kết thúc")
               for w in services.plan_warnings(plan))  # fmt: skip


def test_copy_to_2026_names_provinces_once():
    plan, notes = copy(2026)
    assert plan.summary.endswith("năm 2026") and plan.period_text.endswith("năm 2026")
    home_affairs = (
        "Sở Nội vụ tỉnh Kiên Giang → Sở Nội vụ tỉnh An Giang (không còn ngày 01/02/2026)."
    )
    # The standing body and a team agency: said once.
    assert notes.count(home_affairs) == 1
    assert len(notes) == len(set(notes))
    assert ("Ủy ban nhân dân tỉnh Kiên Giang → Ủy ban nhân dân tỉnh An Giang (không còn ngày "
            "01/02/2026).") in notes  # fmt: skip
    assert ("Trung tâm Phục vụ hành chính công tỉnh Kiên Giang → Trung tâm Phục vụ hành chính "
            "công tỉnh An Giang (không còn ngày 01/02/2026).") in notes  # fmt: skip


# Re-inspections --------------------------------------------------------------------------------


@pytest.fixture
def finance_notice(team):
    """The 2023 round re-inspected Sở Tài chính Kiên Giang: a visit, a recommendation still
    open, and the conclusion notice 01/TB-UBND issued on 10/11/2023."""
    services.team_targets_assign(team=team, targets=[target("91/STC")])
    finance = target("91/STC")
    visit = services.visit_schedule(
        team=team, target=finance, agency=finance.agency, date=datetime.date(2023, 10, 3),
        start_time=datetime.time(8), end_time=datetime.time(11), place="Sở Tài chính",
    )  # fmt: skip
    finding = services.finding_add(
        visit=visit, by=user("doanvien"), kind="shortcoming", severity="moderate",
        description="Hồ sơ trễ hạn chưa xin lỗi.",
    )  # fmt: skip
    services.recommendation_add(
        finding=finding, responsible=finance.agency, text="Xin lỗi người dân.",
        deadline_kind="working_days", deadline_count=15,
    )  # fmt: skip
    notice = services.conclusion_prepare(plan=seed(), agency=finance.agency)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=notice, day=datetime.date(2023, 11, 10))
    notice.refresh_from_db()
    return notice


def test_2024_reinspection_cites_the_notice_held(finance_notice):
    plan, notes = copy(2024)
    finance = plan.targets.get(agency=finance_notice.agency)
    assert finance.kind == TargetKind.REINSPECTION
    assert finance.follows_up == target("91/STC")
    assert finance.follow_up_reference == "Thông báo kết luận số 01/TB-UBND ngày 10/11/2023"
    assert not [n for n in notes if "Sở Tài chính tỉnh Kiên Giang: hệ thống chưa có" in n]
    # The other re-inspections have no notice in the system: said, and warned on the plan.
    assert ("Phúc tra Ủy ban nhân dân thành phố Rạch Giá tỉnh Kiên Giang: hệ thống chưa có "
            "thông báo kết luận nào của kỳ kiểm tra năm 2023 cho đơn vị này; xem lại đối tượng "
            "phúc tra.") in notes  # fmt: skip
    warnings = services.plan_warnings(plan)
    assert any("Phúc tra Ủy ban nhân dân thành phố Rạch Giá" in w for w in warnings)
    assert not any("Phúc tra Sở Tài chính" in w for w in warnings)


def test_2026_merged_reinspection_is_kept_on_the_successor(finance_notice):
    """Sở Kế hoạch và Đầu tư (an ordinary target, listed first) and Sở Tài chính (re-inspected)
    both became An Giang's Sở Tài chính: the successor is re-inspected, not dropped."""
    plan, notes = copy(2026)
    finance = plan.targets.get(agency__name="Sở Tài chính")
    assert finance.agency.province.short_name == "An Giang"
    assert finance.kind == TargetKind.REINSPECTION
    assert finance.follows_up == target("91/STC")
    assert "01/TB-UBND ngày 10/11/2023" in finance.follow_up_reference
    assert ("Sở Tài chính tỉnh An Giang đã là đối tượng kiểm tra (kế thừa Sở Kế hoạch và Đầu tư "
            "tỉnh Kiên Giang), nay là đối tượng phúc tra vì kế thừa cả Sở Tài chính tỉnh Kiên "
            "Giang, đơn vị được phúc tra.") in notes  # fmt: skip
    assert ("Phúc tra Sở Tài chính tỉnh Kiên Giang chuyển thành phúc tra đơn vị kế thừa: Sở Tài "
            "chính tỉnh An Giang.") in notes  # fmt: skip
    assert ("Phúc tra Ủy ban nhân dân thành phố Rạch Giá tỉnh Kiên Giang chuyển thành phúc tra "
            "đơn vị kế thừa: Ủy ban nhân dân phường Rạch Giá tỉnh An Giang, Ủy ban nhân dân "
            "phường Vĩnh Thông tỉnh An Giang.") in notes  # fmt: skip
    reinspected = set(
        plan.targets.filter(kind=TargetKind.REINSPECTION).values_list("agency__name", flat=True)
    )
    assert {"Sở Tài chính", "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân phường Rạch Giá",
            "Ủy ban nhân dân đặc khu Phú Quốc"} <= reinspected  # fmt: skip


def test_the_copy_page_shows_each_note_once(finance_notice):
    response = client_for("noivu").post(
        reverse("inspections:plan-copy", args=[seed().pk]),
        {"year": 2026, "document_date": "2026-02-01"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert (
        shown.count(
            "Sở Nội vụ tỉnh Kiên Giang → Sở Nội vụ tỉnh An Giang (không còn ngày 01/02/2026)."
        )
        == 1
    )
    assert any(m.startswith("Phần mở đầu còn ghi năm 2023 hoặc 2022") for m in shown)
