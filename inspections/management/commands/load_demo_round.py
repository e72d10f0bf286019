"""Play the 2023 round of the seed plan 23/KH-UBND to its end, so that every page has data.

Through the same services the pages use: the outline is sent and most units report (some late,
some below the coverage threshold); two teams are formed by numbered decisions; communes are
drawn in the inspected districts and each team's schedule notice issued; every target and chosen
commune is visited, with minutes (numbered on the visit's day), findings per content area and
recommendations; conclusion notices are approved and issued, numbered in the order of their
dates; every document of the chain is dated after the one it follows;
units report remediation and the team verifies part of it; the results report is issued.

The data are invented but plausible, and the same on every run (a fixed random seed). Dates are
set in 2023 as they would have been: where a service stamps "now" (a submission, a report, a
verification), the stamp is moved back to the demo's date afterwards. Skipped when the seed plan
already has a team.
"""

from __future__ import annotations

import datetime
import io
import random

import pikepdf
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from inspections import services
from inspections.models import (
    ContentArea,
    FieldKind,
    FieldRole,
    FindingKind,
    Holiday,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    Recommendation,
    RemediationReport,
    Submission,
    TeamRole,
    Verification,
)
from inspections.signals import issued_as_loaded_data
from inspections.uploads import check_upload
from units.models import Level
from units.services import agency_by_ref

UNIT_LEADERS = ["Trần Văn Nam", "Lê Thị Hạnh", "Nguyễn Hoàng Phúc", "Phạm Thị Lan", "Võ Minh Đức"]
UNIT_DEPUTY_TITLES = {
    "committee": "Phó Chủ tịch",
    "inspectorate": "Phó Chánh Thanh tra",
    "office": "Phó Chánh Văn phòng",
}
UNIT_OFFICERS = ["Huỳnh Thị Mai", "Đặng Quốc Bảo", "Lý Thanh Tùng", "Ngô Thị Thảo"]

DAY = datetime.date(2023, 8, 6)


def _blank_pdf() -> bytes:
    """One blank A4 page, the placeholder of every uploaded file, written by qpdf so that it
    passes the upload check; the same bytes on every run (static ID)."""
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        buffer = io.BytesIO()
        pdf.save(buffer, static_id=True)
        return buffer.getvalue()


PDF = _blank_pdf()

STRENGTHS = {
    1: "Ban hành kế hoạch cải cách hành chính năm kịp thời, phân công rõ trách nhiệm.",
    3: "Công bố, công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa.",
    6: "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
    7: "Cập nhật hồ sơ lên Hệ thống thông tin giải quyết thủ tục hành chính đầy đủ.",
}
SHORTCOMINGS = {
    2: ("Chưa rà soát, đánh giá văn bản quy phạm pháp luật theo kế hoạch.", "minor"),
    3: ("Còn hồ sơ trễ hạn nhưng chưa có văn bản xin lỗi người dân.", "moderate"),
    4: ("Chưa cập nhật vị trí việc làm sau khi sắp xếp tổ chức bộ máy.", "moderate"),
    5: ("Chưa thực hiện công khai tài chính theo quy định.", "serious"),
    7: ("Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.", "minor"),
}
RECOMMENDATIONS = {
    2: "Tổ chức rà soát văn bản quy phạm pháp luật, báo cáo kết quả về Sở Tư pháp.",
    3: "Gửi văn bản xin lỗi người dân đối với hồ sơ trễ hạn; báo cáo kết quả khắc phục.",
    4: "Điều chỉnh đề án vị trí việc làm, trình cấp có thẩm quyền phê duyệt.",
    5: "Thực hiện công khai tài chính đúng thời hạn, nội dung theo quy định.",
    7: "Đẩy mạnh hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình.",
}
GOOD_MODELS = [
    "Mô hình “Cà phê doanh nghiệp” đối thoại định kỳ với doanh nghiệp.",
    "Tổ công nghệ số cộng đồng hỗ trợ người dân nộp hồ sơ trực tuyến tại ấp.",
    "Số hóa 100% hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực.",
]


