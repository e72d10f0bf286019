"""The minutes of a visit (biên bản kiểm tra) as PDF and Word: content read back from the files,
both parties' signatures, who may download them, and a query count that does not grow."""

from __future__ import annotations

import datetime
import io
import unicodedata

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import client_for
from inspections import services
from inspections.models import ContentArea, Plan, TeamRole, Visit
from reports.visit_documents import minutes_document
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 8, 6)
LEAD = "Lê Văn Hùng"  # truongdoan
UNIT_SIGNER = "Nguyễn Văn Hòa"


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def visit() -> Visit:
    """A visit of a team led by truongdoan (doanvien is not a member) to the An Biên committee."""
    plan = Plan.objects.get(year=2023, number=23)
    target = plan.targets.get(agency=agency_by_ref("908/UBND", DAY))
    team = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=_user("noivu"))
    services.team_member_add(
        team=team, full_name="Võ Văn Ba", agency=agency_by_ref("91/STP", DAY),
        role=TeamRole.SECRETARY,
    )  # fmt: skip
    services.team_member_add(
        team=team, user=_user("truongdoan"), full_name=LEAD,
        agency=agency_by_ref("91/SNV", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target])
    return services.visit_schedule(
        team=team, target=target, agency=target.agency, date=datetime.date(2024, 2, 5),
        start_time=datetime.time(8), end_time=datetime.time(11, 30),
        place="Hội trường Ủy ban nhân dân huyện An Biên",
    )  # fmt: skip


def _record(visit: Visit, findings: int = 1) -> None:
    services.minutes_save(
        visit=visit, by=_user("truongdoan"),
        team_attendees=f"Ông {LEAD}, Phó Giám đốc Sở Nội vụ, Trưởng đoàn;\n- Ông Võ Văn Ba, thư ký",
        unit_attendees=f"Ông {UNIT_SIGNER}, Phó Chủ tịch UBND huyện",
        checked="Báo cáo tự kiểm tra năm 2023\nBộ phận một cửa; 12 hồ sơ trễ hạn",
        conclusions="Đơn vị cơ bản thực hiện tốt nhiệm vụ cải cách hành chính.",
        unit_opinion="",
        unit_signer_name=UNIT_SIGNER,
        unit_signer_title="Phó Chủ tịch UBND huyện",
    )  # fmt: skip
    areas = list(ContentArea.objects.order_by("framework", "number")[:2])
    for i in range(findings):
        finding = services.finding_add(
            visit=visit, by=_user("truongdoan"), kind="shortcoming", severity="moderate",
            content_area=[*areas, None][i % 3],
            description=f"Còn hồ sơ trễ hạn chưa xin lỗi ({i}).",
        )  # fmt: skip
        services.recommendation_add(
            finding=finding, responsible=visit.agency, text=f"Xin lỗi người dân ({i}).",
            deadline_kind="date", deadline_date=datetime.date(2024, 3, 4),
        )  # fmt: skip


def _url(visit: Visit, fmt: str) -> str:
    return reverse("reports:minutes-document", args=[visit.pk, fmt])


