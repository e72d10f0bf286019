"""Every free-text field has a maximum length (issue 14, item 6): a text one character too long,
and one of 200,000 characters, posted to each form of the product are refused with the Vietnamese
message that gives both lengths, and nothing is stored; text at the limit is accepted."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models
from django.urls import reverse

from cchc.test import AG_2026, client_for
from cchc.tests.world import PLAN_DAY, World, user
from inspections import services
from inspections.models import (
    ConclusionNotice,
    Finding,
    Minutes,
    Plan,
    PlanItem,
    PlanStatus,
    PlanTarget,
    PlanTransition,
    Recommendation,
    RemediationReport,
    RequestMessage,
    ResultsReport,
    Submission,
    Verification,
    Visit,
)
from units.limits import BODY, MESSAGE, NOTE, PROSE, thousands
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db
PHRASE = "Nội-dung-rất-dài;"  # no white space: a form strips it at the ends


def long_text(length: int) -> str:
    return (PHRASE * (length // len(PHRASE) + 1))[:length]


def fresh_plan() -> Plan:
    return services.plan_create(
        by=user("noivu"), issuer=agency_by_ref("91/UBND", AG_2026), year=2026,
        place="An Giang", document_date=AG_2026, summary="Kế hoạch thử",
    )  # fmt: skip


def justice_visit(world: World) -> Visit:
    """The team's visit to Sở Tư pháp, whose conclusion notice is not issued: An Biên's record
    is frozen by its issued notice and refuses every form whatever its length, which would
    prove nothing here."""
    stp = agency_by_ref("91/STP", PLAN_DAY)
    return services.visit_schedule(
        team=world.team, target=world.seed.targets.get(agency=stp), agency=stp,
        date=datetime.date(2024, 2, 6), start_time=datetime.time(8),
        end_time=datetime.time(11), place="Sở Tư pháp",
    )  # fmt: skip


def draft_notice(world: World) -> ConclusionNotice:
    visit = justice_visit(world)
    services.finding_add(visit=visit, by=user("doanvien"), kind="strength", description="Tốt.")
    return services.conclusion_prepare(plan=world.seed, agency=visit.agency)


def open_visit(world: World) -> tuple[Visit, Finding]:
    """The visit to Sở Tư pháp with its minutes and a finding."""
    visit = justice_visit(world)
    services.minutes_save(visit=visit, by=user("doanvien"), **MINUTES)
    finding = services.finding_add(visit=visit, by=user("doanvien"), kind="shortcoming",
                                   severity="minor", description="Chưa công khai.")  # fmt: skip
    return visit, finding


def submitted_plan(world: World) -> Plan:
    Plan.objects.filter(pk=world.draft.pk).update(status=PlanStatus.SUBMITTED)
    return world.draft


@dataclass
class Form:
    """Who posts what where; `model.field` must never hold the long text."""

    persona: str
    limit: int
    model: type[models.Model]
    field: str
    post: Callable[[World, str], tuple[str, dict]]  # (url, data) with the text in `field`


MINUTES = {"team_attendees": "Đoàn", "unit_attendees": "UBND huyện", "checked": "Hồ sơ"}
FORMS = {
    "plan preamble": Form("noivu", PROSE, Plan, "preamble", lambda w, t: (
        reverse("inspections:plan-create"),
        {"issuer": agency_by_ref("91/UBND", AG_2026).pk, "symbol": "KH-UBND", "year": "2026",
         "document_date": "2026-03-02", "self_inspection_threshold": "50",
         "communes_per_district": "2", "archive_copies": "1", "summary": "Kế hoạch",
         "place": "An Giang", "preamble": t},
    )),
    "plan item": Form("noivu", PROSE, PlanItem, "text", lambda w, t: (
        reverse("inspections:item-edit", args=[w.draft.pk, w.draft_item.pk]),
        {"heading": "MỤC ĐÍCH", "text": t, "order": "1",
         "version": PlanItem.objects.get(pk=w.draft_item.pk).version},
    )),
    "target reason": Form("noivu", NOTE, PlanTarget, "reason", lambda w, t: (
        reverse("inspections:targets-add", args=[fresh_plan().pk]),
        {"agencies": [agency_by_ref("91/STP", AG_2026).pk], "kind": "inspection",
         "mode": "on_site", "announced": "on", "reason": t},
    )),
    "plan return reason": Form("lanhdao", NOTE, PlanTransition, "note", lambda w, t: (
        reverse("inspections:plan-return", args=[submitted_plan(w).pk]), {"note": t},
    )),
    "visit attendees": Form("noivu", NOTE, Visit, "attendees", lambda w, t: (
        reverse("inspections:schedule", args=[w.seed.pk]),
        {"date": "2024-03-04", "start_time": "08:00", "end_time": "11:00", "mode": "on_site",
         "where": f"{w.an_bien_target.pk}:{w.an_bien_target.agency_id}", "team": w.team.pk,
         "place": "Hội trường", "announced": "on", "attendees": t, "prepare": "Báo cáo"},
    )),
    "minutes": Form("doanvien", PROSE, Minutes, "checked", lambda w, t: (
        reverse("inspections:minutes-save", args=[(v := open_visit(w)[0]).pk]),
        {**MINUTES, "checked": t, "version": Minutes.objects.get(visit=v).version},
    )),
    "finding": Form("doanvien", PROSE, Finding, "description", lambda w, t: (
        reverse("inspections:finding-add", args=[open_visit(w)[0].pk]),
        {"kind": "shortcoming", "severity": "minor", "description": t},
    )),
    "recommendation": Form("doanvien", PROSE, Recommendation, "text", lambda w, t: (
        reverse("inspections:recommendation-add", args=[(o := open_visit(w))[0].pk]),
        {"finding": o[1].pk, "responsible": o[0].agency_id, "text": t,
         "deadline_kind": "working_days", "deadline_count": "15"},
    )),
    "remediation report": Form("anbien", PROSE, RemediationReport, "text", lambda w, t: (
        reverse("inspections:remediation-create", args=[w.recommendation.pk]), {"text": t},
    )),
    "verification note": Form("doanvien", NOTE, Verification, "note", lambda w, t: (
        reverse("inspections:remediation-verify", args=[w.recommendation.pk]),
        {"done": "0", "note": t},
    )),
    "results report": Form("noivu", BODY, ResultsReport, "summary", lambda w, t: (
        reverse("inspections:results-report", args=[w.seed.pk]),
        {"summary": t, "assessment": "", "proposals": "", "recipients": "",
         "signing_capacity": "", "signer_title": "", "signer_name": "",
         "version": ResultsReport.objects.get(pk=w.results.pk).version},
    )),
    "conclusion notice": Form("noivu", PROSE, ConclusionNotice, "summary", lambda w, t: (
        reverse("inspections:conclusion-submit", args=[(n := draft_notice(w)).pk]),
        {"summary": t, "signer_name": "Nguyễn Thanh Nhân", "version": n.version},
    )),
    "message on a request": Form("anbien", MESSAGE, RequestMessage, "body", lambda w, t: (
        reverse("requests:message-post", args=[w.request.pk]), {"body": t},
    )),
    "submission returned": Form("noivu", NOTE, Submission, "review_comment", lambda w, t: (
        reverse("requests:submission-return", args=[w.request.pk, w.submission.pk]),
        {"comment": t},
    )),
}  # fmt: skip


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("length", ["limit + 1", "200,000"])
def test_text_over_the_limit_is_refused_in_vietnamese_and_not_stored(world, name, length):
    form = FORMS[name]
    size = form.limit + 1 if length == "limit + 1" else 200_000
    text = long_text(size)
    url, data = form.post(world, text)
    response = client_for(form.persona).post(url, data, follow=True)
    assert response.status_code in (200, 400), response.status_code
    said = response.content.decode()
    assert f"Nội dung dài {thousands(size)} ký tự, tối đa {thousands(form.limit)} ký tự" in said
    assert not form.model.objects.filter(**{form.field: text}).exists()
    if name == "plan return reason":
        assert Plan.objects.get(pk=world.draft.pk).status == PlanStatus.SUBMITTED
    if name == "submission returned":
        assert Submission.objects.get(pk=world.submission.pk).status == "submitted"


@pytest.mark.parametrize(
    "name", ["finding", "message on a request", "plan return reason", "results report"]
)
def test_text_at_the_limit_is_accepted(world, name):
    form = FORMS[name]
    text = long_text(form.limit)
    url, data = form.post(world, text)
    response = client_for(form.persona).post(url, data, follow=True)
    assert response.status_code == 200
    assert form.model.objects.filter(**{form.field: text}).exists()
