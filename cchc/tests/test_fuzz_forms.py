"""The main forms and filters fed generated input (hypothesis): dates valid and not, far past and
future; numbers negative, huge and not numbers; long and odd Unicode text: Vietnamese composed
(NFC) and decomposed (NFD), control characters, right-to-left marks, emoji, markup.

Whatever comes in: never a server error. Where a form accepts the text, it is stored as typed,
composed to NFC with the characters no document can hold dropped (`cchc.middleware`), and
stripped where the form strips; and the page shows it back as stored, HTML-escaped.

The examples of a test share its transaction (hypothesis runs them inside one test): each example
works on a fresh object or on one whose current state it reads first. The examples are the same
on every run (`derandomize`); HYPOTHESIS_EXPLORE=1 draws new ones, more of them.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cchc.test import AG_2026, client_for
from cchc.tests.world import PLAN_DAY, user
from inspections import services
from inspections.models import (
    ConclusionNotice,
    ContentArea,
    Finding,
    Minutes,
    NoticeStatus,
    Plan,
    PlanItem,
    Recommendation,
    RemediationReport,
    RequestMessage,
    ResultsReport,
    TeamMember,
    Verification,
    Visit,
)
from units import limits
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db

EXPLORE = bool(os.environ.get("HYPOTHESIS_EXPLORE"))
FUZZ = settings(
    max_examples=200 if EXPLORE else 30,
    deadline=None,
    derandomize=not EXPLORE,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Input -------------------------------------------------------------------------------------

VIETNAMESE = [
    "Nguyễn Thị Hồng Nhung",
    "Ủy ban nhân dân huyện An Biên",
    "Kiểm tra công tác cải cách hành chính năm 2026",
    "Đã khắc phục; còn hồ sơ trễ hạn chưa xin lỗi người dân.",
    "Phường Vĩnh Thanh Vân, thành phố Rạch Giá",
    "ừ ở ữ ỹ ặ ệ ộ ợ ụ Ỵ",
]
ODD = [
    "<script>alert('x')</script>",
    '"quoted" & <b>bold</b>',
    "{{ request.user }} {% now 'Y' %}",
    "\u200f\u202eRTL\u202c",  # right-to-left mark and override
    "العربية עברית",
    "\u200b\u200d\ufeff",  # zero-width space and joiner, byte order mark
    "🇻🇳 👩🏽‍💻 🙏",
    "\x00\x07\x1b[31m\x7f",  # control characters
    "\t",
    "\n",
    "\r\n",
    "  ",
    "\u0301\u0323",  # marks with no letter
    "\ufffe\uffff",
    "\u2028\u2029\x85",
    "Ａ１ ﬁ ㎏",  # compatibility forms: NFC keeps them
]
FRAGMENTS = VIETNAMESE + [unicodedata.normalize("NFD", v) for v in VIETNAMESE] + ODD

mixed = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS), st.text(st.characters(exclude_categories=["Cs"]), max_size=10)
    ),
    min_size=1,
    max_size=8,
).map("".join)
long = st.builds(lambda s, n: s * n, st.sampled_from(FRAGMENTS), st.integers(30, 400))
text = st.one_of(mixed, mixed, long)  # long text one time in three
# For fields of 100 to 300 characters: mostly shorter, sometimes too long.
few = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS), st.text(st.characters(exclude_categories=["Cs"]), max_size=5)
    ),
    min_size=1,
    max_size=2,
).map("".join)
short = st.one_of(few, few, few, few, long)
# False (two times in three): the fields that are not text get valid values, so that the text
# reaches the database; True: every field is fuzzed.
wild = st.sampled_from([False, False, True])
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),  # years 1 to 9999
    st.sampled_from(
        [
            "",
            "2026-02-30",
            "2026-13-01",
            "31/12/2026",
            "1/1/2026",
            "0000-01-01",
            "10000-01-01",
            "2026-1-1",
            "hôm nay",
            "٢٠٢٦-٠١-٠١",
            "-2026-01-01",
        ]
    ),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e3",
            "12,5",
            "12.5",
            "٣",
            "²",
            "0x10",
            " 7 ",
            "9" * 400,
            "NaN",
            "Infinity",
        ]
    ),
    st.text(max_size=8),
)
times = st.one_of(
    st.times().map(lambda t: t.isoformat(timespec="minutes")),
    st.sampled_from(["", "24:00", "8h", "-1:00", "23:59:60"]),
    st.text(max_size=6),
)
choices = st.one_of(st.sampled_from(["", "x", "<b>", "\x00"]), st.text(max_size=6))


def typed(value: str, strip: bool = True) -> str:
    """What the app stores for `value`: without the characters XML and PostgreSQL cannot hold
    (C0 controls other than tab and line breaks, U+FFFE, U+FFFF), composed to NFC, stripped
    where the form strips. Written here from the rule, not taken from the middleware."""
    kept = "".join(
        ch for ch in value if not ((ord(ch) < 0x20 and ch not in "\t\n\r") or ch in "\ufffe\uffff")
    )
    kept = unicodedata.normalize("NFC", kept)
    return kept.strip() if strip else kept


def assert_shown(response, stored: str) -> None:
    """The page shows `stored` HTML-escaped; line breaks may become <br> or paragraphs."""
    assert response.status_code == 200
    content = response.content.decode()
    for line in re.split(r"[\r\n]+", escape(stored)):
        if line.strip():
            assert line in content, f"{line!r} is not on the page"


@pytest.fixture
def clients():
    cache = {}

    def client(username):
        if username not in cache:
            cache[username] = client_for(username)
        return cache[username]

    return client


def accepted(yes: bool) -> bool:
    """Counted in `--hypothesis-show-statistics`: how many examples reached the stored path."""
    event("accepted" if yes else "refused")
    return yes


def post(client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code < 500
    return response


def get(client, url: str, data: dict | None = None):
    response = client.get(url, data or {})
    assert response.status_code < 500
    return response


# Plans -------------------------------------------------------------------------------------


@FUZZ
@given(
    wild=wild,
    summary=short,
    place=short,
    preamble=text,
    document_date=dates,
    year=numbers,
    threshold=numbers,
    communes=numbers,
    copies=numbers,
    period_start=dates,
    new_summary=short,
)
def test_plan_create_and_edit(
    world,
    clients,
    wild,
    summary,
    place,
    preamble,
    document_date,
    year,
    threshold,
    communes,
    copies,
    period_start,
    new_summary,
):
    client = clients("noivu")
    structure = (
        {
            "issuer": agency_by_ref("91/UBND", AG_2026).pk,
            "symbol": "KH-UBND",
            "year": year,
            "document_date": document_date,
            "self_inspection_threshold": threshold,
            "communes_per_district": communes,
            "archive_copies": copies,
            "period_start": period_start,
        }
        if wild
        else {
            "issuer": agency_by_ref("91/UBND", AG_2026).pk,
            "symbol": "KH-UBND",
            "year": "2026",
            "document_date": "2026-03-02",
            "self_inspection_threshold": "50",
            "communes_per_district": "2",
            "archive_copies": "1",
        }
    )
    data = {**structure, "summary": summary, "place": place, "preamble": preamble}
    response = post(client, reverse("inspections:plan-create"), data)
    if not accepted(response.status_code == 302):
        return
    plan = Plan.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    assert (plan.summary, plan.place, plan.preamble) == (
        typed(summary),
        typed(place),
        typed(preamble),
    )
    page = get(client, reverse("inspections:plan-detail", args=[plan.pk]))
    for value in (plan.summary, plan.place, plan.preamble):
        assert_shown(page, value)
    edited = post(
        client,
        reverse("inspections:plan-edit", args=[plan.pk]),
        {**data, "summary": new_summary, "version": plan.version},
    )
    plan.refresh_from_db()
    if edited.status_code == 302:
        assert plan.summary == typed(new_summary)
        assert_shown(get(client, reverse("inspections:plan-edit", args=[plan.pk])), plan.summary)


def draft_plan() -> Plan:
    return services.plan_create(
        by=user("noivu"),
        issuer=agency_by_ref("91/UBND", AG_2026),
        year=2026,
        place="An Giang",
        document_date=AG_2026,
        summary="Kế hoạch thử",
    )


@FUZZ
@given(wild=wild, reason=text, reference=short, kind=choices, mode=choices, announced=choices)
def test_target_add(world, clients, wild, reason, reference, kind, mode, announced):
    plan = draft_plan()  # a fresh plan: an agency is a target of a plan once
    client = clients("noivu")
    structure = (
        {"kind": kind, "mode": mode, "announced": announced}
        if wild
        else {"kind": "inspection", "mode": "on_site", "announced": "on"}
    )
    response = post(
        client,
        reverse("inspections:targets-add", args=[plan.pk]),
        {
            "agencies": [agency_by_ref("91/STP", AG_2026).pk],
            **structure,
            "reason": reason,
            "follow_up_reference": reference,
        },
    )
    target = plan.targets.first()
    if not accepted(target is not None):
        return
    assert response.status_code == 302
    assert (target.reason, target.follow_up_reference) == (typed(reason), typed(reference))
    page = get(client, reverse("inspections:target-edit", args=[plan.pk, target.pk]))
    assert_shown(page, target.reason)
    assert_shown(page, target.follow_up_reference)


@FUZZ
@given(wild=wild, heading=short, body=text, order=numbers, version=numbers)
def test_item_edit(world, clients, wild, heading, body, order, version):
    item = PlanItem.objects.get(pk=world.draft_item.pk)
    url = reverse("inspections:item-edit", args=[world.draft.pk, item.pk])
    response = post(
        clients("noivu"),
        url,
        {
            "heading": heading,
            "text": body,
            "order": order if wild else "1",
            "version": version if wild else item.version,
        },
    )
    saved = PlanItem.objects.get(pk=item.pk)
    if not accepted(saved.version != item.version):
        assert (saved.heading, saved.text) == (item.heading, item.text)  # refused: unchanged
        return
    assert response.status_code == 302
    assert (saved.heading, saved.text) == (typed(heading), typed(body))
    page = get(clients("noivu"), url)
    assert_shown(page, saved.heading)
    assert_shown(page, saved.text)


# Teams and visits --------------------------------------------------------------------------


@FUZZ
@given(name=short)
def test_team_create(world, clients, name):
    """The name is read straight from the request (no form)."""
    before = set(world.seed.teams.values_list("pk", flat=True))
    post(clients("noivu"), reverse("inspections:teams", args=[world.seed.pk]), {"name": name})
    team = world.seed.teams.exclude(pk__in=before).first()
    if not accepted(team is not None):
        assert len(typed(name)) > 200, "a team with a name that fits was refused"
        return
    assert team.name == (typed(name) or "Đoàn kiểm tra")
    assert_shown(
        get(clients("noivu"), reverse("inspections:teams", args=[world.seed.pk])), team.name
    )


@FUZZ
@given(wild=wild, full_name=short, title=short, role=choices, agency=numbers)
def test_team_member_add(world, clients, wild, full_name, title, role, agency):
    url = reverse("inspections:team-member-add", args=[world.seed.pk, world.team.pk])
    before = set(world.team.members.values_list("pk", flat=True))
    structure = (
        {"role": role, "agency": agency}
        if wild
        else {"role": "member", "agency": agency_by_ref("91/SNV", PLAN_DAY).pk}
    )
    post(clients("noivu"), url, {**structure, "full_name": full_name, "title": title})
    added = TeamMember.objects.filter(team=world.team).exclude(pk__in=before).first()
    if not accepted(added is not None):
        return
    assert (added.full_name, added.title) == (typed(full_name), typed(title))
    page = get(
        clients("noivu"), reverse("inspections:team-detail", args=[world.seed.pk, world.team.pk])
    )
    assert_shown(page, added.full_name)
    assert_shown(page, added.title)


@FUZZ
@given(
    wild=wild,
    day=dates,
    start=times,
    end=times,
    place=short,
    attendees=text,
    prepare=text,
    mode=choices,
    where=choices,
)
def test_visit_schedule(
    world, clients, wild, day, start, end, place, attendees, prepare, mode, where
):
    target = world.an_bien_target
    before = set(Visit.objects.values_list("pk", flat=True))
    structure = (
        {"date": day, "start_time": start, "end_time": end, "mode": mode, "where": where}
        if wild
        else {
            "date": "2024-03-04",
            "start_time": "08:00",
            "end_time": "11:00",
            "mode": "on_site",
            "where": f"{target.pk}:{target.agency_id}",
        }
    )
    post(
        clients("noivu"),
        reverse("inspections:schedule", args=[world.seed.pk]),
        {
            **structure,
            "team": world.team.pk,
            "place": place,
            "announced": "on",
            "attendees": attendees,
            "prepare": prepare,
        },
    )
    visit = Visit.objects.exclude(pk__in=before).first()
    if not accepted(visit is not None):
        return
    assert (visit.place, visit.attendees, visit.prepare) == (
        typed(place),
        typed(attendees),
        typed(prepare),
    )
    assert_shown(
        get(clients("noivu"), reverse("inspections:schedule", args=[world.seed.pk])), visit.place
    )
    get(clients("noivu"), reverse("inspections:my-visits"), {"date": day, "view": "week"})


@pytest.fixture(scope="module")
def open_visit(world, django_db_blocker):
    """The team's visit to Sở Tư pháp, with minutes and a finding, whose conclusion notice is not
    issued: An Biên's record is frozen by its issued notice (and refuses every form)."""
    justice = agency_by_ref("91/STP", PLAN_DAY)
    with django_db_blocker.unblock():
        visit = services.visit_schedule(
            team=world.team, target=world.seed.targets.get(agency=justice), agency=justice,
            date=world.visit.date, start_time=datetime.time(14), end_time=datetime.time(16),
            place="Sở Tư pháp",
        )  # fmt: skip
        services.minutes_save(visit=visit, by=user("doanvien"), team_attendees="Đoàn",
                              unit_attendees="Sở Tư pháp", checked="Hồ sơ")  # fmt: skip
        finding = services.finding_add(visit=visit, by=user("doanvien"), kind="shortcoming",
                                       severity="minor", description="Chưa công khai.")  # fmt: skip
    return visit, finding


