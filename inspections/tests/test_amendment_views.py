"""Amendment pages: who may do each step (anonymous, each role, another province), the steps
through the views, the document a unit receives, pinned query counts at two sizes."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cchc.test import OUTSIDER, PERSONAS, client_for
from inspections import services
from inspections.models import AmendmentTarget, NoticeStatus, PlanAmendment
from inspections.tests.factories import DAY, seed, target, user
from units.models import Agency
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db

THU_BA = "30985/UBND"
STAFF = ("admin", "noivu")
LEADERS = ("lanhdao",)
OTHERS = ("truongdoan", "doanvien", "tuphap", "anbien", "thuba")


def draft() -> PlanAmendment:
    amendment = services.amendment_start(plan=seed(), by=user("noivu"))
    services.amendment_save(
        amendment=amendment, version=None, content="Bổ sung đối tượng kiểm tra.",
        period_text="Tháng 10 năm 2023",
    )  # fmt: skip
    services.amendment_target_add(amendment=amendment, agency=agency_by_ref("91/SYT", DAY))
    services.amendment_target_add(
        amendment=amendment, agency=agency_by_ref(THU_BA, DAY), announced=False
    )
    return amendment


def issued() -> PlanAmendment:
    amendment = draft()
    services.amendment_submit(amendment=amendment)
    services.amendment_decide(amendment=amendment, by=user("lanhdao"), approve=True)
    services.amendment_issue(amendment=amendment, day=datetime.date(2023, 9, 15))
    amendment.refresh_from_db()
    return amendment


def another_commune() -> Agency:
    return (
        Agency.objects.valid_on(DAY)
        .filter(province=seed().province, unit__level="commune")
        .exclude(name__contains="Thứ Ba")
        .order_by("pk")
        .first()
    )


def url(name: str, amendment: PlanAmendment, *more) -> str:
    return reverse(f"inspections:{name}", args=[amendment.pk, *more])


def document_text(persona: str, amendment: PlanAmendment, fmt: str = "pdf") -> str:
    response = client_for(persona).get(
        reverse("reports:amendment-document", args=[amendment.pk, fmt])
    )
    assert response.status_code == 200
    if fmt == "pdf":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    word = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(p.text for p in word.paragraphs)])


# Who may read ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ("admin", "noivu", "lanhdao", "truongdoan", "doanvien"))
def test_staff_leaders_and_team_read_the_draft(persona):
    amendment = draft()
    assert client_for(persona).get(url("amendment-detail", amendment)).status_code == 200
    document = client_for(persona).get(
        reverse("reports:amendment-document", args=[amendment.pk, "pdf"])
    )
    assert document.status_code == 200


@pytest.mark.parametrize("persona", ("tuphap", "anbien", "thuba", OUTSIDER))
def test_units_and_other_provinces_do_not_see_a_draft(persona):
    amendment = draft()
    assert client_for(persona).get(url("amendment-detail", amendment)).status_code == 404
    document = reverse("reports:amendment-document", args=[amendment.pk, "pdf"])
    assert client_for(persona).get(document).status_code == 404


def test_anonymous_is_sent_to_sign_in():
    amendment = draft()
    response = client_for(None).get(url("amendment-detail", amendment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_of_the_province_reads_the_issued_amendment(persona, private_files):
    amendment = issued()
    page = client_for(persona).get(url("amendment-detail", amendment))
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Sở Y tế" in shown
    # The unannounced commune: staff and leaders only, on this page as in the plan's data.
    assert ("Thứ Ba" in shown) == (persona in (*STAFF, *LEADERS))
    assert client_for(OUTSIDER).get(url("amendment-detail", amendment)).status_code == 404


# Who may act ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", (*LEADERS, *OTHERS))
def test_only_staff_change_the_draft(persona):
    amendment = draft()
    client = client_for(persona)
    expected = 403 if persona in ("lanhdao", "truongdoan", "doanvien") else 404
    thu_ba_change = amendment.target_changes.get(agency__name__contains="Thứ Ba")
    for name, args, data in [
        ("amendment-detail", (), {"content": "x", "form": "plan", "version": "1"}),
        ("amendment-target-add", (), {"agency": another_commune().pk}),
        ("amendment-target-remove", (), {"target": target("91/STP").pk}),
        ("amendment-change-delete", (thu_ba_change.pk,), {}),
        ("amendment-submit", (), {}),
        ("amendment-issue", (), {}),
    ]:
        assert client.post(url(name, amendment, *args), data).status_code == expected, name
    # The issued plan is readable by all of them: starting an amendment is refused.
    assert (
        client_for(persona)
        .post(reverse("inspections:amendment-create", args=[seed().pk]))
        .status_code
        == 403
    )
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.DRAFT and amendment.target_changes.count() == 2
    assert PlanAmendment.objects.count() == 1


@pytest.mark.parametrize("persona", ("noivu", "truongdoan", "doanvien", "tuphap"))
def test_only_leaders_approve_or_return(persona):
    amendment = draft()
    services.amendment_submit(amendment=amendment)
    for name in ("amendment-approve", "amendment-return"):
        answer = client_for(persona).post(url(name, amendment), {"note": "Sửa lại."})
        assert answer.status_code == (404 if persona == "tuphap" else 403)
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.SUBMITTED


def test_other_province_gets_404_on_every_step():
    amendment = draft()
    for name in ("amendment-detail", "amendment-target-add", "amendment-submit",
                 "amendment-approve", "amendment-return", "amendment-issue"):  # fmt: skip
        assert client_for(OUTSIDER).post(url(name, amendment)).status_code == 404
    assert (
        client_for(OUTSIDER)
        .post(reverse("inspections:amendment-create", args=[seed().pk]))
        .status_code
        == 404
    )


# The steps through the views ------------------------------------------------------------------


def test_the_whole_path_through_the_pages(private_files, django_capture_on_commit_callbacks):
    staff, leader = client_for("noivu"), client_for("lanhdao")
    plan = seed()
    created = staff.post(reverse("inspections:amendment-create", args=[plan.pk]), {"form": "plan"})
    amendment = PlanAmendment.objects.get()
    assert created["Location"] == url("amendment-detail", amendment)
    page = staff.get(url("amendment-detail", amendment))
    assert page.status_code == 200
    saved = staff.post(
        url("amendment-detail", amendment),
        {
            "form": "plan", "content": "Bổ sung theo chỉ đạo của Chủ tịch.",
            "period_text": "Tháng 10 năm 2023", "period_start": "01/10/2023",
            "period_end": "31/10/2023", "self_report_deadline": "", "signer_name": "Lâm Minh Thành",
            "version": page.context["form"]["version"].value(),
        },
    )  # fmt: skip
    assert saved.status_code == 302, saved.context and saved.context["messages"]
    thu_ba = agency_by_ref(THU_BA, DAY)
    staff.post(
        url("amendment-target-add", amendment),
        {"agency": thu_ba.pk, "kind": "inspection", "mode": "on_site", "reason": "Đột xuất"},
    )
    staff.post(
        url("amendment-target-add", amendment),
        {"agency": agency_by_ref("91/SYT", DAY).pk, "kind": "inspection", "mode": "on_site",
         "announced": "on"},
    )  # fmt: skip
    staff.post(url("amendment-target-remove", amendment), {"target": target("91/STP").pk})
    assert amendment.target_changes.count() == 3
    assert not plan.targets.filter(agency=thu_ba).exists()  # proposals only

    staff.post(url("amendment-submit", amendment))
    returned = leader.post(url("amendment-return", amendment), {"note": ""}, follow=True)
    assert "Ghi lý do trả lại" in returned.content.decode()
    leader.post(url("amendment-return", amendment), {"note": "Nêu rõ lý do bổ sung Thứ Ba."})
    seen = staff.get(url("amendment-detail", amendment)).content.decode()
    assert "Lãnh đạo trả lại:" in seen and "Nêu rõ lý do bổ sung Thứ Ba." in seen
    staff.post(url("amendment-submit", amendment))
    leader.post(url("amendment-approve", amendment))
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(
            url("amendment-issue", amendment), {"document_date": "15/09/2023"}, follow=True
        )
    assert "Đã ban hành" in done.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == NoticeStatus.ISSUED
    assert amendment.issued_on == datetime.date(2023, 9, 15)
    plan.refresh_from_db()
    assert plan.period_start == datetime.date(2023, 10, 1)
    added = plan.targets.get(agency=thu_ba)
    assert added.amendment == amendment and not added.announced  # unchecked box: unannounced
    assert not plan.targets.filter(agency__name="Sở Tư pháp").exists()
    # The plan page shows the amendment and which target it added.
    detail = staff.get(reverse("inspections:plan-detail", args=[plan.pk])).content.decode()
    assert amendment.number_display in detail and "Bổ sung theo" in detail
    # Nothing changes after the issue.
    refused = staff.post(url("amendment-target-remove", amendment), {"target": added.pk})
    assert refused.status_code == 302
    assert not amendment.target_changes.filter(action=AmendmentTarget.Action.REMOVE,
                                               agency=thu_ba).exists()  # fmt: skip


def test_a_visited_target_is_refused_with_a_clear_message(team):
    amendment = draft()
    services.visit_schedule(
        team=team, target=target("908/UBND"), agency=target("908/UBND").agency,
        date=datetime.date(2023, 9, 20), start_time=datetime.time(8),
        end_time=datetime.time(11), place="Hội trường",
    )  # fmt: skip
    answer = client_for("noivu").post(
        url("amendment-target-remove", amendment), {"target": target("908/UBND").pk}, follow=True
    )
    assert "đã có lịch kiểm tra" in answer.content.decode()
    assert not amendment.target_changes.filter(action="remove").exists()


# The document ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_document_prints_announced_changes_only(fmt, private_files):
    amendment = issued()
    text = document_text("thuba", amendment, fmt)
    flat = " ".join(text.split())
    assert "KẾ HOẠCH" in text
    assert amendment.number_display in flat, flat[:400]
    assert "Điều chỉnh, bổ sung Kế hoạch" in flat
    assert "Kế hoạch số 23/KH-UBND" in flat
    assert "Sở Y tế" in flat
    assert "Thứ Ba" not in flat  # unannounced: recorded in the system only
    assert "Tháng 10 năm 2023" in flat
    assert "giữ nguyên" in flat


def test_a_decision_and_a_draft(private_files):
    amendment = draft()
    amendment.form = "decision"
    amendment.save()
    text = " ".join(document_text("noivu", amendment).split())
    assert "QUYẾT ĐỊNH" in text and "/QĐ-UBND" in text
    assert "DỰ THẢO" in text and "Điều 1." in text
    assert "Thứ Ba" not in text


# Query counts ---------------------------------------------------------------------------------


def _grow(amendment: PlanAmendment, n: int) -> None:
    taken = set(seed().targets.values_list("agency_id", flat=True))
    agencies = (
        Agency.objects.valid_on(DAY)
        .filter(unit__level="commune", province=seed().province)
        .exclude(pk__in=taken)
        .exclude(pk__in=amendment.target_changes.values("agency_id"))[:n]
    )
    AmendmentTarget.objects.bulk_create(
        AmendmentTarget(amendment=amendment, action="add", agency=a) for a in agencies
    )


def _queries(path: str) -> int:
    client = client_for("noivu")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 30])
def test_amendment_page_query_count(extra):
    amendment = draft()
    _grow(amendment, extra)
    # session (4 with its refresh), user, membership, lineage, the amendment, its changes,
    # the plan's province and lineage (3: the agencies offered), the edit form's team choices,
    # the target form's agencies, the removal form's targets; the history loaded on demand
    assert _queries(url("amendment-detail", amendment)) == 16
    # Opened: the amendment's and its changes' (2)
    assert _queries(url("amendment-detail", amendment) + "?history=1") == 18


@pytest.mark.parametrize("extra", [0, 30])
def test_amendment_document_query_count(extra):
    amendment = draft()
    _grow(amendment, extra)
    path = reverse("reports:amendment-document", args=[amendment.pk, "pdf"])
    # session (4), user, membership, lineage, the amendment (visibility), the amendment with
    # its plan and issuer, its team, its target changes
    assert _queries(path) == 11


def test_the_admin_neither_changes_nor_deletes_an_issued_amendment(private_files):
    amendment = issued()
    admin = client_for("admin")
    change = reverse("admin:inspections_planamendment_change", args=[amendment.pk])
    assert admin.get(change).status_code == 200  # read-only
    assert admin.post(change, {"form": "decision", "content": "x"}).status_code == 403
    delete = reverse("admin:inspections_planamendment_delete", args=[amendment.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    amendment.refresh_from_db()
    assert amendment.form == "plan" and amendment.content == "Bổ sung đối tượng kiểm tra."


def test_text_over_the_limit_is_refused_and_not_stored():
    from units.limits import NOTE, PROSE

    amendment = draft()
    staff = client_for("noivu")
    page = staff.get(url("amendment-detail", amendment))
    answer = staff.post(
        url("amendment-detail", amendment),
        {"form": "plan", "content": "x" * (PROSE + 1), "signer_name": "A",
         "version": page.context["form"]["version"].value()},
    )  # fmt: skip
    assert answer.status_code == 200 and "tối đa" in answer.content.decode()
    services.amendment_submit(amendment=amendment)
    refused = client_for("lanhdao").post(
        url("amendment-return", amendment), {"note": "x" * (NOTE + 1)}, follow=True
    )
    assert "tối đa" in refused.content.decode()
    amendment.refresh_from_db()
    assert amendment.content == "Bổ sung đối tượng kiểm tra." and amendment.return_reason == ""
    assert amendment.status == NoticeStatus.SUBMITTED
