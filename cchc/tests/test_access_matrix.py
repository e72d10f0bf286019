"""Every URL of the app against every persona, generated from the URL configuration.

The URL patterns are walked recursively; every named pattern must have an entry in `KWARGS` (the
objects of `world.py` it is opened with) and in `GET` (what each persona gets when opening it),
or the test fails saying "add an expectation for …": no page can be added untested. A page whose
route starts with a plan id, and the unit and agency pages, are opened a second time with Cà
Mau's plan, unit or agency (`foreign_kwargs`, expectations in `GET_FOREIGN`). A page that accepts
POST has an entry in `POST` (and `POST_FOREIGN`): an empty POST by each persona; when refused
(login, 403, 404, 405) nothing in the database may change. Every other page must refuse POST
with 405. The admin is one family (`admin/`), tested through a few representative pages
(`ADMIN_URLS`).

Answers: `L` is a redirect to a login page (the site's, or the admin's), `R` any other
redirect, otherwise the status code. A POST accepted by a persona runs in the test's transaction
and is rolled back with it.

No English: every HTML answer of the walk (pages, form errors of an empty POST, 403 and 404
pages) fails if what a reader sees holds a phrase of `ENGLISH` ("Select an option",
"Forbidden", "This field", "Choose", "required" …). Only that is checked (`english_on`: the
visible text and the attributes a browser shows, such as `placeholder` and `title`; not tags,
other attributes, scripts or styles), since `required` is also an attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import lxml.html
import pytest
from django.apps import apps
from django.db import connection
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.test import client_for
from cchc.tests.world import World

pytestmark = pytest.mark.django_db

COLUMNS = (None, "admin", "noivu", "lanhdao", "truongdoan", "doanvien", "tuphap", "anbien",
           "thuba", "camau")  # fmt: skip
ADMIN_NAMESPACE = "admin"


def named_patterns(
    patterns=None, namespace: str = "", route: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every named pattern; the admin's as one `admin:*` family."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == ADMIN_NAMESPACE and not namespace:
                yield f"{ADMIN_NAMESPACE}:*", route + str(pattern.pattern)
                continue
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from named_patterns(pattern.url_patterns, full, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route + str(pattern.pattern)


def answer(client, method: str, url: str) -> str:
    return respond(client, method, url)[0]


def respond(client, method: str, url: str) -> tuple[str, HttpResponseBase]:
    """The answer (as in the tables) and the response."""
    response = getattr(client, method)(url)
    if response.streaming:  # a file download: read it, which closes the file
        b"".join(response.streaming_content)
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"].split("?")[0]
        return "L" if location in (reverse("login"), reverse("admin:login")) else "R", response
    return str(response.status_code), response


# English a Vietnamese user must never read: the browser's and the libraries' defaults.
ENGLISH = ("Select an option", "Forbidden", "Not Found", "This field", "Choose", "required",
           "Enter a valid", "Select a valid", "Change history")  # fmt: skip


def english_on(response: HttpResponseBase) -> list[str]:
    """The phrases of `ENGLISH` (any case) a reader meets on an HTML page: the text of `<title>`
    and `<body>` without `<script>`, `<style>` and `<template>`, and the attributes a browser
    shows or reads aloud (`placeholder`, `title`, `alt`, `aria-label`, a button's `value`).
    Tags and other attributes are left out, so the `required` attribute of a box and
    `aria-required` do not count."""
    html = b"" if response.streaming else response.content
    if not html.strip() or not response.get("Content-Type", "").startswith("text/html"):
        return []
    document = lxml.html.document_fromstring(html.decode(response.charset))
    for hidden in document.xpath("//script | //style | //template"):
        hidden.drop_tree()
    shown = [part.text_content() for part in document.xpath("//title | //body")]
    shown += document.xpath(
        "//@placeholder | //@title | //@alt | //@aria-label"
        " | //input[@type='submit' or @type='button' or @type='reset']/@value"
    )
    text = " ".join(shown).casefold()
    return [phrase for phrase in ENGLISH if phrase.casefold() in text]


def fingerprint() -> list[tuple]:
    """Row count and highest key of every table, history tables included (so that an update
    of a tracked row shows), in one query."""
    quote = connection.ops.quote_name

    def highest(model) -> str:
        column = quote(model._meta.pk.column)
        if model._meta.pk.get_internal_type() in ("UUIDField", "CharField"):
            return f"MAX(CAST({column} AS TEXT))"  # PostgreSQL has no MAX of a uuid
        return f"CAST(MAX({column}) AS TEXT)"

    selects = [
        f"SELECT '{model._meta.label}', COUNT(*), {highest(model)}"
        f" FROM {quote(model._meta.db_table)}"
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        return sorted(cursor.fetchall())


# The objects each page is opened with -------------------------------------------------------

Kwargs = Callable[[World], dict]


def plan(field: str = "seed", **more: Callable[[World], object]) -> Kwargs:
    """The plan `field` of the world as `pk`, and further ids taken from the world."""
    return lambda w: {"pk": getattr(w, field).pk, **{k: f(w) for k, f in more.items()}}


def ids(**named: Callable[[World], object]) -> Kwargs:
    return lambda w: {k: f(w) for k, f in named.items()}


def none(w: World) -> dict:
    return {}


TEAM = {"team_pk": lambda w: w.team.pk}
DISTRICT = {"target_pk": lambda w: w.an_bien_target.pk}
VISIT = {"visit_pk": lambda w: w.visit.pk}
NOTICE = {"notice_pk": lambda w: w.notice.pk}
AMENDMENT = {"amendment_pk": lambda w: w.amendment.pk}
REQUEST = {"pk": lambda w: w.request.pk}
SUBMISSION = {**REQUEST, "submission_pk": lambda w: w.submission.pk}
RECOMMENDATION = {"pk": lambda w: w.recommendation.pk}


def fmt(value: str, kwargs: Kwargs = none) -> Kwargs:
    return lambda w: {**kwargs(w), "fmt": value}


KWARGS: dict[str, Kwargs] = {
    "home": none,
    "healthz": none,
    "login": none,
    "logout": none,
    "password_change": none,
    "password_change_done": none,
    "account-settings": none,
    "password_reset": none,
    "password_reset_done": none,
    "password_reset_confirm": ids(uidb64=lambda w: "MQ", token=lambda w: "a-b"),
    "password_reset_complete": none,
    "units:unit-list": none,
    "units:unit-detail": ids(pk=lambda w: w.province.pk),
    "units:agency-list": none,
    "units:agency-detail": ids(pk=lambda w: w.an_bien.pk),
    "inspections:plan-list": none,
    "inspections:plan-create": none,
    "inspections:legal-documents": none,
    "inspections:plan-detail": plan(),
    "inspections:plan-edit": plan("draft"),
    "inspections:item-create": plan("draft"),
    "inspections:item-edit": plan("draft", item_pk=lambda w: w.draft_item.pk),
    "inspections:item-delete": plan("draft", item_pk=lambda w: w.draft_item.pk),
    "inspections:targets-add": plan("draft"),
    "inspections:target-edit": plan("draft", target_pk=lambda w: w.draft_target.pk),
    "inspections:target-delete": plan("draft", target_pk=lambda w: w.draft_target.pk),
    "inspections:plan-submit": plan("draft"),
    "inspections:plan-approve": plan("draft"),
    "inspections:plan-return": plan("draft"),
    "inspections:plan-issue": plan("draft"),
    "inspections:plan-copy": plan(),
    "inspections:outline-edit": plan(),
    "inspections:outline-send": plan(),
    "inspections:progress": plan(),
    "inspections:teams": plan(),
    "inspections:team-detail": plan(**TEAM),
    "inspections:team-edit": plan(**TEAM),
    "inspections:team-member-add": plan(**TEAM),
    "inspections:team-targets": plan(**TEAM),
    "inspections:team-issue": plan(**TEAM),
    "inspections:schedule-issue": plan(**TEAM),
    "inspections:communes": plan(**DISTRICT),
    "inspections:communes-choose": plan(**DISTRICT),
    "inspections:communes-draw": plan(**DISTRICT),
    "inspections:reinspection-add": plan("draft"),
    "inspections:schedule": plan(),
    "inspections:results-report": plan(),
    "inspections:results-submit": plan(),
    "inspections:results-approve": plan(),
    "inspections:results-return": plan(),
    "inspections:results-issue": plan(),
    "inspections:my-visits": none,
    "inspections:calendar-feed": none,
    "inspections:conclusion-list": none,
    "inspections:conclusion-create": plan(),
    "inspections:conclusion-detail": ids(**NOTICE),
    "inspections:conclusion-submit": ids(**NOTICE),
    "inspections:conclusion-approve": ids(**NOTICE),
    "inspections:conclusion-return": ids(**NOTICE),
    "inspections:conclusion-issue": ids(**NOTICE),
    "inspections:conclusion-amend": ids(**NOTICE),
    "inspections:amendment-create": plan(),
    "inspections:amendment-detail": ids(**AMENDMENT),
    "inspections:amendment-target-add": ids(**AMENDMENT),
    "inspections:amendment-target-remove": ids(**AMENDMENT),
    "inspections:amendment-change-delete": ids(
        **AMENDMENT, change_pk=lambda w: w.amendment_change.pk
    ),
    "inspections:amendment-submit": ids(**AMENDMENT),
    "inspections:amendment-approve": ids(**AMENDMENT),
    "inspections:amendment-return": ids(**AMENDMENT),
    "inspections:amendment-issue": ids(**AMENDMENT),
    "inspections:visit-detail": ids(**VISIT),
    "inspections:minutes-save": ids(**VISIT),
    "inspections:minutes-issue": ids(**VISIT),
    "inspections:finding-add": ids(**VISIT),
    "inspections:recommendation-add": ids(**VISIT),
    "inspections:finding-edit": ids(**VISIT, finding_pk=lambda w: w.finding.pk),
    "inspections:finding-delete": ids(**VISIT, finding_pk=lambda w: w.finding.pk),
    "inspections:recommendation-edit": ids(**VISIT, pk=lambda w: w.recommendation.pk),
    "inspections:recommendation-delete": ids(**VISIT, pk=lambda w: w.recommendation.pk),
    "inspections:finding-evidence-add": ids(**VISIT, finding_pk=lambda w: w.finding.pk),
    "inspections:finding-evidence-file": ids(**VISIT, file_pk=lambda w: w.evidence.pk),
    "inspections:finding-list": none,
    "inspections:recommendation-list": none,
    "inspections:recommendation-detail": ids(**RECOMMENDATION),
    "inspections:remediation-create": ids(**RECOMMENDATION),
    "inspections:remediation-verify": ids(**RECOMMENDATION),
    "inspections:remediation-file": ids(**RECOMMENDATION, file_pk=lambda w: w.remediation_file.pk),
    "requests:request-list": none,
    "requests:request-detail": ids(**REQUEST),
    "requests:submission-create": ids(**REQUEST),
    "requests:message-post": ids(**REQUEST),
    "requests:submission-file": ids(**SUBMISSION),
    "requests:attachment-file": ids(**SUBMISSION, attachment_pk=lambda w: w.attachment.pk),
    "requests:submission-accept": ids(**SUBMISSION),
    "requests:submission-return": ids(**SUBMISSION),
    "reports:dashboard": none,
    "reports:dashboard-export": fmt("csv"),
    "reports:plan-pdf": plan(),
    "reports:plan-docx": plan(),
    "reports:outline-letter": fmt("docx", plan()),
    "reports:team-decision": fmt("docx", plan(**TEAM)),
    "reports:schedule-notice": fmt("docx", plan(**TEAM)),
    "reports:conclusion-document": fmt("docx", ids(**NOTICE)),
    "reports:amendment-document": fmt("docx", ids(**AMENDMENT)),
    "reports:minutes-document": fmt("docx", ids(**VISIT)),
    "reports:results-document": fmt("docx", plan()),
    "reports:visits-calendar": ids(token=lambda w: w.feed.token),
    "reports:round-zip": plan(),
    "reports:job": ids(job_pk=lambda w: w.job.pk),
    "reports:job-retry": ids(job_pk=lambda w: w.job.pk),
    "reports:job-download": ids(job_pk=lambda w: w.job.pk),
    "reports:progress-export": fmt("csv", plan()),
    "reports:target-export": fmt("csv", plan()),
    "reports:plan-list-export": fmt("csv"),
    "reports:request-export": fmt("csv"),
    "reports:visit-export": fmt("csv"),
    "reports:conclusion-export": fmt("csv"),
    "reports:finding-export": fmt("csv"),
    "reports:recommendation-export": fmt("csv"),
    "reports:unit-export": fmt("csv"),
    "reports:agency-export": fmt("csv"),
    "signing:field-offer": ids(pk=lambda w: w.rendition.pk),
    "signing:original": ids(pk=lambda w: w.rendition.pk),
    "signing:person-upload": ids(pk=lambda w: w.rendition.pk),
    "signing:body-sign": ids(pk=lambda w: w.rendition.pk),
    "signing:attachment": ids(pk=lambda w: w.rendition.pk),
    "signing:attachment-sign": ids(pk=lambda w: w.rendition.pk),
}

# The same pages with Cà Mau's plan, unit or agency in place of ours (other ids unchanged: a
# Cà Mau plan with An Giang's team must not open either): every page whose route starts with a
# plan id, and the unit and agency pages.
PLAN_ROUTE = "plans/<int:pk>/"
FOREIGN: dict[str, Kwargs] = {
    "units:unit-detail": ids(pk=lambda w: w.ca_mau.pk),
    "units:agency-detail": ids(pk=lambda w: w.ca_mau_agency.pk),
}


def foreign_kwargs(name: str, route: str) -> Kwargs | None:
    if name in FOREIGN:
        return FOREIGN[name]
    if route.startswith(PLAN_ROUTE) and name in KWARGS:
        return lambda w: {**KWARGS[name](w), "pk": w.ca_mau_plan.pk}
    return None


# A few pages stand for the whole admin.
ADMIN_URLS: dict[str, Kwargs] = {
    "admin:index": none,
    "admin:inspections_plan_changelist": none,
    "admin:inspections_plan_change": ids(object_id=lambda w: w.seed.pk),
    "admin:units_agency_changelist": none,
    "admin:inspections_plan_history": ids(object_id=lambda w: w.seed.pk),
    "admin:inspections_plan_add": none,
}


# What each persona gets ---------------------------------------------------------------------
# Columns: anonymous, admin, noivu, lanhdao, truongdoan, doanvien, tuphap, anbien, thuba, camau.

# fmt: off
GET: dict[str, str] = {
    # URL name                             anon adm noi lan tru doa tup anb thu cam
    "home":                                 "L   200 200 200 200 200 200 200 200 200",
    "healthz":                              "200 200 200 200 200 200 200 200 200 200",
    "login":                                "200 200 200 200 200 200 200 200 200 200",
    "logout":                               "405 405 405 405 405 405 405 405 405 405",
    "password_change":                      "L   200 200 200 200 200 200 200 200 200",
    "password_change_done":                 "L   200 200 200 200 200 200 200 200 200",
    "account-settings":                     "L   200 200 200 200 200 200 200 200 200",
    "password_reset":                       "200 200 200 200 200 200 200 200 200 200",
    "password_reset_done":                  "200 200 200 200 200 200 200 200 200 200",
    "password_reset_confirm":               "200 200 200 200 200 200 200 200 200 200",
    "password_reset_complete":              "200 200 200 200 200 200 200 200 200 200",
    "units:unit-list":                      "L   200 200 200 200 200 200 200 200 200",
    "units:unit-detail":                    "L   200 200 200 200 200 200 200 200 404",
    "units:agency-list":                    "L   200 200 200 200 200 200 200 200 200",
    "units:agency-detail":                  "L   200 200 200 200 200 200 200 200 404",
    "inspections:plan-list":                "L   200 200 200 200 200 200 200 200 200",
    "inspections:plan-create":              "L   200 200 403 403 403 403 403 403 200",
    "inspections:legal-documents":          "L   200 200 200 200 200 403 403 403 200",
    "inspections:plan-detail":              "L   200 200 200 200 200 200 200 200 404",
    "inspections:plan-edit":                "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-create":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-edit":                "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-delete":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:targets-add":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:target-edit":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:target-delete":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-submit":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-approve":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-return":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-issue":               "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-copy":                "L   200 200 403 403 403 403 403 403 404",
    "inspections:outline-edit":             "L   200 200 403 403 403 403 403 403 404",
    "inspections:outline-send":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:progress":                 "L   200 200 200 200 200 403 403 403 404",
    "inspections:teams":                    "L   200 200 200 200 200 403 403 403 404",
    "inspections:team-detail":              "L   200 200 200 200 200 403 403 403 404",
    "inspections:team-edit":                "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-member-add":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-targets":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-issue":               "L   405 405 405 405 405 405 405 405 405",
    "inspections:schedule-issue":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:communes":                 "L   200 200 200 200 200 403 403 403 404",
    "inspections:communes-choose":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:communes-draw":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:reinspection-add":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:schedule":                 "L   200 200 200 200 200 403 403 403 404",
    "inspections:results-report":           "L   200 200 200 200 200 403 403 403 404",
    "inspections:results-submit":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-approve":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-return":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-issue":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:my-visits":                "L   200 200 200 200 200 200 200 200 200",
    "inspections:calendar-feed":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-list":          "L   200 200 200 200 200 200 200 200 200",
    "inspections:conclusion-create":        "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-detail":        "L   200 200 200 200 200 404 200 404 404",
    "inspections:conclusion-submit":        "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-approve":       "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-return":        "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-issue":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-amend":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-create":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-detail":         "L   200 200 200 200 200 404 404 404 404",
    "inspections:amendment-target-add":     "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-target-remove":  "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-change-delete":  "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-submit":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-approve":        "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-return":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-issue":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:visit-detail":             "L   200 200 200 404 200 404 404 404 404",
    "inspections:minutes-save":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:minutes-issue":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:finding-add":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:recommendation-add":       "L   405 405 405 405 405 405 405 405 405",
    "inspections:finding-edit":             "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-delete":           "L   R   R   403 404 R   404 404 404 404",
    "inspections:recommendation-edit":      "L   R   R   403 404 R   404 404 404 404",
    "inspections:recommendation-delete":    "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-evidence-add":     "L   405 405 405 405 405 405 405 405 405",
    "inspections:finding-evidence-file":    "L   200 200 200 404 200 404 404 404 404",
    "inspections:finding-list":             "L   200 200 200 200 200 200 200 200 200",
    "inspections:recommendation-list":      "L   200 200 200 200 200 200 200 200 200",
    "inspections:recommendation-detail":    "L   200 200 200 200 200 404 200 404 404",
    "inspections:remediation-create":       "L   405 405 405 405 405 405 405 405 405",
    "inspections:remediation-verify":       "L   405 405 405 405 405 405 405 405 405",
    "inspections:remediation-file":         "L   200 200 200 200 200 404 200 404 404",
    "requests:request-list":                "L   200 200 200 200 200 200 200 200 200",
    "requests:request-detail":              "L   200 200 200 200 200 404 200 404 404",
    "requests:submission-create":           "L   405 405 405 405 405 405 405 405 405",
    "requests:message-post":                "L   405 405 405 405 405 405 405 405 405",
    "requests:submission-file":             "L   200 200 200 200 200 404 200 404 404",
    "requests:attachment-file":             "L   200 200 200 200 200 404 200 404 404",
    "requests:submission-accept":           "L   405 405 405 405 405 405 405 405 405",
    "requests:submission-return":           "L   405 405 405 405 405 405 405 405 405",
    "reports:dashboard":                    "L   200 200 200 200 200 200 200 200 200",
    # The whole ranking: not for a unit's reporter (it names other units).
    "reports:dashboard-export":             "L   200 200 200 200 200 404 404 404 200",
    "reports:plan-pdf":                     "L   200 200 200 200 200 200 200 200 404",
    "reports:plan-docx":                    "L   200 200 200 200 200 200 200 200 404",
    "reports:outline-letter":               "L   200 200 200 200 200 200 200 200 404",
    "reports:team-decision":                "L   200 200 200 200 200 403 403 403 404",
    "reports:schedule-notice":              "L   200 200 200 200 200 403 403 403 404",
    "reports:conclusion-document":          "L   200 200 200 200 200 404 200 404 404",
    "reports:amendment-document":           "L   200 200 200 200 200 404 404 404 404",
    "reports:minutes-document":             "L   200 200 200 404 200 404 404 404 404",
    "reports:results-document":             "L   200 200 200 200 200 403 403 403 404",
    "reports:visits-calendar":              "200 200 200 200 200 200 200 200 200 200",
    "reports:round-zip":                    "L   405 405 405 405 405 405 405 405 405",
    "reports:job":                          "L   200 200 200 403 403 403 403 403 404",
    "reports:job-retry":                    "L   405 405 405 405 405 405 405 405 405",
    "reports:job-download":                 "L   200 200 200 403 403 403 403 403 404",
    "reports:progress-export":              "L   200 200 200 200 200 403 403 403 404",
    "reports:target-export":                "L   200 200 200 200 200 200 200 200 404",
    "reports:plan-list-export":             "L   200 200 200 200 200 200 200 200 200",
    "reports:request-export":               "L   200 200 200 200 200 200 200 200 200",
    "reports:visit-export":                 "L   200 200 200 200 200 200 200 200 200",
    "reports:conclusion-export":            "L   200 200 200 200 200 200 200 200 200",
    "reports:finding-export":               "L   200 200 200 200 200 200 200 200 200",
    "reports:recommendation-export":        "L   200 200 200 200 200 200 200 200 200",
    "reports:unit-export":                  "L   200 200 200 200 200 200 200 200 200",
    "reports:agency-export":                "L   200 200 200 200 200 200 200 200 200",
    "signing:field-offer":                  "L   200 200 200 403 403 403 403 403 404",
    "signing:original":                     "L   200 200 200 200 200 200 200 200 404",
    "signing:person-upload":                "L   405 405 405 405 405 405 405 405 405",
    "signing:body-sign":                    "L   405 405 405 405 405 405 405 405 405",
    # The seed plan has no attachments: found only by those who read it, as nothing.
    "signing:attachment":                   "L   404 404 404 404 404 404 404 404 404",
    "signing:attachment-sign":              "L   405 405 405 405 405 405 405 405 405",
    "admin:index":                          "L   200 L   L   L   L   L   L   L   L",
    "admin:inspections_plan_changelist":    "L   200 L   L   L   L   L   L   L   L",
    "admin:inspections_plan_change":        "L   200 L   L   L   L   L   L   L   L",
    "admin:units_agency_changelist":        "L   200 L   L   L   L   L   L   L   L",
    "admin:inspections_plan_history":       "L   200 L   L   L   L   L   L   L   L",
    "admin:inspections_plan_add":           "L   200 L   L   L   L   L   L   L   L",
}

# Cà Mau's plan (a draft), unit or agency: nobody of An Giang may open it; camau may.
GET_FOREIGN: dict[str, str] = {
    # URL name                             anon adm noi lan tru doa tup anb thu cam
    "units:unit-detail":                    "L   200 404 404 404 404 404 404 404 200",
    "units:agency-detail":                  "L   200 404 404 404 404 404 404 404 200",
    "inspections:plan-detail":              "L   200 404 404 404 404 404 404 404 200",
    "inspections:plan-edit":                "L   200 404 404 404 404 404 404 404 200",
    "inspections:item-create":              "L   200 404 404 404 404 404 404 404 200",
    "inspections:item-edit":                "L   404 404 404 404 404 404 404 404 404",
    "inspections:item-delete":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:targets-add":              "L   200 404 404 404 404 404 404 404 200",
    "inspections:target-edit":              "L   404 404 404 404 404 404 404 404 404",
    "inspections:target-delete":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-submit":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-approve":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-return":              "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-issue":               "L   405 405 405 405 405 405 405 405 405",
    "inspections:plan-copy":                "L   200 404 404 404 404 404 404 404 200",
    "inspections:outline-edit":             "L   200 404 404 404 404 404 404 404 200",
    "inspections:outline-send":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:progress":                 "L   200 404 404 404 404 404 404 404 200",
    "inspections:teams":                    "L   200 404 404 404 404 404 404 404 200",
    "inspections:team-detail":              "L   404 404 404 404 404 404 404 404 404",
    "inspections:team-edit":                "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-member-add":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-targets":             "L   405 405 405 405 405 405 405 405 405",
    "inspections:team-issue":               "L   405 405 405 405 405 405 405 405 405",
    "inspections:schedule-issue":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:communes":                 "L   404 404 404 404 404 404 404 404 404",
    "inspections:communes-choose":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:communes-draw":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:reinspection-add":         "L   405 405 405 405 405 405 405 405 405",
    "inspections:schedule":                 "L   200 404 404 404 404 404 404 404 200",
    "inspections:results-report":           "L   200 404 404 404 404 404 404 404 200",
    "inspections:results-submit":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-approve":          "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-return":           "L   405 405 405 405 405 405 405 405 405",
    "inspections:results-issue":            "L   405 405 405 405 405 405 405 405 405",
    "inspections:conclusion-create":        "L   405 405 405 405 405 405 405 405 405",
    "inspections:amendment-create":         "L   405 405 405 405 405 405 405 405 405",
    "reports:plan-pdf":                     "L   200 404 404 404 404 404 404 404 200",
    "reports:plan-docx":                    "L   200 404 404 404 404 404 404 404 200",
    "reports:outline-letter":               "L   404 404 404 404 404 404 404 404 404",
    "reports:team-decision":                "L   404 404 404 404 404 404 404 404 404",
    "reports:schedule-notice":              "L   404 404 404 404 404 404 404 404 404",
    "reports:results-document":             "L   404 404 404 404 404 404 404 404 404",
    "reports:round-zip":                    "L   405 405 405 405 405 405 405 405 405",
    "reports:progress-export":              "L   200 404 404 404 404 404 404 404 200",
    "reports:target-export":                "L   200 404 404 404 404 404 404 404 200",
}

# An empty POST to every page that accepts one. Refused (L, 403, 404, 405): nothing changes.
POST: dict[str, str] = {
    # URL name                             anon adm noi lan tru doa tup anb thu cam
    "login":                                "200 200 200 200 200 200 200 200 200 200",
    "logout":                               "L   L   L   L   L   L   L   L   L   L",
    "password_change":                      "L   200 200 200 200 200 200 200 200 200",
    "account-settings":                     "L   200 R   R   R   R   R   R   R   R",
    "password_reset":                       "200 200 200 200 200 200 200 200 200 200",
    "password_reset_confirm":               "200 200 200 200 200 200 200 200 200 200",
    "inspections:plan-create":              "L   200 200 403 403 403 403 403 403 200",
    "inspections:legal-documents":          "L   200 200 403 403 403 403 403 403 200",
    "inspections:plan-edit":                "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-create":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-edit":                "L   200 200 403 403 403 404 404 404 404",
    "inspections:item-delete":              "L   R   R   403 403 403 404 404 404 404",
    "inspections:targets-add":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:target-edit":              "L   200 200 403 403 403 404 404 404 404",
    "inspections:target-delete":            "L   R   R   403 403 403 404 404 404 404",
    "inspections:plan-submit":              "L   R   R   403 403 403 404 404 404 404",
    "inspections:plan-approve":             "L   R   403 R   403 403 404 404 404 404",
    "inspections:plan-return":              "L   R   403 R   403 403 404 404 404 404",
    "inspections:plan-issue":               "L   R   R   403 403 403 404 404 404 404",
    "inspections:plan-copy":                "L   200 200 403 403 403 403 403 403 404",
    "inspections:outline-edit":             "L   200 200 403 403 403 403 403 403 404",
    "inspections:outline-send":             "L   R   R   403 403 403 403 403 403 404",
    "inspections:teams":                    "L   R   R   403 403 403 403 403 403 404",
    "inspections:team-edit":                "L   R   R   403 403 403 403 403 403 404",
    "inspections:team-member-add":          "L   R   R   403 403 403 403 403 403 404",
    "inspections:team-targets":             "L   R   R   403 403 403 403 403 403 404",
    "inspections:team-issue":               "L   R   R   403 403 403 403 403 403 404",
    "inspections:schedule-issue":           "L   R   R   403 403 403 403 403 403 404",
    "inspections:communes-choose":          "L   R   R   403 403 403 403 403 403 404",
    "inspections:communes-draw":            "L   R   R   403 403 403 403 403 403 404",
    "inspections:reinspection-add":         "L   R   R   403 403 403 404 404 404 404",
    "inspections:schedule":                 "L   200 200 403 403 403 403 403 403 404",
    "inspections:results-report":           "L   200 200 403 403 403 403 403 403 404",
    "inspections:results-submit":           "L   R   R   403 403 403 403 403 403 404",
    "inspections:results-approve":          "L   R   403 R   403 403 403 403 403 404",
    "inspections:results-return":           "L   R   403 R   403 403 403 403 403 404",
    "inspections:results-issue":            "L   R   R   403 403 403 403 403 403 404",
    "reports:round-zip":                    "L   R   R   R   403 403 403 403 403 404",
    "reports:job-retry":                    "L   R   R   R   403 403 403 403 403 404",
    "inspections:calendar-feed":            "L   R   R   R   R   R   R   R   R   R",
    "inspections:conclusion-create":        "L   404 404 403 403 403 403 403 403 404",
    "inspections:conclusion-submit":        "L   R   R   403 403 403 404 403 404 404",
    "inspections:conclusion-approve":       "L   R   403 R   403 403 404 403 404 404",
    "inspections:conclusion-return":        "L   R   403 R   403 403 404 403 404 404",
    "inspections:conclusion-issue":         "L   R   R   403 403 403 404 403 404 404",
    "inspections:conclusion-amend":         "L   R   R   403 403 403 404 403 404 404",
    "inspections:amendment-create":         "L   R   R   403 403 403 403 403 403 404",
    "inspections:amendment-detail":         "L   200 200 403 403 403 404 404 404 404",
    "inspections:amendment-target-add":     "L   R   R   403 403 403 404 404 404 404",
    "inspections:amendment-target-remove":  "L   R   R   403 403 403 404 404 404 404",
    "inspections:amendment-change-delete":  "L   R   R   403 403 403 404 404 404 404",
    "inspections:amendment-submit":         "L   R   R   403 403 403 404 404 404 404",
    "inspections:amendment-approve":        "L   R   403 R   403 403 404 404 404 404",
    "inspections:amendment-return":         "L   R   403 R   403 403 404 404 404 404",
    "inspections:amendment-issue":          "L   R   R   403 403 403 404 404 404 404",
    "inspections:minutes-save":             "L   R   R   403 404 R   404 404 404 404",
    "inspections:minutes-issue":            "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-add":              "L   R   R   403 404 R   404 404 404 404",
    "inspections:recommendation-add":       "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-edit":             "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-delete":           "L   R   R   403 404 R   404 404 404 404",
    "inspections:recommendation-edit":      "L   R   R   403 404 R   404 404 404 404",
    "inspections:recommendation-delete":    "L   R   R   403 404 R   404 404 404 404",
    "inspections:finding-evidence-add":     "L   R   R   403 404 R   404 404 404 404",
    "inspections:remediation-create":       "L   403 403 403 403 403 404 R   404 404",
    "inspections:remediation-verify":       "L   R   R   403 403 R   404 403 404 404",
    "requests:submission-create":           "L   403 403 403 403 403 404 400 404 404",
    "requests:message-post":                "L   R   R   403 403 403 404 R   404 404",
    "requests:submission-accept":           "L   R   R   403 R   R   404 403 404 404",
    "requests:submission-return":           "L   R   R   403 R   R   404 403 404 404",
    "signing:person-upload":                "L   R   R   R   403 403 403 403 403 404",
    "signing:body-sign":                    "L   R   R   403 403 403 403 403 403 404",
    "signing:attachment-sign":              "L   R   R   403 403 403 403 403 403 404",
}

POST_FOREIGN: dict[str, str] = {
    # URL name                             anon adm noi lan tru doa tup anb thu cam
    "inspections:plan-edit":                "L   200 404 404 404 404 404 404 404 200",
    "inspections:item-create":              "L   200 404 404 404 404 404 404 404 200",
    "inspections:item-edit":                "L   404 404 404 404 404 404 404 404 404",
    "inspections:item-delete":              "L   404 404 404 404 404 404 404 404 404",
    "inspections:targets-add":              "L   200 404 404 404 404 404 404 404 200",
    "inspections:target-edit":              "L   404 404 404 404 404 404 404 404 404",
    "inspections:target-delete":            "L   404 404 404 404 404 404 404 404 404",
    "inspections:plan-submit":              "L   R   404 404 404 404 404 404 404 R",
    "inspections:plan-approve":             "L   R   404 404 404 404 404 404 404 403",
    "inspections:plan-return":              "L   R   404 404 404 404 404 404 404 403",
    "inspections:plan-issue":               "L   R   404 404 404 404 404 404 404 R",
    "inspections:plan-copy":                "L   200 404 404 404 404 404 404 404 200",
    "inspections:outline-edit":             "L   200 404 404 404 404 404 404 404 200",
    "inspections:outline-send":             "L   404 404 404 404 404 404 404 404 404",
    "inspections:teams":                    "L   200 404 404 404 404 404 404 404 200",
    "inspections:team-edit":                "L   404 404 404 404 404 404 404 404 404",
    "inspections:team-member-add":          "L   404 404 404 404 404 404 404 404 404",
    "inspections:team-targets":             "L   404 404 404 404 404 404 404 404 404",
    "inspections:team-issue":               "L   404 404 404 404 404 404 404 404 404",
    "inspections:schedule-issue":           "L   404 404 404 404 404 404 404 404 404",
    "inspections:communes-choose":          "L   404 404 404 404 404 404 404 404 404",
    "inspections:communes-draw":            "L   404 404 404 404 404 404 404 404 404",
    "inspections:reinspection-add":         "L   R   404 404 404 404 404 404 404 R",
    "inspections:schedule":                 "L   200 404 404 404 404 404 404 404 200",
    "inspections:results-report":           "L   200 404 404 404 404 404 404 404 200",
    "inspections:results-submit":           "L   R   404 404 404 404 404 404 404 R",
    "inspections:results-approve":          "L   R   404 404 404 404 404 404 404 403",
    "inspections:results-return":           "L   R   404 404 404 404 404 404 404 403",
    "inspections:results-issue":            "L   R   404 404 404 404 404 404 404 R",
    "reports:round-zip":                    "L   R   404 404 404 404 404 404 404 R",
    "inspections:conclusion-create":        "L   404 404 404 404 404 404 404 404 404",
    "inspections:amendment-create":         "L   R   404 404 404 404 404 404 404 R",
}
# fmt: on

REFUSED = {"L", "403", "404", "405"}
TABLES = {"GET": GET, "GET_FOREIGN": GET_FOREIGN, "POST": POST, "POST_FOREIGN": POST_FOREIGN}
ROUTES = dict(named_patterns())


def expected(table: str, name: str, persona: str | None) -> str:
    """The answer `persona` should get, from the table named `table`."""
    declared = TABLES[table]
    if name not in declared:
        pytest.fail(f"add an expectation for {name} to {table}")
    row = declared[name].split()
    assert len(row) == len(COLUMNS), f"{name}: {len(row)} answers for {len(COLUMNS)} personas"
    return row[COLUMNS.index(persona)]


def kwargs_of(name: str, variant: str) -> Kwargs:
    if variant == "foreign":
        return foreign_kwargs(name, ROUTES[name])
    if name.startswith(f"{ADMIN_NAMESPACE}:"):
        return ADMIN_URLS[name]
    if name not in KWARGS:
        pytest.fail(f"add an expectation for {name}: its objects to KWARGS")
    return KWARGS[name]


def cases() -> list[tuple[str, str]]:
    """(URL name, own or foreign) of every page; the admin family as its representative pages."""
    found = []
    for name, route in ROUTES.items():
        if name == f"{ADMIN_NAMESPACE}:*":
            found += [(admin, "own") for admin in ADMIN_URLS]
            continue
        found.append((name, "own"))
        if foreign_kwargs(name, route) is not None:
            found.append((name, "foreign"))
    return found


def persona_id(persona: str | None) -> str:
    return persona or "anonymous"


GET_CASES = [
    pytest.param(name, variant, persona, id=f"{name}[{variant}]-{persona_id(persona)}")
    for name, variant in cases()
    for persona in COLUMNS
]
POST_CASES = [
    pytest.param(name, variant, persona, id=f"{name}[{variant}]-{persona_id(persona)}")
    for name, variant in cases()
    if name in POST
    for persona in COLUMNS
]


# The declarations are complete and current ------------------------------------------------


def test_every_url_name_is_declared():
    """One failure listing every page without an expectation (the parametrized tests below fail
    for each of them too)."""
    missing = []
    for name, variant in cases():
        if variant == "own":
            needed = {"KWARGS": {**KWARGS, **ADMIN_URLS}, "GET": GET}
        else:
            needed = {"GET_FOREIGN": GET_FOREIGN}
            if name in POST:
                needed["POST_FOREIGN"] = POST_FOREIGN
        missing += [
            f"add an expectation for {name} to {t}" for t, d in needed.items() if name not in d
        ]
    assert not missing, "\n".join(missing)


def test_no_expectation_for_a_page_that_is_gone():
    names = {name for name, _variant in cases()}
    for table, declared in {**TABLES, "KWARGS": KWARGS}.items():
        assert set(declared) <= names, f"{table}: {sorted(set(declared) - names)} are gone"


def test_the_admin_is_one_family_under_admin():
    admin_routes = [route for name, route in ROUTES.items() if name.startswith("admin:")]
    assert admin_routes == ["admin/"]


# Every page, every persona ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "variant", "persona"), GET_CASES)
def test_get(world, name, variant, persona):
    want = expected("GET" if variant == "own" else "GET_FOREIGN", name, persona)
    url = reverse(name, kwargs=kwargs_of(name, variant)(world))
    got, response = respond(client_for(persona), "get", url)
    assert got == want, f"GET {url} as {persona_id(persona)}"
    english = english_on(response)
    assert not english, f"GET {url} as {persona_id(persona)} shows English: {english}"


@pytest.mark.parametrize(("name", "variant", "persona"), POST_CASES)
def test_empty_post(world, name, variant, persona):
    """An empty POST: what each persona gets; a refused one changes nothing."""
    want = expected("POST" if variant == "own" else "POST_FOREIGN", name, persona)
    url = reverse(name, kwargs=kwargs_of(name, variant)(world))
    client = client_for(persona)
    refused = want in REFUSED and (want != "L" or persona is None)  # logging out is not refused
    before = fingerprint() if refused else None
    got, response = respond(client, "post", url)
    assert got == want, f"POST {url} as {persona_id(persona)}"
    english = english_on(response)  # the form's errors, or the refusal's page
    assert not english, f"POST {url} as {persona_id(persona)} shows English: {english}"
    if before is not None:
        assert fingerprint() == before, f"refused POST {url} as {persona_id(persona)} changed data"


@pytest.mark.parametrize(
    "name",
    [n for n, variant in cases() if variant == "own" and n not in POST and "admin:" not in n],
)
def test_pages_without_a_post_expectation_refuse_post(world, name):
    """A page that accepts POST must say so in `POST`: here the administrator, who may do
    everything, gets 405 from every other page."""
    url = reverse(name, kwargs=kwargs_of(name, "own")(world))
    got = answer(client_for("admin"), "post", url)
    assert got == "405", f"{name} accepts POST ({got}): add an expectation for it to POST"