MINUTES = [
    "team_attendees",
    "unit_attendees",
    "checked",
    "conclusions",
    "unit_opinion",
    "unit_signer_name",
    "unit_signer_title",
]


@FUZZ
@given(values=st.fixed_dictionaries({n: short if "signer" in n else text for n in MINUTES}))
def test_minutes(open_visit, clients, values):
    visit, _finding = open_visit
    minutes = Minutes.objects.get(visit=visit)
    post(
        clients("doanvien"),
        reverse("inspections:minutes-save", args=[visit.pk]),
        {**values, "version": minutes.version},
    )
    saved = Minutes.objects.get(pk=minutes.pk)
    if not accepted(saved.version != minutes.version):
        return
    assert {name: getattr(saved, name) for name in MINUTES} == {
        name: typed(value) for name, value in values.items()
    }
    page = get(clients("doanvien"), reverse("inspections:visit-detail", args=[visit.pk]))
    for name in MINUTES[:5]:
        assert_shown(page, getattr(saved, name))


@FUZZ
@given(wild=wild, description=text, kind=choices, severity=choices, area=numbers)
def test_finding(open_visit, clients, wild, description, kind, severity, area):
    visit, _finding = open_visit
    before = set(Finding.objects.values_list("pk", flat=True))
    structure = (
        {"kind": kind, "severity": severity, "content_area": area}
        if wild
        else {
            "kind": "shortcoming",
            "severity": "minor",
            "content_area": ContentArea.objects.first().pk,
        }
    )
    post(
        clients("doanvien"),
        reverse("inspections:finding-add", args=[visit.pk]),
        {**structure, "description": description},
    )
    finding = Finding.objects.exclude(pk__in=before).first()
    if not accepted(finding is not None):
        return
    assert finding.description == typed(description)
    page = get(clients("doanvien"), reverse("inspections:visit-detail", args=[visit.pk]))
    assert_shown(page, finding.description)


