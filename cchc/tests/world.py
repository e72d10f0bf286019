"""A small but complete inspection round, built once per test module through the services the
pages use, so that every page of the app has something to show (and to hide).

On the seed plan 23/KH-UBND of Kiên Giang: team no. 1 with doanvien as its lead (truongdoan, of
the same role, is *not* a member), An Biên district and Sở Tư pháp assigned; a visit to An Biên
with minutes, a finding with an evidence file and a recommendation; the conclusion notice to An
Biên issued; An Biên's remediation report with a file; the outline sent and An Biên's
self-inspection report submitted with a file and an attachment; a draft results report;
doanvien's calendar address. Besides: a draft 2026 plan of An Giang with an item and a target
(the builder pages need a plan still being drafted), and a draft plan of Cà Mau with an item and
a target, the object that belongs to nobody of An Giang.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.test import AG_2026, KG_2023, unit
from inspections import services
from inspections.models import (
    AmendmentTarget,
    CalendarFeed,
    ConclusionNotice,
    FieldKind,
    FieldRole,
    Finding,
    FindingEvidence,
    IssuedRendition,
    Minutes,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanAmendment,
    PlanItem,
    PlanTarget,
    Recommendation,
    RemediationFile,
    ReportRequest,
    ResultsReport,
    Submission,
    SubmissionAttachment,
    Team,
    TeamRole,
    Visit,
)
from inspections.tests.test_uploads import pdf_bytes
from inspections.uploads import check_upload
from reports.issued import rendition_store
from reports.models import Job, JobKind, JobStatus
from units.models import AdministrativeUnit, Agency
from units.services import agency_by_ref

PDF = pdf_bytes()  # a well-formed one-page PDF: uploads are parsed
PLAN_DAY = datetime.date(2023, 8, 6)
VISIT_DAY = datetime.date(2024, 2, 5)


def checked_pdf(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    """An upload as a form hands it to the services: already checked."""
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    upload.checked = check_upload(upload)
    upload.seek(0)
    return upload


def user(username: str):
    return get_user_model().objects.get(username=username)


@dataclass
class World:
    seed: Plan
    team: Team
    an_bien: Agency  # the district's People's Committee, 2023
    an_bien_target: PlanTarget  # a district target: communes are chosen for it
    visit: Visit
    minutes: Minutes
    finding: Finding
    evidence: FindingEvidence
    recommendation: Recommendation
    notice: ConclusionNotice
    remediation_file: RemediationFile
    outline: Outline
    request: ReportRequest  # An Biên's self-inspection request
    submission: Submission
    attachment: SubmissionAttachment
    results: ResultsReport
    feed: CalendarFeed  # doanvien's
    amendment: PlanAmendment  # a draft amendment of the seed plan, adding Sở Y tế
    amendment_change: AmendmentTarget
    job: Job  # the seed round's ZIP, done (another one is queued: asking again joins that one)
    draft: Plan  # An Giang, 2026
    draft_item: PlanItem
    draft_target: PlanTarget
    ca_mau_plan: Plan
    ca_mau_item: PlanItem
    ca_mau_target: PlanTarget
    province: AdministrativeUnit  # Kiên Giang
    ca_mau: AdministrativeUnit
    ca_mau_agency: Agency
    rendition: IssuedRendition  # the seed plan's kept files (signing pages)


def build_world() -> World:
    seed = Plan.objects.get(year=2023, number=23)
    noivu, doanvien, anbien = user("noivu"), user("doanvien"), user("anbien")
    an_bien = agency_by_ref("908/UBND", PLAN_DAY)
    an_bien_target = seed.targets.get(agency=an_bien)

    team = services.team_create(plan=seed, name="Đoàn kiểm tra số 1", by=noivu)
    services.team_member_add(
        team=team, user=doanvien, full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", PLAN_DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(
        team=team,
        targets=[an_bien_target, seed.targets.get(agency=agency_by_ref("91/STP", PLAN_DAY))],
    )

    visit = services.visit_schedule(
        team=team, target=an_bien_target, agency=an_bien, date=VISIT_DAY,
        start_time=datetime.time(8), end_time=datetime.time(11), place="Hội trường",
        announced=True,
    )  # fmt: skip
    minutes = services.minutes_save(
        visit=visit, by=doanvien, team_attendees="Đoàn kiểm tra", unit_attendees="UBND huyện",
        checked="Hồ sơ thủ tục hành chính", conclusions="Cơ bản đạt yêu cầu",
    )  # fmt: skip
    finding = services.finding_add(
        visit=visit, by=doanvien, kind="shortcoming", severity="moderate",
        description="Còn hồ sơ trễ hạn chưa xin lỗi người dân.",
    )  # fmt: skip
    (evidence,) = services.finding_evidence_add(
        finding=finding, by=doanvien, files=[checked_pdf("bien-ban-ho-so.pdf")]
    )
    recommendation = services.recommendation_add(
        finding=finding, responsible=an_bien, text="Gửi văn bản xin lỗi người dân.",
        deadline_kind="working_days", deadline_count=15,
    )  # fmt: skip
    notice = services.conclusion_prepare(plan=seed, agency=an_bien)
    services.conclusion_submit(notice=notice, summary="", signer_name="Nguyễn Thanh Nhân")
    services.conclusion_decide(notice=notice, by=user("lanhdao"), approve=True)
    services.conclusion_issue(notice=notice, day=datetime.date(2024, 3, 1))
    report = services.remediation_report(
        recommendation=recommendation, by=anbien, text="Đã gửi văn bản xin lỗi.",
        files=[checked_pdf("van-ban-xin-loi.pdf")],
    )  # fmt: skip

    outline = Outline.objects.create(plan=seed, target_deadline=datetime.date(2099, 7, 15))
    OutlineSection.objects.create(outline=outline, order=1, title="Công tác chỉ đạo, điều hành")
    total = OutlineField.objects.create(
        outline=outline, order=1, label="Tổng số phòng, ban, đơn vị", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_TOTAL,
    )  # fmt: skip
    done = OutlineField.objects.create(
        outline=outline, order=2, label="Số đã tự kiểm tra", kind=FieldKind.NUMBER,
        role=FieldRole.COVERAGE_DONE,
    )  # fmt: skip
    services.outline_send(outline=outline, by=noivu, day=seed.document_date)
    request = seed.requests.get(agency=an_bien)
    submission = services.submission_create(
        request=request, by=anbien, deliverable="report", file=checked_pdf("bao-cao.pdf"),
        values={str(total.pk): 10, str(done.pk): 10}, attachments=[checked_pdf("bieu-mau.pdf")],
    )  # fmt: skip

    results = services.results_report_for(seed)
    services.results_report_save(report=results, summary="Đoàn đã kiểm tra An Biên.")

    amendment = services.amendment_start(plan=seed, by=noivu)
    amendment_change = services.amendment_target_add(
        amendment=amendment, agency=agency_by_ref("91/SYT", PLAN_DAY)
    )

    draft = services.plan_create(
        by=noivu, issuer=agency_by_ref("91/UBND", AG_2026), year=2026, place="An Giang",
        document_date=AG_2026, summary="Kiểm tra công tác cải cách hành chính năm 2026",
    )  # fmt: skip
    draft_item = PlanItem.objects.create(plan=draft, order=1, heading="MỤC ĐÍCH, YÊU CẦU")
    (draft_target,) = services.plan_targets_add(
        plan=draft, agencies=[agency_by_ref("91/STP", AG_2026)]
    )

    ca_mau_agency = agency_by_ref("96/SNV", AG_2026)
    ca_mau_plan = services.plan_create(
        by=user("camau"), issuer=ca_mau_agency, year=2026, place="Cà Mau",
        document_date=AG_2026, summary="Kiểm tra công tác cải cách hành chính năm 2026",
    )  # fmt: skip
    ca_mau_item = PlanItem.objects.create(plan=ca_mau_plan, order=1, heading="MỤC ĐÍCH")
    (ca_mau_target,) = services.plan_targets_add(plan=ca_mau_plan, agencies=[ca_mau_agency])

    job = Job.objects.create(kind=JobKind.ROUND_ZIP, plan=seed, status=JobStatus.DONE, total=1)
    job.result.save("van-ban.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    Job.objects.create(kind=JobKind.ROUND_ZIP, plan=seed, requested_by=noivu)

    return World(
        seed=seed,
        team=team,
        an_bien=an_bien,
        an_bien_target=an_bien_target,
        visit=visit,
        minutes=minutes,
        finding=finding,
        evidence=evidence,
        recommendation=recommendation,
        notice=notice,
        remediation_file=report.files.get(),
        outline=outline,
        request=request,
        submission=submission,
        attachment=submission.attachments.get(),
        results=results,
        feed=services.calendar_feed_for(doanvien),
        amendment=amendment,
        amendment_change=amendment_change,
        job=job,
        draft=draft,
        draft_item=draft_item,
        draft_target=draft_target,
        ca_mau_plan=ca_mau_plan,
        ca_mau_item=ca_mau_item,
        ca_mau_target=ca_mau_target,
        province=unit("91", KG_2023),
        ca_mau=unit("96", AG_2026),
        ca_mau_agency=ca_mau_agency,
        rendition=rendition_store(seed),
    )
