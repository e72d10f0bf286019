"""The finished inspection rounds of a synthetic province, one a year: the issued plan and its
body, self-inspection, teams and visits, findings and recommendations, conclusion notices,
remediation in every state, and the issued results report."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from decimal import Decimal

from devtools.synthetic.base import FILE_FIELDS, LAST_YEAR, Writer, at
from devtools.synthetic.registry import Province
from devtools.synthetic.words import (
    ASSESSMENT,
    GENERIC_CONTENT,
    GOOD_MODELS,
    PROPOSALS,
    RECIPIENTS,
    SEVERITIES,
    SHORTCOMINGS,
    STRENGTHS,
    SUMMARY,
    TEAM_AGENCIES,
)
from inspections.models import (
    ConclusionNotice,
    DeadlineKind,
    DecisionStatus,
    Deliverable,
    FieldKind,
    FieldRole,
    Finding,
    FindingEvidence,
    FindingKind,
    Minutes,
    NoticeStatus,
    Outline,
    OutlineField,
    OutlineSection,
    Plan,
    PlanBasis,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTeamAgency,
    PlanTransition,
    Recommendation,
    RecommendationStatus,
    RemediationFile,
    RemediationReport,
    ReportRequest,
    RequestMessage,
    ResultsReport,
    ReviewStatus,
    Submission,
    TargetKind,
    TargetMode,
    Team,
    TeamMember,
    TeamRole,
    TeamTarget,
    Verification,
    Visit,
    VisitStatus,
)
from inspections.services import (
    coverage_rate,
    due_date_of,
    self_inspection_recipients,
    submission_figures,
    verified_status,
)
from inspections.text import short_date

MORNING = (datetime.time(8), datetime.time(11, 30))
AFTERNOON = (datetime.time(14), datetime.time(16, 30))


class Rounds:
    """Builds a province's rounds in order: each year's re-inspections follow up the units the
    previous round left with unresolved recommendations."""

    def __init__(self, writer: Writer, province: Province, areas: dict, body: list) -> None:
        self.w = writer
        self.rng = writer.rng
        self.p = province
        self.areas = areas  # content area number → ContentArea
        self.body = body  # the seed plan's items, as loaded from its JSON
        # Agency pk → (its target, its notice) of the last round, while a recommendation is open.
        self.unresolved: dict[int, tuple[PlanTarget, ConclusionNotice]] = {}

    def build(self, year: int) -> None:
        plan = self._plan(year)
        targets = self._targets(plan)
        self._body(plan, any(t.kind == TargetKind.REINSPECTION for t in targets))
        self._self_inspection(plan, targets)
        visits = self._visits(plan, targets)
        recommendations = self._findings(visits)
        notices = self._notices(plan, visits)
        self._remediation(plan, recommendations, notices)
        self._results(plan, visits)

    # The plan ----------------------------------------------------------------------------------

    def _plan(self, year: int) -> Plan:
        w, p = self.w, self.p
        day = w.workday(w.later(datetime.date(year, 2, 10), 0, 30))
        basis = p.year_plans[year]
        plan = Plan(
            province=p.unit,
            issuer=p.committee,
            year=year,
            symbol="KH-UBND",
            number=w.typed_number(p.committee, day, "KH-UBND", self.rng.randint(15, 120)),
            place=p.unit.short_name,
            document_date=day,
            summary=f"Kiểm tra công tác cải cách hành chính năm {year}",
            preamble=(
                f"Thực hiện Kế hoạch số {basis.number}/KH-UBND ngày {basis.issued_on.day:02d} "
                f"tháng {basis.issued_on.month:02d} năm {basis.issued_on.year} của Ủy ban nhân "
                f"dân tỉnh về công tác cải cách hành chính (CCHC) năm {year}, Ủy ban nhân dân "
                f"tỉnh ban hành Kế hoạch kiểm tra công tác CCHC năm {year} như sau:"
            ),
            closing=(
                "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, địa "
                "phương phản ánh về Ủy ban nhân dân tỉnh (qua Sở Nội vụ) để xem xét giải quyết./."
            ),
            status=PlanStatus.ISSUED,
            self_inspection_threshold=Decimal(30),
            self_report_deadline=w.workday(datetime.date(year, 4, 28)),
            period_text=f"Từ tháng 5 đến tháng 10 năm {year}",
            period_start=w.workday(datetime.date(year, 5, 12)),
            period_end=datetime.date(year, 10, 31),
            standing_agency=p.departments["SNV"],
            budget_note=f"Nằm trong kinh phí thực hiện nhiệm vụ CCHC năm {year} do Ủy ban nhân "
            "dân tỉnh phân bổ.",
            signing_capacity="KT. CHỦ TỊCH",
            signer_title="PHÓ CHỦ TỊCH",
            signer_name=p.leader.get_full_name(),
            recipients=RECIPIENTS,
            archive_initials="cchc",
            created_by=p.staff,
            created_at=at(day - datetime.timedelta(days=20)),
            updated_at=at(day, 15),
        )
        w.bulk([plan])
        steps = [
            ("", PlanStatus.DRAFT, p.staff, 20),
            (PlanStatus.DRAFT, PlanStatus.SUBMITTED, p.staff, 10),
            (PlanStatus.SUBMITTED, PlanStatus.APPROVED, p.leader, 3),
            (PlanStatus.APPROVED, PlanStatus.ISSUED, p.staff, 0),
        ]
        w.bulk(
            [
                PlanTransition(
                    plan=plan,
                    from_status=old,
                    to_status=new,
                    by=by,
                    at=at(day - datetime.timedelta(days=back), 10),
                )
                for old, new, by, back in steps
            ]
        )
        w.bulk(
            [
                PlanTeamAgency(plan=plan, agency=p.departments[code], order=i)
                for i, code in enumerate(TEAM_AGENCIES)
            ]
        )
        w.bulk(
            [
                PlanBasis(plan=plan, document=p.programme, order=0),
                PlanBasis(plan=plan, document=basis, order=1),
            ]
        )
        return plan

    def _body(self, plan: Plan, has_reinspections: bool) -> None:
        """The seed plan's body (its prose is general; the one paragraph citing Kiên Giang's own
        plans is replaced), written level by level so that parents have their keys."""
        level = [(None, spec) for spec in self.body]
        areas = []
        while level:
            items, below = [], []
            order: Counter = Counter()
            for parent, spec in level:
                if spec.get("generated") == "reinspections" and not has_reinspections:
                    continue
                item = PlanItem(
                    plan=plan,
                    parent=parent,
                    order=order[parent],
                    heading=spec.get("heading", ""),
                    text=GENERIC_CONTENT if spec.get("references") else spec.get("text", ""),
                    generated=spec.get("generated", ""),
                )
                order[parent] += 1
                items.append(item)
                areas += [(item, n) for n in spec.get("content_areas", []) if n in self.areas]
                below += [(item, child) for child in spec.get("children", [])]
            self.w.bulk(items)
            level = below
        through = PlanItem.content_areas.through
        self.w.bulk([through(planitem=item, contentarea=self.areas[n]) for item, n in areas])

    def _targets(self, plan: Plan) -> list[PlanTarget]:
        """About 40 × scale targets: a fifth departments, the rest communes, and a tenth
        re-inspections of units the last round left with unresolved recommendations."""
        rng, p = self.rng, self.p
        wanted = self.w.scaled(36, 44)
        candidates = sorted(
            self.unresolved.items(),
            key=lambda kv: (kv[1][0].agency.unit.code, kv[1][0].agency.code),
        )
        again = rng.sample(candidates, min(len(candidates), round(wanted * 0.1)))
        taken = {pk for pk, _ in again}
        departments = [d for d in p.departments.values() if d.pk not in taken]
        chosen = rng.sample(departments, min(len(departments), max(1, round(wanted * 0.2))))
        communes = [c for c in p.commune_committees if c.pk not in taken]
        more = max(0, min(len(communes), wanted - len(chosen) - len(again)))
        chosen += sorted(rng.sample(communes, more), key=lambda a: a.unit.code)
        targets = [
            PlanTarget(
                plan=plan,
                agency=agency,
                kind=TargetKind.INSPECTION,
                mode=TargetMode.BY_REPORT if rng.random() < 0.1 else TargetMode.ON_SITE,
                announced=rng.random() < 0.9,
                order=i,
            )
            for i, agency in enumerate(chosen, start=1)
        ]
        for _pk, (earlier, notice) in again:
            targets.append(
                PlanTarget(
                    plan=plan,
                    agency=earlier.agency,
                    kind=TargetKind.REINSPECTION,
                    follows_up=earlier,
                    order=len(targets) + 1,
                    reason="Phúc tra việc khắc phục tồn tại, hạn chế theo Thông báo kết luận số "
                    f"{notice.number:02d}/{notice.symbol} ngày {short_date(notice.issued_on)}.",
                )
            )
        self.w.bulk(targets)
        through = PlanTarget.content_areas.through
        thematic = []
        for target in targets:
            target.area_numbers = []  # kept for the findings of its visit
            if target.kind == TargetKind.INSPECTION and rng.random() < 0.15:
                target.area_numbers = sorted(rng.sample(sorted(self.areas), 2))
                thematic += [
                    through(plantarget=target, contentarea=self.areas[n])
                    for n in target.area_numbers
                ]
        self.w.bulk(thematic)
        return targets

    # Self-inspection ---------------------------------------------------------------------------

    def _self_inspection(self, plan: Plan, targets: list[PlanTarget]) -> None:
        """The outline sent to every target and (as `self_inspection_recipients` on a plan
        without districts) the other departments and every commune; most units report."""
        w, p = self.w, self.p
        letter_date = w.calendar.add_working_days(plan.document_date, 5)
        outline = Outline(
            plan=plan,
            target_deadline=w.workday(datetime.date(plan.year, 4, 14)),
            guidance="Báo cáo theo đề cương; gửi kèm bảng số liệu và tài liệu minh chứng.",
            letter_number=w.number(p.departments["SNV"], letter_date, "SNV-CCHC"),
            letter_date=letter_date,
            signer_name=w.full_name(),
            sent_at=at(letter_date, 15),
            sent_by=p.staff,
        )
        w.bulk([outline])
        titles = [
            "Công tác chỉ đạo, điều hành",
            "Kết quả thực hiện các nhiệm vụ cải cách hành chính",
            "Tự đánh giá, đề xuất, kiến nghị",
        ]
        w.bulk(
            [
                OutlineSection(outline=outline, order=i, title=title)
                for i, title in enumerate(titles, start=1)
            ]
        )
        fields = w.bulk(
            [
                OutlineField(
                    outline=outline, order=1, kind=FieldKind.NUMBER,
                    label="Tổng số phòng, ban, đơn vị trực thuộc", role=FieldRole.COVERAGE_TOTAL,
                ),
                OutlineField(
                    outline=outline, order=2, kind=FieldKind.NUMBER, label="Số đã tự kiểm tra",
                    role=FieldRole.COVERAGE_DONE,
                ),
                OutlineField(
                    outline=outline, order=3, kind=FieldKind.BOOLEAN,
                    label="Có mô hình mới, cách làm hay", required=False,
                ),
            ]
        )  # fmt: skip
        asked = [(t.agency, True, outline.target_deadline) for t in targets]
        seen = {t.agency.pk for t in targets}
        # Who else reports is the service's rule (one query a plan), in a fixed order.
        others = sorted(
            self_inspection_recipients(plan), key=lambda a: (a.unit.level, a.unit.code, a.code)
        )
        asked += [
            (agency, False, plan.self_report_deadline) for agency in others if agency.pk not in seen
        ]
        requests = w.bulk(
            [
                ReportRequest(
                    plan=plan,
                    agency=agency,
                    is_target=is_target,
                    deadline=deadline,
                    wants_unit_plan=True,
                    created_at=outline.sent_at,
                )
                for agency, is_target, deadline in asked
            ]
        )
        submissions, messages = [], []
        for request in requests:
            messages += self._messages(request, letter_date)
            submissions += self._submissions(request, letter_date, fields)
        w.bulk(submissions)
        w.bulk(messages)

    def _messages(self, request: ReportRequest, letter_date) -> list[RequestMessage]:
        """Half the units with an account ask a question; most are answered."""
        rng, p = self.rng, self.p
        reporter = p.reporters.get(request.agency.pk)
        if reporter is None or rng.random() >= 0.5:
            return []
        asked_on = self.w.later(letter_date, 2, 20)
        messages = [
            RequestMessage(
                request=request,
                author=reporter,
                from_unit=True,
                created_at=at(asked_on, 10),
                body="Đề nghị hướng dẫn cách tính tỷ lệ tự kiểm tra khi đơn vị mới sắp xếp.",
            )
        ]
        if rng.random() < 0.7:
            messages.append(
                RequestMessage(
                    request=request,
                    author=p.staff,
                    from_unit=False,
                    created_at=at(asked_on + datetime.timedelta(days=2), 14),
                    body="Tính trên số phòng, ban, đơn vị trực thuộc tại thời điểm báo cáo.",
                )
            )
        return messages

    def _submissions(self, request: ReportRequest, letter_date, fields) -> list[Submission]:
        """A unit's versions: most report (some late, some below the threshold with an
        explanation, some returned and sent again), half also send their own plan."""
        rng, plan = self.rng, request.plan
        roll = rng.random()
        if roll < 0.08:
            return []  # never reported: pending, then overdue
        done_by = self.p.reporters.get(request.agency.pk) or self.p.staff  # or entered by Sở Nội vụ
        out = []
        if rng.random() < 0.5:
            accepted = rng.random() < 0.7
            out.append(
                self._submission(
                    request,
                    done_by,
                    Deliverable.UNIT_PLAN,
                    1,
                    self.w.later(letter_date, 3, 20),
                    ReviewStatus.ACCEPTED if accepted else ReviewStatus.SUBMITTED,
                )
            )
        total, done, novel = fields
        units = rng.randint(6, 25)
        floor = math.ceil(units * plan.self_inspection_threshold / 100)
        checked = rng.randint(0, floor - 1) if roll < 0.18 else rng.randint(floor, units)
        figures = {
            "values": {str(total.pk): units, str(done.pk): checked, str(novel.pk): checked > 5},
            "coverage": coverage_rate(checked, units),
        }
        if figures["coverage"] < plan.self_inspection_threshold:
            figures["explanation"] = "Một số đơn vị đang sắp xếp tổ chức bộ máy."
        late = roll > 0.85
        shift = rng.randint(1, 10) if late else -rng.randint(0, 20)
        day = max(
            request.deadline + datetime.timedelta(days=shift),
            letter_date + datetime.timedelta(days=1),
        )
        if rng.random() < 0.1:
            first = self._submission(
                request, done_by, Deliverable.REPORT, 1, day, ReviewStatus.RETURNED, **figures
            )
            first.review_comment = "Đề nghị bổ sung số liệu và tài liệu minh chứng."
            status = ReviewStatus.ACCEPTED if rng.random() < 0.7 else ReviewStatus.SUBMITTED
            again = self._submission(
                request, done_by, Deliverable.REPORT, 2, self.w.later(day, 5, 12), status, **figures
            )
            return [*out, first, again]
        status = ReviewStatus.ACCEPTED if rng.random() < 0.8 else ReviewStatus.SUBMITTED
        return [
            *out,
            self._submission(request, done_by, Deliverable.REPORT, 1, day, status, **figures),
        ]

    def _submission(
        self, request, by, deliverable, version, day, status, values=None, coverage=None,
        explanation="",
    ) -> Submission:  # fmt: skip
        reviewed = status != ReviewStatus.SUBMITTED
        kind = "bao-cao" if deliverable == Deliverable.REPORT else "ke-hoach"
        return Submission(
            request=request,
            deliverable=deliverable,
            version=version,
            submitted_by=by,
            submitted_at=at(day, self.rng.randint(8, 16)),
            values=values or {},
            **submission_figures(
                coverage=coverage,
                threshold=request.plan.self_inspection_threshold,
                day=day,
                deadline=request.deadline,
            ),
            explanation=explanation,
            file_name=f"{kind}-tu-kiem-tra-lan-{version}.pdf",
            status=status,
            reviewed_by=self.p.staff if reviewed else None,
            reviewed_at=at(day + datetime.timedelta(days=3), 10) if reviewed else None,
            **FILE_FIELDS,
        )

    # Teams and visits --------------------------------------------------------------------------

    def _visits(self, plan: Plan, targets: list[PlanTarget]) -> list[Visit]:
        """2 × scale teams formed by issued decisions share the targets; each visits its own,
        two a day, and records the minutes (so every visit is done)."""
        w, p = self.w, self.p
        n_teams = max(1, min(len(targets), round(2 * w.scale)))
        decided = w.workday(plan.period_start - datetime.timedelta(days=10))
        teams = w.bulk(
            [
                Team(
                    plan=plan,
                    name=f"Đoàn kiểm tra số {i}",
                    decision_number=w.number(p.committee, decided, "QĐ-UBND"),
                    decision_date=decided,
                    decision_status=DecisionStatus.ISSUED,
                    signer_name=plan.signer_name,
                )
                for i in range(1, n_teams + 1)
            ]
        )
        w.bulk([member for team in teams for member in self._members(team, first=team is teams[0])])
        share = [
            targets[i * len(targets) // n_teams : (i + 1) * len(targets) // n_teams]
            for i in range(n_teams)
        ]
        w.bulk(
            [
                TeamTarget(team=team, target=t)
                for team, ts in zip(teams, share, strict=True)
                for t in ts
            ]
        )
        visits = []
        for team, team_targets in zip(teams, share, strict=True):
            day = w.workday(w.later(plan.period_start, 0, 7))
            for i, target in enumerate(team_targets):
                start, end = AFTERNOON if i % 2 else MORNING
                visits.append(
                    Visit(
                        plan=plan,
                        team=team,
                        target=target,
                        agency=target.agency,
                        date=day,
                        start_time=start,
                        end_time=end,
                        place=f"Trụ sở {target.agency.name}",
                        mode=target.mode,
                        announced=target.announced,
                        status=VisitStatus.DONE,
                    )
                )
                if i % 2:
                    day = w.calendar.add_working_days(day, self.rng.randint(1, 3))
        w.bulk(visits)
        w.bulk([self._minutes(visit) for visit in visits])
        return visits

    def _members(self, team: Team, first: bool) -> list[TeamMember]:
        """The province's team account leads the first team and sits in every other one."""
        w, p = self.w, self.p
        snv = p.departments["SNV"]
        account = {"user": p.team_user, "full_name": p.team_user.get_full_name()}
        if first:
            people = [(TeamRole.LEAD, "Phó Giám đốc", snv, account)]
        else:
            people = [
                (TeamRole.LEAD, "Phó Giám đốc", snv, {"full_name": w.full_name()}),
                (TeamRole.MEMBER, "Phó Giám đốc", snv, account),
            ]
        people += [
            (TeamRole.MEMBER, "Chuyên viên", p.departments[code], {"full_name": w.full_name()})
            for code in self.rng.sample(TEAM_AGENCIES[1:], 2)
        ]
        people.append((TeamRole.SECRETARY, "Chuyên viên", snv, {"full_name": w.full_name()}))
        return [
            TeamMember(team=team, role=role, title=title, agency=agency, order=order, **who)
            for order, (role, title, agency, who) in enumerate(people, start=1)
        ]

    def _minutes(self, visit: Visit) -> Minutes:
        committee = visit.agency.kind == "committee"
        return Minutes(
            visit=visit,
            recorded_by=self.p.team_user,
            updated_at=at(visit.date, 17),
            team_attendees="Các thành viên Đoàn kiểm tra theo Quyết định thành lập Đoàn.",
            unit_attendees="Lãnh đạo đơn vị; công chức phụ trách cải cách hành chính.",
            checked="Báo cáo tự kiểm tra; hồ sơ, tài liệu; Bộ phận Một cửa; hồ sơ trễ hạn.",
            conclusions="Đơn vị cơ bản thực hiện các nhiệm vụ cải cách hành chính.",
            unit_opinion="Thống nhất với nội dung biên bản.",
            unit_signer_name=self.w.full_name(),
            unit_signer_title="Chủ tịch Ủy ban nhân dân" if committee else "Giám đốc",
        )

    # Findings, recommendations, notices --------------------------------------------------------

    def _findings(self, visits: list[Visit]) -> list[Recommendation]:
        """About ten findings a visit: strengths, shortcomings (each with its recommendation)
        and now and then a good model; a thematic target's findings stay in its areas. The
        recommendations are returned unsaved: `_remediation` writes them with their status."""
        rng, team_user = self.rng, self.p.team_user
        findings, recommendations, evidence = [], [], []
        for visit in visits:
            numbers = visit.target.area_numbers or sorted(self.areas)
            stamp = at(visit.date, 16)
            count = rng.randint(8, 12)
            strengths = rng.randint(3, 4)
            good = 1 if rng.random() < 0.15 else 0
            for i in range(count):
                area = rng.choice(numbers)
                finding = Finding(
                    visit=visit, content_area=self.areas[area], recorded_by=team_user,
                    created_at=stamp,
                )  # fmt: skip
                findings.append(finding)
                if i < strengths:
                    finding.kind = FindingKind.STRENGTH
                    finding.description = rng.choice(STRENGTHS.get(area, STRENGTHS[1]))
                    continue
                if i < strengths + good:
                    finding.kind = FindingKind.GOOD_MODEL
                    finding.description = rng.choice(GOOD_MODELS)
                    continue
                finding.kind = FindingKind.SHORTCOMING
                finding.description, text = rng.choice(SHORTCOMINGS.get(area, SHORTCOMINGS[1]))
                finding.severity = rng.choice(SEVERITIES)
                recommendations.append(self._recommendation(finding, text))
                if rng.random() < 0.05:
                    evidence.append(
                        FindingEvidence(
                            finding=finding,
                            file_name="anh-bo-phan-mot-cua.pdf",
                            uploaded_by=team_user,
                            uploaded_at=stamp,
                            **FILE_FIELDS,
                        )
                    )
        self.w.bulk(findings)
        self.w.bulk(evidence)
        return recommendations

    def _recommendation(self, finding: Finding, text: str) -> Recommendation:
        """With the due date `recommendation_add` computes from the visit day (`due_date_of`)."""
        rng, start = self.rng, finding.visit.date
        kind = rng.choice([DeadlineKind.DATE, DeadlineKind.DAYS, DeadlineKind.WORKING_DAYS])
        recommendation = Recommendation(
            finding=finding, responsible=finding.visit.agency, text=text, deadline_kind=kind
        )
        if kind == DeadlineKind.DATE:
            recommendation.deadline_date = self.w.later(start, 30, 90)
        elif kind == DeadlineKind.DAYS:
            recommendation.deadline_count = rng.choice([30, 45, 60])
        else:
            recommendation.deadline_count = rng.choice([15, 20, 30])
        recommendation.due_date = due_date_of(
            start=start,
            kind=kind,
            date=recommendation.deadline_date,
            count=recommendation.deadline_count,
            calendar=self.w.calendar,
        )
        return recommendation

    def _notices(self, plan: Plan, visits: list[Visit]) -> dict[int, ConclusionNotice]:
        """One notice per visited unit, approved and issued after the visit, numbered in the
        order of their dates."""
        w, p = self.w, self.p
        notices = [
            ConclusionNotice(
                plan=plan,
                agency=visit.agency,
                status=NoticeStatus.ISSUED,
                issued_on=w.calendar.add_working_days(visit.date, self.rng.randint(5, 15)),
                approved_by=p.leader,
                signer_name=plan.signer_name,
                summary="Đơn vị đã quan tâm chỉ đạo công tác cải cách hành chính; còn một số tồn "
                "tại cần khắc phục như sau.",
            )
            for visit in visits
        ]
        notices.sort(key=lambda n: (n.issued_on, n.agency.unit.code, n.agency.code))
        for notice in notices:
            notice.number = w.number(p.committee, notice.issued_on, notice.symbol)
        w.bulk(notices)
        return {n.agency.pk: n for n in notices}

    # After the conclusions ---------------------------------------------------------------------

    def _remediation(self, plan: Plan, recommendations: list[Recommendation], notices) -> None:
        """Every state: not reported, reported and waiting, remedied, not remedied, remedied on
        a second report. Older rounds are further along. A recommendation's status is its
        latest verification's, open when there is none."""
        w, rng = self.w, self.rng
        age = LAST_YEAR - plan.year
        outcomes = ["none", "reported", "done", "not_done", "redone"]
        weights = [0.2 / (1 + age), 0.15 / (1 + age), 0.45 + 0.08 * age, 0.12, 0.08 + 0.04 * age]
        drawn = rng.choices(outcomes, weights, k=len(recommendations))
        for recommendation, outcome in zip(recommendations, drawn, strict=True):
            # The latest verification's outcome (`remediation_verify`); open when none.
            recommendation.status = (
                verified_status(outcome != "not_done")
                if outcome in ("done", "redone", "not_done")
                else RecommendationStatus.OPEN
            )
        w.bulk(recommendations)
        reports, checks = [], []
        for recommendation, outcome in zip(recommendations, drawn, strict=True):
            if outcome == "none":
                continue
            agency = recommendation.responsible
            by = self.p.reporters.get(agency.pk, self.p.staff)
            issued = notices[agency.pk].issued_on
            day = w.later(issued, 5, max(6, (recommendation.due_date - issued).days + 10))
            text = "Đơn vị đã ban hành văn bản chỉ đạo khắc phục và tổ chức thực hiện."
            first = self._report(recommendation, 1, day, by, text)
            reports.append(first)
            if outcome == "reported":
                continue
            day = w.later(day, 3, 15)
            checks.append(self._verification(recommendation, first, outcome == "done", day))
            if outcome == "redone":
                day = w.later(day, 5, 20)
                text = "Đơn vị đã bổ sung minh chứng theo yêu cầu của Đoàn kiểm tra."
                again = self._report(recommendation, 2, day, by, text)
                reports.append(again)
                checks.append(self._verification(recommendation, again, True, w.later(day, 3, 10)))
        w.bulk(reports)
        w.bulk(
            [
                RemediationFile(
                    report=report,
                    file_name=f"minh-chung-lan-{report.version}.pdf",
                    uploaded_by=report.submitted_by,
                    uploaded_at=report.submitted_at,
                    **FILE_FIELDS,
                )
                for report in reports
            ]
        )
        w.bulk(checks)
        self.unresolved = {
            r.responsible.pk: (r.finding.visit.target, notices[r.responsible.pk])
            for r in recommendations
            if r.status != RecommendationStatus.DONE
        }

    def _report(self, recommendation, version: int, day, by, text: str) -> RemediationReport:
        return RemediationReport(
            recommendation=recommendation, version=version, text=text, submitted_by=by,
            submitted_at=at(day, 10), late=day > recommendation.due_date,
        )  # fmt: skip

    def _verification(self, recommendation, report, done: bool, day) -> Verification:
        return Verification(
            recommendation=recommendation,
            report=report,
            done=done,
            verified_by=self.p.team_user,
            verified_at=at(day, 15),
            note="Đã kiểm tra minh chứng: đạt."
            if done
            else "Minh chứng chưa đầy đủ; đề nghị đơn vị bổ sung.",
        )

    def _results(self, plan: Plan, visits: list[Visit]) -> None:
        w, p = self.w, self.p
        day = w.workday(datetime.date(plan.year, 12, 15))
        snv = p.departments["SNV"]
        teams = len({visit.team_id for visit in visits})
        summary = SUMMARY.format(
            plan=plan.number_display, teams=teams, year=plan.year, visits=len(visits)
        )
        report = ResultsReport(
            plan=plan,
            issuer=snv,
            number=w.number(snv, day, "BC-SNV"),
            issued_on=day,
            status=NoticeStatus.ISSUED,
            approved_by=p.leader,
            summary=summary,
            assessment=ASSESSMENT,
            proposals=PROPOSALS,
            signer_name=w.full_name(),
            updated_at=at(day, 16),
        )
        w.bulk([report])