@FUZZ
@given(
    wild=wild,
    body=text,
    kind=st.sampled_from(["date", "days", "working_days"]) | choices,
    count=numbers | st.integers(1, 2**15).map(str),
    deadline=dates,
)
def test_recommendation_deadlines(open_visit, clients, wild, body, kind, count, deadline):
    visit, finding = open_visit
    before = set(Recommendation.objects.values_list("pk", flat=True))
    structure = {"deadline_kind": kind, "deadline_count": count, "deadline_date": deadline}
    if not wild:
        structure = {"deadline_kind": "working_days", "deadline_count": "15"}
    post(
        clients("doanvien"),
        reverse("inspections:recommendation-add", args=[visit.pk]),
        {
            **structure,
            "finding": finding.pk,
            "responsible": visit.agency_id,
            "text": body,
        },
    )
    added = Recommendation.objects.exclude(pk__in=before).first()
    if not accepted(added is not None):
        return
    assert added.text == typed(body)
    assert added.due_date >= visit.date
    page = get(clients("doanvien"), reverse("inspections:visit-detail", args=[visit.pk]))
    assert_shown(page, added.text)


@pytest.mark.parametrize("kind", ["days", "working_days"])
def test_a_deadline_past_year_9999_is_refused(open_visit, kind):
    """Counted from a visit at the end of the calendar: refused with a message, not a crash."""
    justice = open_visit[0]
    visit = services.visit_schedule(
        team=justice.team,
        target=justice.target,
        agency=justice.agency,
        date=datetime.date(9999, 12, 20),
        start_time=datetime.time(8),
        end_time=datetime.time(11),
        place="Hội trường",
    )
    finding = services.finding_add(
        visit=visit, by=user("doanvien"), kind="strength", description="Tốt."
    )
    with pytest.raises(ValidationError, match="9999"):
        services.recommendation_add(
            finding=finding,
            responsible=justice.agency,
            text="Khắc phục.",
            deadline_kind=kind,
            deadline_count=30,
        )