def _checked_pdf(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    upload.checked = check_upload(upload)
    upload.seek(0)
    return upload


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Command(BaseCommand):
    help = (
        "Nạp một đợt kiểm tra mẫu năm 2023 hoàn chỉnh trên kế hoạch 23/KH-UBND (bỏ qua nếu đã có)."
    )

    def handle(self, *args, **options):
        try:
            plan = Plan.objects.get(year=2023, number=23, issuer=agency_by_ref("91/UBND", DAY))
        except Plan.DoesNotExist:
            raise CommandError("Chưa có kế hoạch mẫu: chạy load_seed_plan trước.") from None
        if plan.teams.exists():
            self.stdout.write("Đợt kiểm tra mẫu đã có.")
            return
        users = get_user_model().objects
        self.users = {u.username: u for u in users.filter(username__in=[
            "noivu", "lanhdao", "truongdoan", "doanvien", "tuphap", "anbien", "thuba",
        ])}  # fmt: skip
        if len(self.users) < 7:
            raise CommandError("Thiếu tài khoản mẫu: chạy load_demo_users trước.")
        # Not for secrets: the demo data are the same on every run.
        self.random = random.Random(2023)  # nosec B311
        self.calendar = Holiday.objects.calendar()
        self.areas = {a.number: a for a in ContentArea.objects.all()}
        # Loaded as data: its documents are kept as issued at their first download (rendering
        # its sixty-odd documents here would add half a minute to `make run`).
        with issued_as_loaded_data(), transaction.atomic():
            self._self_inspection(plan)
            visits = self._visits(plan)
            self._findings(visits)
            self._conclusions(plan, visits)
            self._remediation(plan)
            self._results(plan)
        self.stdout.write(
            f"Đã nạp đợt kiểm tra mẫu: {len(visits)} cuộc kiểm tra, "
            f"{plan.conclusions.count()} thông báo kết luận, báo cáo kết quả đã ban hành."
        )

    # Self-inspection ---------------------------------------------------------------------------

    def _self_inspection(self, plan: Plan) -> None:
        outline = Outline.objects.create(
            plan=plan,
            target_deadline=datetime.date(2023, 9, 15),
            guidance="Báo cáo theo đề cương; gửi kèm bảng số liệu và tài liệu minh chứng.",
            signer_name="Nguyễn Văn Sơn",
        )
        for order, title in enumerate(
            ["Công tác chỉ đạo, điều hành", "Kết quả thực hiện các nhiệm vụ cải cách hành chính",
             "Tự đánh giá, đề xuất, kiến nghị"], start=1,
        ):  # fmt: skip
            OutlineSection.objects.create(outline=outline, order=order, title=title)
        total = OutlineField.objects.create(
            outline=outline, order=1, label="Tổng số phòng, ban, đơn vị trực thuộc",
            kind=FieldKind.NUMBER, role=FieldRole.COVERAGE_TOTAL,
        )  # fmt: skip
        done = OutlineField.objects.create(
            outline=outline, order=2, label="Số đã tự kiểm tra", kind=FieldKind.NUMBER,
            role=FieldRole.COVERAGE_DONE,
        )  # fmt: skip
        letter_day = datetime.date(2023, 8, 15)
        services.outline_send(outline=outline, by=self.users["noivu"], day=letter_day)
        Outline.objects.filter(pk=outline.pk).update(sent_at=_at(letter_day))
        for request in plan.requests.select_related("agency").order_by("pk"):
            roll = self.random.random()
            if roll < 0.12:
                continue  # never reported
            units = self.random.randint(6, 20)
            below = roll < 0.2
            floor = int(units * float(plan.self_inspection_threshold) / 100)
            checked = (
                max(floor - 1, 0) if below else self.random.randint(min(floor + 1, units), units)
            )
            submission = services.submission_create(
                request=request,
                by=self.users["noivu"],
                deliverable="report",
                file=_checked_pdf(f"bao-cao-tu-kiem-tra-{request.agency_id}.pdf"),
                values={str(total.pk): units, str(done.pk): checked},
                explanation="Một số đơn vị đang sắp xếp tổ chức bộ máy." if below else "",
            )
            late = roll > 0.85
            shift = self.random.randint(1, 6) if late else -self.random.randint(1, 10)
            day = request.deadline + datetime.timedelta(days=shift)
            Submission.objects.filter(pk=submission.pk).update(submitted_at=_at(day), late=late)
            if self.random.random() < 0.8:
                services.submission_review(
                    submission=submission, by=self.users["noivu"], accept=True
                )

    # Teams and visits ---------------------------------------------------------------------------

    def _visits(self, plan: Plan) -> list:
        noivu = self.users["noivu"]
        decision_day = datetime.date(2023, 8, 25)
        province = services.team_create(plan=plan, name="Đoàn kiểm tra số 1", by=noivu)
        district = services.team_create(plan=plan, name="Đoàn kiểm tra số 2", by=noivu)
        members = [
            (province, "truongdoan", "Lê Văn Hùng", "Phó Giám đốc", "91/SNV", TeamRole.LEAD),
            (province, "doanvien", "Phạm Minh Tâm", "Chuyên viên", "91/STC", TeamRole.MEMBER),
            (province, None, "Nguyễn Thị Thu", "Chuyên viên", "91/SNV", TeamRole.SECRETARY),
            (district, None, "Trần Quốc Việt", "Phó Giám đốc", "91/SNV", TeamRole.LEAD),
            (district, "doanvien", "Phạm Minh Tâm", "Chuyên viên", "91/STC", TeamRole.MEMBER),
            (district, None, "Lâm Thị Hạnh", "Chuyên viên", "91/STTTT", TeamRole.SECRETARY),
        ]
        for team, username, name, title, agency, role in members:
            services.team_member_add(
                team=team, user=self.users.get(username) if username else None, full_name=name,
                title=title, agency=agency_by_ref(agency, DAY), role=role,
            )  # fmt: skip
        targets = list(plan.targets.select_related("agency__unit").order_by("order", "pk"))
        by_level = {True: [], False: []}
        for target in targets:
            by_level[target.agency.unit.level == Level.PROVINCE].append(target)
        services.team_targets_assign(team=province, targets=by_level[True])
        services.team_targets_assign(team=district, targets=by_level[False])
        for team in (province, district):
            team.signer_name = "Nguyễn Thanh Nhân"
            team.save(update_fields=["signer_name"])
            services.team_decision_issue(team=team, day=decision_day, by=noivu)
        visits = []
        day = {province.pk: datetime.date(2023, 9, 18), district.pk: datetime.date(2023, 9, 18)}
        for team, team_targets in ((province, by_level[True]), (district, by_level[False])):
            for target in team_targets:
                agencies = [target.agency]
                if target.agency.unit.level == Level.DISTRICT:
                    choices = services.communes_draw(target=target, by=noivu, seed=target.pk)
                    agencies += [c.agency for c in choices]
                for agency in agencies:
                    visits.append(
                        services.visit_schedule(
                            team=team, target=target, agency=agency, date=day[team.pk],
                            start_time=datetime.time(8), end_time=datetime.time(11, 30),
                            place=f"Trụ sở {agency.name}", mode=target.mode,
                            announced=target.announced,
                        )
                    )  # fmt: skip
                    day[team.pk] = self.calendar.add_working_days(day[team.pk], 1)
        for team in (province, district):  # the week before the visits start
            services.schedule_notice_issue(team=team, day=datetime.date(2023, 9, 8), by=noivu)
        return visits

    def _findings(self, visits) -> None:
        for i, visit in enumerate(visits):
            recorder = self.users["doanvien"]
            # Invented people of the unit: who received the team and signs the minutes.
            leader = UNIT_LEADERS[i % len(UNIT_LEADERS)]
            officer = UNIT_OFFICERS[i % len(UNIT_OFFICERS)]
            title = UNIT_DEPUTY_TITLES.get(visit.agency.kind, "Phó Giám đốc")
            services.minutes_save(
                visit=visit, by=recorder,
                team_attendees="Các thành viên Đoàn kiểm tra theo Quyết định thành lập Đoàn.",
                unit_attendees=f"Ông/Bà {leader}, {title}\nÔng/Bà {officer}, công chức phụ "
                "trách công tác cải cách hành chính",
                checked="Báo cáo tự kiểm tra; hồ sơ, tài liệu; Bộ phận Một cửa; hồ sơ trễ hạn.",
                conclusions="Đơn vị cơ bản thực hiện các nhiệm vụ cải cách hành chính.",
                unit_opinion="Thống nhất với nội dung biên bản.",
                unit_signer_name=leader, unit_signer_title=title,
            )  # fmt: skip
            area = self.random.choice(list(STRENGTHS))
            services.finding_add(
                visit=visit, by=recorder, kind=FindingKind.STRENGTH,
                content_area=self.areas.get(area), description=STRENGTHS[area],
            )  # fmt: skip
            for area in self.random.sample(list(SHORTCOMINGS), self.random.randint(1, 2)):
                text, severity = SHORTCOMINGS[area]
                finding = services.finding_add(
                    visit=visit, by=recorder, kind=FindingKind.SHORTCOMING,
                    content_area=self.areas.get(area), description=text, severity=severity,
                )  # fmt: skip
                services.recommendation_add(
                    finding=finding, responsible=visit.agency, text=RECOMMENDATIONS[area],
                    deadline_kind="working_days" if area % 2 else "days",
                    deadline_count=15 if area % 2 else 30,
                )  # fmt: skip
            if i % 7 == 3:
                services.finding_add(
                    visit=visit, by=recorder, kind=FindingKind.GOOD_MODEL,
                    content_area=self.areas.get(6), description=GOOD_MODELS[i % len(GOOD_MODELS)],
                )  # fmt: skip

    def _conclusions(self, plan: Plan, visits) -> None:
        """Minutes numbered on their visit's day, then notices a week and a half later, each in
        the order of its dates, as a records office numbers them."""
        visits = sorted(visits, key=lambda v: (v.date, v.start_time, v.pk))
        for visit in visits:
            services.minutes_issue(minutes=visit.minutes, by=self.users["doanvien"])
        for visit in visits:
            notice = services.conclusion_prepare(plan=plan, agency=visit.agency)
            services.conclusion_submit(
                notice=notice,
                summary="Đơn vị đã quan tâm chỉ đạo công tác cải cách hành chính; còn một số "
                "tồn tại cần khắc phục như sau.",
                signer_name="Nguyễn Thanh Nhân",
            )
            services.conclusion_decide(notice=notice, by=self.users["lanhdao"], approve=True)
            services.conclusion_issue(
                notice=notice,
                day=self.calendar.add_working_days(visit.date, 7),
                by=self.users["noivu"],
            )

    # After the conclusions ---------------------------------------------------------------------

    def _remediation(self, plan: Plan) -> None:
        recommendations = Recommendation.objects.filter(finding__visit__plan=plan).select_related(
            "finding__visit"
        )
        reporters = {"91/STP": "tuphap", "908/UBND": "anbien", "30985/UBND": "thuba"}
        for i, recommendation in enumerate(recommendations.order_by("pk")):
            if i % 3 == 2:
                continue  # not reported yet
            agency = recommendation.responsible
            username = reporters.get(f"{agency.unit.code}/{agency.code}", "noivu")
            report = services.remediation_report(
                recommendation=recommendation,
                by=self.users[username],
                text="Đơn vị đã ban hành văn bản chỉ đạo khắc phục và tổ chức thực hiện.",
                files=[_checked_pdf("minh-chung-khac-phuc.pdf")],
            )
            reported = recommendation.due_date - datetime.timedelta(days=3)
            RemediationReport.objects.filter(pk=report.pk).update(
                submitted_at=_at(reported), late=False
            )
            if i % 3 == 0:
                verification = services.remediation_verify(
                    recommendation=recommendation, by=self.users["truongdoan"], done=True,
                    note="Đã kiểm tra minh chứng: đạt.",
                )  # fmt: skip
            elif i % 6 == 1:
                verification = services.remediation_verify(
                    recommendation=recommendation, by=self.users["truongdoan"], done=False,
                    note="Chưa có văn bản xin lỗi gửi người dân; đề nghị bổ sung.",
                )  # fmt: skip
            else:
                continue
            Verification.objects.filter(pk=verification.pk).update(
                verified_at=_at(reported + datetime.timedelta(days=5))
            )

    def _results(self, plan: Plan) -> None:
        report = services.results_report_for(plan)
        services.results_report_save(
            report=report,
            summary=(
                "Thực hiện Kế hoạch, Sở Nội vụ đã tham mưu thành lập 02 Đoàn kiểm tra; các Đoàn "
                "đã kiểm tra trực tiếp tại các cơ quan, đơn vị, địa phương theo Kế hoạch."
            ),
            assessment=(
                "Các cơ quan, đơn vị, địa phương đã quan tâm chỉ đạo, triển khai nhiệm vụ cải "
                "cách hành chính; cải cách thủ tục hành chính có chuyển biến tích cực.\n"
                "Tuy nhiên, một số nơi còn chậm rà soát văn bản, còn hồ sơ trễ hạn chưa xin lỗi "
                "người dân, tỷ lệ hồ sơ trực tuyến toàn trình còn thấp."
            ),
            proposals=(
                "Chỉ đạo các cơ quan, đơn vị khắc phục tồn tại theo thông báo kết luận, báo cáo "
                "kết quả về Sở Nội vụ.\n"
                "Biểu dương, nhân rộng các mô hình hay, cách làm mới đã được ghi nhận.\n"
                "Đưa các đơn vị chưa khắc phục xong vào danh sách phúc tra năm 2024."
            ),
            signer_name="Lê Văn Hùng",
        )
        services.results_report_submit(report=report)
        services.results_report_decide(report=report, by=self.users["lanhdao"], approve=True)
        services.results_report_issue(
            report=report, day=datetime.date(2023, 12, 15), by=self.users["noivu"]
        )