def test_pdf_has_the_title_sections_and_both_signatures(visit):
    _record(visit, findings=3)
    response = client_for("noivu").get(_url(visit, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for expected in (
        "UBND TỈNH KIÊN GIANG",
        "ĐOÀN KIỂM TRA SỐ 1",
        "Số: /BB-ĐKT",
        "BIÊN BẢN",
        "Kiểm tra công tác cải cách hành chính năm 2023 tại Ủy ban nhân dân huyện An Biên",
        "Thực hiện Kế hoạch số 23/KH-UBND",
        "Hôm nay, vào lúc 08 giờ, ngày 05/02/2024, tại Hội trường Ủy ban nhân dân huyện An Biên",
        "I. THÀNH PHẦN",
        "1. Đoàn kiểm tra",
        # Every member named in the minutes, with title and agency, in the decision's order.
        f"- Ông/Bà {LEAD}, Sở Nội vụ — Trưởng đoàn;",
        "- Ông/Bà Võ Văn Ba, Sở Tư pháp — Thư ký.",
        "2. Đơn vị được kiểm tra: Ủy ban nhân dân huyện An Biên",
        f"- Ông {UNIT_SIGNER}, Phó Chủ tịch UBND huyện.",
        "II. NỘI DUNG KIỂM TRA",
        "- Báo cáo tự kiểm tra năm 2023;",
        "- Bộ phận một cửa; 12 hồ sơ trễ hạn.",
        "III. KẾT QUẢ KIỂM TRA",
        "3. Nội dung khác",
        "a) Tồn tại, hạn chế (mức độ: trung bình): Còn hồ sơ trễ hạn chưa xin lỗi (2).",
        "- Kiến nghị: Xin lỗi người dân (2) (đơn vị thực hiện: Ủy ban nhân dân huyện An Biên; "
        "thời hạn: 04/03/2024).",
        "IV. KẾT LUẬN",
        "V. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "Thống nhất với nội dung biên bản.",
        "Biên bản kết thúc vào lúc 11 giờ 30 phút cùng ngày",
        "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA",
        "PHÓ CHỦ TỊCH UBND HUYỆN",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        UNIT_SIGNER,
        LEAD,
    ):
        assert expected in text, expected
    assert "Nơi nhận" not in text
    assert "ngày 05 tháng 02 năm 2024" not in text  # the minutes' header has no date line
    assert "Võ Văn Ba" not in text.rsplit("TRƯỞNG ĐOÀN KIỂM TRA", 1)[1]  # the lead signs


def test_docx_closing_table_has_both_parties(visit):
    _record(visit)
    response = client_for("truongdoan").get(_url(visit, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    word = docx.Document(io.BytesIO(response.content))
    closing = word.tables[-1]
    captions, names = ([flat(c.text) for c in row.cells] for row in closing.rows)
    assert captions == [
        "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA PHÓ CHỦ TỊCH UBND HUYỆN",
        "TRƯỞNG ĐOÀN KIỂM TRA",
    ]
    assert names == [UNIT_SIGNER, LEAD]
    paragraphs = [flat(p.text) for p in word.paragraphs]
    assert "BIÊN BẢN" in paragraphs and "I. THÀNH PHẦN" in paragraphs


def test_the_issued_team_decision_is_cited(visit):
    team = visit.team
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    services.team_decision_issue(team=team, day=datetime.date(2023, 8, 15))
    _record(visit, findings=0)
    visit.refresh_from_db()
    document = minutes_document(visit.minutes)
    assert "Quyết định số 01/QĐ-UBND ngày 15/08/2023" in document.preamble[0]
    assert "Đoàn kiểm tra chưa ghi nhận kết quả kiểm tra." in [b.text for b in document.blocks]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("noivu", 200), ("lanhdao", 200), ("truongdoan", 200), ("doanvien", 404),
     ("tuphap", 404), ("anbien", 404), ("camau", 404)],
)  # fmt: skip
def test_permission_matrix(visit, persona, status):
    # doanvien is on no team of this visit; anbien reports for the inspected unit itself.
    _record(visit)
    assert client_for(persona).get(_url(visit, "docx")).status_code == status


def test_anonymous_goes_to_login(visit):
    _record(visit)
    response = client_for(None).get(_url(visit, "docx"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_no_minutes_unknown_format_and_post_are_refused(visit):
    staff = client_for("noivu")
    assert staff.get(_url(visit, "pdf")).status_code == 404  # nothing recorded yet
    _record(visit)
    assert staff.get(_url(visit, "odt")).status_code == 404
    assert staff.post(_url(visit, "pdf")).status_code == 405


@pytest.mark.parametrize("findings", [1, 6])
def test_query_count_does_not_grow_with_findings(visit, findings):
    _record(visit, findings=findings)
    client = client_for("truongdoan")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(visit, "docx")).status_code == 200
    # session, user, membership, lineage, visit, minutes with plan, issuer and team, the issued
    # notice that would freeze them (then the kept files are served), members, findings with
    # areas, recommendations with agencies; session refresh (3)
    assert len(queries) == 10 + 3