# After the conclusion ----------------------------------------------------------------------


@FUZZ
@given(body=text)
def test_remediation_report(world, clients, body):
    recommendation = world.recommendation
    before = recommendation.reports.count()
    post(
        clients("anbien"),
        reverse("inspections:remediation-create", args=[recommendation.pk]),
        {"text": body},
    )
    if not accepted(recommendation.reports.count() > before):
        too_long = len(typed(body)) > limits.PROSE
        assert not typed(body) or too_long, "a report with text was refused"
        return
    report = RemediationReport.objects.filter(recommendation=recommendation).order_by("-pk")[0]
    assert report.text == typed(body)
    page = get(
        clients("anbien"), reverse("inspections:recommendation-detail", args=[recommendation.pk])
    )
    assert_shown(page, report.text)


@FUZZ
@given(wild=wild, note=text, done=choices)
def test_verification_note(world, clients, wild, note, done):
    recommendation = world.recommendation
    before = set(Verification.objects.values_list("pk", flat=True))
    post(
        clients("doanvien"),
        reverse("inspections:remediation-verify", args=[recommendation.pk]),
        {"note": note, "done": done if wild else "0"},
    )
    verification = Verification.objects.exclude(pk__in=before).first()
    if not accepted(verification is not None):
        return
    assert verification.note == typed(note)
    page = get(
        clients("doanvien"),
        reverse("inspections:recommendation-detail", args=[recommendation.pk]),
    )
    assert_shown(page, verification.note)


