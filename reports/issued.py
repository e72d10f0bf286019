"""Issued documents kept as files: every document the round issues is rendered once, PDF and
Word, and kept with the SHA-256 of each file (`inspections.IssuedRendition`); its downloads serve
those bytes forever. An issued document is an official record: it must not change when the
round's data change later (a unit renamed, a recommendation remedied, a plan title corrected).

When: just after the transaction that issues the document commits (`document_issued`), so a
failed or rolled-back issue leaves no file; and, for a document issued before this rule or loaded
without its files (the demo round, bulk-generated data), at its first download
(`rendition_for`) — or for all of them at once with `manage.py freeze_issued_documents`.

What counts as issued, per kind: a plan, an amendment of a plan, team decision, schedule
notice, conclusion notice (and its amendments) or results report once numbered; the covering
letter of the outline once sent; the minutes of a visit once the unit's conclusion notice is
issued (they are frozen from then on). The schedule notice lives on its team's row: it is kept
as `ScheduleNotice` (a proxy of the team, its own content type), apart from the decision. A
plan's files are kept at the latest when an amendment is issued, before its changes reach the
plan's data (`keep_before_amending`).

Every download of a round's document goes through `reports.views._kept_or_live` (the results
report through its job first): the kept bytes once issued, never rendered again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef

from inspections.models import (
    ConclusionNotice,
    DecisionStatus,
    IssuedRendition,
    Minutes,
    NoticeStatus,
    Outline,
    Plan,
    PlanAmendment,
    PlanStatus,
    ResultsReport,
    ScheduleNotice,
    Team,
)
from inspections.services import round_results
from reports.amendment_document import amendment_document, amendment_for_document
from reports.documents import OfficialDocument
from reports.outline_document import outline_document
from reports.plan_document import plan_document, plan_for_document
from reports.rendering import render_docx, render_pdf
from reports.results_document import results_document
from reports.visit_documents import (
    conclusion_document,
    minutes_document,
    schedule_notice,
    team_decision,
)

logger = logging.getLogger(__name__)

# Each issued kind: whether an instance is issued, how its document is built, and which
# instances are issued (for `freeze_issued_documents`).
KINDS: dict[type[models.Model], tuple[Callable[[object], bool], Callable, Callable]] = {
    Plan: (
        lambda plan: plan.status == PlanStatus.ISSUED,
        lambda plan: plan_document(plan_for_document(plan.pk)),
        lambda: Plan.objects.filter(status=PlanStatus.ISSUED),
    ),
    PlanAmendment: (
        lambda amendment: amendment.status == NoticeStatus.ISSUED,
        lambda amendment: amendment_document(amendment_for_document(amendment.pk)),
        lambda: PlanAmendment.objects.filter(status=NoticeStatus.ISSUED),
    ),
    Team: (
        lambda team: team.decision_status == DecisionStatus.ISSUED,
        team_decision,
        lambda: Team.objects.filter(decision_status=DecisionStatus.ISSUED),
    ),
    ScheduleNotice: (
        lambda notice: notice.schedule_number is not None,
        schedule_notice,
        lambda: ScheduleNotice.objects.filter(schedule_number__isnull=False),
    ),
    Outline: (
        lambda outline: outline.letter_number is not None,
        outline_document,
        lambda: Outline.objects.filter(letter_number__isnull=False),
    ),
    Minutes: (
        lambda minutes: minutes.visit.is_frozen,
        minutes_document,
        lambda: Minutes.objects.filter(
            Exists(
                ConclusionNotice.objects.filter(
                    plan=OuterRef("visit__plan"),
                    agency=OuterRef("visit__agency"),
                    amends__isnull=True,
                    status=NoticeStatus.ISSUED,
                )
            )
        ),
    ),
    ConclusionNotice: (
        lambda notice: notice.status == NoticeStatus.ISSUED,
        conclusion_document,
        lambda: ConclusionNotice.objects.filter(status=NoticeStatus.ISSUED),
    ),
    ResultsReport: (
        lambda report: report.status == NoticeStatus.ISSUED,
        lambda report: results_document(report, round_results(report.plan)),
        lambda: ResultsReport.objects.filter(status=NoticeStatus.ISSUED),
    ),
}


# How each kind reaches its plan, for the documents of one round.
PLAN_LOOKUP: dict[type[models.Model], str] = {
    Plan: "pk",
    Team: "plan",
    ScheduleNotice: "plan",
    Outline: "plan",
    Minutes: "visit__plan",
    ConclusionNotice: "plan",
    ResultsReport: "plan",
}


def issued_of_plan(plan: Plan) -> list[models.Model]:
    """Every issued document of the round, kind by kind in the order of KINDS, each by id."""
    return [
        document
        for model, lookup in PLAN_LOOKUP.items()
        for document in KINDS[model][2]().filter(**{lookup: plan.pk}).order_by("pk")
    ]


def issued_without_files(model: type[models.Model]) -> models.QuerySet:
    """The issued documents of a kind that have no kept files yet."""
    kept = IssuedRendition.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=OuterRef("pk"),
    )
    return KINDS[model][2]().exclude(Exists(kept)).order_by("pk")


# Later forms of an issued PDF kept by other apps (the signing app's signed file): each takes the
# rendition and gives the bytes to serve instead, or None. `reports` never imports those apps.
pdf_providers: list[Callable[[IssuedRendition], bytes | None]] = []


def served_pdf(rendition: IssuedRendition) -> bytes:
    """The issued PDF as downloads serve it: the latest signed file once there is one."""
    for provider in pdf_providers:
        content = provider(rendition)
        if content is not None:
            return content
    with rendition.pdf.open("rb") as file:
        return file.read()


def is_issued(document: models.Model) -> bool:
    return KINDS[type(document)][0](document)


def built(document: models.Model) -> OfficialDocument:
    """The document as its data say now: a draft's every download, an issued one's kept files
    once (`rendition_store`). The one place that knows how each kind is built."""
    return KINDS[type(document)][1](document)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def rendition_store(document: models.Model) -> IssuedRendition:
    """Render the issued document as PDF and Word and keep both with their hashes; an existing
    rendition is returned as it is (never rendered twice, whatever changed since)."""
    existing = IssuedRendition.objects.of(document).first()
    if existing is not None:
        return existing
    made = built(document)
    pdf, docx = render_pdf(made), render_docx(made)
    rendition = IssuedRendition(
        content_type=ContentType.objects.get_for_model(document, for_concrete_model=False),
        object_id=document.pk,
        title=made.title,
        pdf_sha256=_sha256(pdf),
        docx_sha256=_sha256(docx),
    )
    rendition.pdf.save(f"{made.title}.pdf", ContentFile(pdf), save=False)
    rendition.docx.save(f"{made.title}.docx", ContentFile(docx), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Rendered at the same moment by another request: the first one kept is the record.
        rendition.pdf.delete(save=False)
        rendition.docx.delete(save=False)
        return IssuedRendition.objects.of(document).get()
    return rendition


def rendition_for(document: models.Model) -> IssuedRendition | None:
    """The kept files of an issued document (kept now if it was issued without them); None for a
    document not issued, which is rendered from its data at each download."""
    return rendition_store(document) if is_issued(document) else None


def store_on_issue(sender, document: models.Model, **kwargs) -> None:
    """`document_issued`: render once the issue is committed. Should rendering fail then, the
    issue stands and the first download renders it (logged, not raised at the person issuing).
    The results report (seconds of figures and charts) is rendered by a background job instead
    of the request that issues it (reports/jobs.py)."""
    # The sender names the document kept: a team's schedule notice is sent as `ScheduleNotice`.
    model, pk = sender, document.pk
    if model is ResultsReport:
        from reports.jobs import job_start
        from reports.models import JobKind

        plan = document.plan
        transaction.on_commit(lambda: job_start(kind=JobKind.RESULTS_REPORT, plan=plan))
        return

    def store() -> None:
        try:
            rendition_store(model.objects.get(pk=pk))
        except Exception:
            logger.exception("Issued %s %s: not rendered now, will be at first download", model, pk)

    transaction.on_commit(store)


def keep_before_amending(sender, plan: Plan, **kwargs) -> None:
    """`plan_amending`: keep the plan's files as issued before an amendment changes its data
    (done now, inside the issuing transaction; a plan already kept is left as it is)."""
    if is_issued(plan):
        rendition_store(plan)