PROSE = [
    "summary",
    "assessment",
    "proposals",
    "signing_capacity",
    "signer_title",
    "signer_name",
    "recipients",
]


@FUZZ
@given(values=st.fixed_dictionaries({n: short if "sign" in n else text for n in PROSE}))
def test_results_report_prose(world, clients, values):
    report = ResultsReport.objects.get(pk=world.results.pk)
    url = reverse("inspections:results-report", args=[world.seed.pk])
    post(clients("noivu"), url, {**values, "version": report.version})
    saved = ResultsReport.objects.get(pk=report.pk)
    if not accepted(saved.version != report.version):
        return
    assert {name: getattr(saved, name) for name in PROSE} == {
        name: typed(value) for name, value in values.items()
    }
    page = get(clients("noivu"), url)
    for name in PROSE:
        assert_shown(page, getattr(saved, name))


@pytest.fixture
def draft_notice(world) -> ConclusionNotice:
    """A draft conclusion notice to Sở Tư pháp, visited with one finding."""
    stp = agency_by_ref("91/STP", PLAN_DAY)
    visit = services.visit_schedule(
        team=world.team,
        target=world.seed.targets.get(agency=stp),
        agency=stp,
        date=datetime.date(2024, 2, 6),
        start_time=datetime.time(8),
        end_time=datetime.time(11),
        place="Sở Tư pháp",
    )
    services.finding_add(visit=visit, by=user("doanvien"), kind="strength", description="Tốt.")
    return services.conclusion_prepare(plan=world.seed, agency=stp)


@FUZZ
@given(wild=wild, summary=text, signer=short, version=numbers)
def test_conclusion_submit(world, draft_notice, clients, wild, summary, signer, version):
    ConclusionNotice.objects.filter(pk=draft_notice.pk).update(status=NoticeStatus.DRAFT)
    notice = ConclusionNotice.objects.get(pk=draft_notice.pk)
    post(
        clients("noivu"),
        reverse("inspections:conclusion-submit", args=[notice.pk]),
        {"summary": summary, "signer_name": signer, "version": version if wild else notice.version},
    )
    saved = ConclusionNotice.objects.get(pk=notice.pk)
    if not accepted(saved.status != NoticeStatus.DRAFT):
        assert (saved.summary, saved.signer_name) == (notice.summary, notice.signer_name)
        return
    # Read straight from the request, not through a form: composed, not stripped.
    assert (saved.summary, saved.signer_name) == (typed(summary, False), typed(signer, False))
    page = get(clients("noivu"), reverse("inspections:conclusion-detail", args=[notice.pk]))
    assert_shown(page, saved.summary)


@FUZZ
@given(body=text)
def test_request_message(world, clients, body):
    before = set(RequestMessage.objects.values_list("pk", flat=True))
    post(
        clients("anbien"), reverse("requests:message-post", args=[world.request.pk]), {"body": body}
    )
    message = RequestMessage.objects.exclude(pk__in=before).first()
    if not accepted(message is not None):
        too_long = len(typed(body)) > limits.MESSAGE
        assert not typed(body) or too_long, "a message with text was refused"
        return
    assert message.body == typed(body)
    page = get(clients("anbien"), reverse("requests:request-detail", args=[world.request.pk]))
    assert_shown(page, message.body)


# Filters and search ------------------------------------------------------------------------

DIRECTORIES = ["units:unit-list", "units:agency-list"]
LISTS = [
    "inspections:plan-list",
    "inspections:finding-list",
    "inspections:recommendation-list",
    "reports:dashboard",
]


@FUZZ
@given(
    name=st.sampled_from(DIRECTORIES),
    q=short,
    on=dates,
    level=choices | st.just("district"),
    kind=choices,
)
def test_directory_search_and_date(world, clients, name, q, on, level, kind):
    client = clients("noivu")
    page = get(client, reverse(name), {"q": q, "on": on, "level": level, "kind": kind})
    form = page.context["form"]
    if accepted(form.is_valid()):
        assert form.cleaned_data["q"] == typed(q)
        assert_shown(page, form.cleaned_data["q"])
    export = "reports:unit-export" if name == DIRECTORIES[0] else "reports:agency-export"
    get(client, reverse(export, args=["csv"]), {"q": q, "on": on, "level": level})


@FUZZ
@given(
    name=st.sampled_from(LISTS),
    year=numbers,
    level=choices | st.just("commune"),
    status=choices | st.sampled_from(["overdue", "issued"]),
    area=numbers,
    plan=numbers,
    persona=st.sampled_from(["noivu", "anbien", "camau"]),
)
def test_list_filters(world, clients, name, year, level, status, area, plan, persona):
    data = {"year": year, "level": level, "status": status, "area": area, "plan": plan}
    get(clients(persona), reverse(name), data)
    if name in ("inspections:finding-list", "inspections:recommendation-list"):
        export = name.replace("inspections:", "reports:").replace("-list", "-export")
        get(clients(persona), reverse(export, args=["xlsx"]), data)


@FUZZ
@given(q=short, page=numbers | choices, persona=st.sampled_from(["noivu", "anbien", "camau"]))
@example(q="an bien", page="9" * 30, persona="noivu")
def test_dashboard_search_and_page(world, clients, q, page, persona):
    """The ranking's search and page (and its download): never a server error; a search
    accepted is shown back where the ranking is shown."""
    client = clients(persona)
    response = get(client, reverse("reports:dashboard"), {"q": q, "page": page})
    form = response.context["form"]
    if accepted(form.is_valid() and bool(response.context["board"].ranking_rule)):
        assert_shown(response, form.cleaned_data["q"])
    get(client, reverse("reports:dashboard-export", args=["csv"]), {"q": q, "page": page})


@FUZZ
@given(day=dates, view=choices | st.just("week"))
@example(day="9999-12-31", view="week")  # the calendar around it leaves the years Python has
@example(day="9999-12-31", view="month")
@example(day="0001-01-01", view="week")
def test_calendar_dates(world, clients, day, view):
    get(clients("doanvien"), reverse("inspections:my-visits"), {"date": day, "view": view})


# Ids from forms that are not forms ---------------------------------------------------------


@FUZZ
@given(value=numbers | choices)
@example(value="abc")
@example(value="9" * 30)  # larger than any key
def test_posted_ids(world, clients, value):
    """Pages reading ids straight from the request: a tampered id selects nothing."""
    client = clients("noivu")
    seed, draft = world.seed.pk, world.draft.pk
    target = world.an_bien_target.pk
    get(client, reverse("inspections:item-create", args=[draft]), {"parent": value})
    post(
        client, reverse("inspections:team-targets", args=[seed, world.team.pk]), {"targets": value}
    )
    post(client, reverse("inspections:communes-choose", args=[seed, target]), {"agencies": value})
    post(client, reverse("inspections:conclusion-create", args=[seed]), {"agency": value})
    post(client, reverse("inspections:reinspection-add", args=[draft]), {"agency": value})


# Composed on the way in -------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hồng: hồ sơ trễ hạn ở An Biên")
NFC = unicodedata.normalize("NFC", NFD)


def test_decomposed_text_is_stored_composed(world, open_visit, clients):
    """Through a form (a finding), and straight from the request (a message, a team's name):
    the same composed text."""
    assert NFD != NFC
    post(
        clients("doanvien"),
        reverse("inspections:finding-add", args=[open_visit[0].pk]),
        {"kind": "strength", "description": NFD},
    )
    assert Finding.objects.filter(description=NFC).exists()
    post(
        clients("anbien"), reverse("requests:message-post", args=[world.request.pk]), {"body": NFD}
    )
    assert RequestMessage.objects.filter(body=NFC).exists()
    post(clients("noivu"), reverse("inspections:teams", args=[world.seed.pk]), {"name": NFD})
    assert world.seed.teams.filter(name=NFC).exists()


def test_decomposed_search_finds_what_composed_finds(world, clients):
    url = reverse("units:unit-list")
    composed = get(clients("noivu"), url, {"q": "An Biên", "on": "2023-06-01"})
    decomposed = get(
        clients("noivu"), url, {"q": unicodedata.normalize("NFD", "An Biên"), "on": "2023-06-01"}
    )
    assert list(composed.context["page"]) == list(decomposed.context["page"]) != []
    assert decomposed.context["form"].cleaned_data["q"] == "An Biên"


def test_passwords_are_kept_as_typed():
    """Django compares passwords byte for byte: a password set decomposed must keep working."""
    from django.test import RequestFactory

    from cchc.middleware import TextNormalizationMiddleware

    seen = {}

    def view(request):
        seen.update(request.POST.dict(), q=request.GET["q"])
        return None

    request = RequestFactory().post(
        "/?q=" + "Bi%C3%AA%CC%80n", {"password": NFD, "new_password1": NFD, "name": NFD + "\x00"}
    )
    TextNormalizationMiddleware(view)(request)
    assert seen == {"password": NFD, "new_password1": NFD, "name": NFC, "q": "Biền"}
