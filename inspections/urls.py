from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from inspections import views
from inspections.services.lifecycle import TYPES
from inspections.views import documents

app_name = "inspections"


def step(route: str, name: str, kind: str, url_name: str):
    """A step of a document's lifecycle: the one step view, told the step and the type
    (`lifecycle.TYPES`), for a step the type's table row has."""
    if name not in TYPES[kind].steps or name not in documents.STEPS:
        raise ImproperlyConfigured(f"{kind} has no step {name}")
    return path(route, documents.document_step, {"kind": kind, "step": name}, name=url_name)


urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("references/", views.legal_documents, name="legal-documents"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/items/new/", views.item_edit, name="item-create"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item-edit"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item-delete"),
    path("<int:pk>/targets/add/", views.targets_add, name="targets-add"),
    path("<int:pk>/targets/<int:target_pk>/edit/", views.target_edit, name="target-edit"),
    path("<int:pk>/targets/<int:target_pk>/delete/", views.target_delete, name="target-delete"),
    step("<int:pk>/submit/", "submit", "plan", "plan-submit"),
    step("<int:pk>/approve/", "approve", "plan", "plan-approve"),
    step("<int:pk>/return/", "return", "plan", "plan-return"),
    step("<int:pk>/issue/", "issue", "plan", "plan-issue"),
    path("<int:pk>/copy/", views.plan_copy, name="plan-copy"),
    path("<int:pk>/amendments/new/", views.amendment_create, name="amendment-create"),
    path("amendments/<int:amendment_pk>/", views.amendment_detail, name="amendment-detail"),
    path(
        "amendments/<int:amendment_pk>/targets/add/",
        views.amendment_target_add,
        name="amendment-target-add",
    ),
    path(
        "amendments/<int:amendment_pk>/targets/remove/",
        views.amendment_target_remove,
        name="amendment-target-remove",
    ),
    path(
        "amendments/<int:amendment_pk>/changes/<int:change_pk>/delete/",
        views.amendment_change_delete,
        name="amendment-change-delete",
    ),
    step("amendments/<int:amendment_pk>/submit/", "submit", "amendment", "amendment-submit"),
    step("amendments/<int:amendment_pk>/approve/", "approve", "amendment", "amendment-approve"),
    step("amendments/<int:amendment_pk>/return/", "return", "amendment", "amendment-return"),
    step("amendments/<int:amendment_pk>/issue/", "issue", "amendment", "amendment-issue"),
    path("<int:pk>/outline/", views.outline_edit, name="outline-edit"),
    path("<int:pk>/outline/send/", views.outline_send, name="outline-send"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/teams/", views.teams, name="teams"),
    path("<int:pk>/teams/<int:team_pk>/", views.team_detail, name="team-detail"),
    path("<int:pk>/teams/<int:team_pk>/edit/", views.team_edit, name="team-edit"),
    path("<int:pk>/teams/<int:team_pk>/members/", views.team_member_add, name="team-member-add"),
    path("<int:pk>/teams/<int:team_pk>/targets/", views.team_targets_assign, name="team-targets"),
    step("<int:pk>/teams/<int:team_pk>/issue/", "issue", "decision", "team-issue"),
    step("<int:pk>/teams/<int:team_pk>/schedule/issue/", "issue", "schedule", "schedule-issue"),
    path("<int:pk>/targets/<int:target_pk>/communes/", views.communes, name="communes"),
    path(
        "<int:pk>/targets/<int:target_pk>/communes/choose/",
        views.communes_choose,
        name="communes-choose",
    ),
    path(
        "<int:pk>/targets/<int:target_pk>/communes/draw/", views.communes_draw, name="communes-draw"
    ),
    path("<int:pk>/targets/reinspection/", views.reinspection_add, name="reinspection-add"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/results/", views.results_report, name="results-report"),
    step("<int:pk>/results/submit/", "submit", "results", "results-submit"),
    step("<int:pk>/results/approve/", "approve", "results", "results-approve"),
    step("<int:pk>/results/return/", "return", "results", "results-return"),
    step("<int:pk>/results/issue/", "issue", "results", "results-issue"),
    path("visits/", views.my_visits, name="my-visits"),
    path("visits/feed/", views.calendar_feed, name="calendar-feed"),
    path("conclusions/", views.conclusion_list, name="conclusion-list"),
    path("<int:pk>/conclusions/new/", views.conclusion_create, name="conclusion-create"),
    path("conclusions/<int:notice_pk>/", views.conclusion_detail, name="conclusion-detail"),
    step("conclusions/<int:notice_pk>/submit/", "submit", "conclusion", "conclusion-submit"),
    step("conclusions/<int:notice_pk>/approve/", "approve", "conclusion", "conclusion-approve"),
    step("conclusions/<int:notice_pk>/return/", "return", "conclusion", "conclusion-return"),
    step("conclusions/<int:notice_pk>/issue/", "issue", "conclusion", "conclusion-issue"),
    path("conclusions/<int:notice_pk>/amend/", views.conclusion_amend, name="conclusion-amend"),
    path("visits/<int:visit_pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:visit_pk>/minutes/", views.minutes_save, name="minutes-save"),
    step("visits/<int:visit_pk>/minutes/issue/", "issue", "minutes", "minutes-issue"),
    path("visits/<int:visit_pk>/findings/", views.finding_add, name="finding-add"),
    path(
        "visits/<int:visit_pk>/findings/<int:finding_pk>/edit/",
        views.finding_edit,
        name="finding-edit",
    ),
    path(
        "visits/<int:visit_pk>/findings/<int:finding_pk>/delete/",
        views.finding_delete,
        name="finding-delete",
    ),
    path(
        "visits/<int:visit_pk>/recommendations/<int:pk>/edit/",
        views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "visits/<int:visit_pk>/recommendations/<int:pk>/delete/",
        views.recommendation_delete,
        name="recommendation-delete",
    ),
    path(
        "visits/<int:visit_pk>/recommendations/",
        views.recommendation_add,
        name="recommendation-add",
    ),
    path(
        "visits/<int:visit_pk>/findings/<int:finding_pk>/evidence/",
        views.finding_evidence_add,
        name="finding-evidence-add",
    ),
    path(
        "visits/<int:visit_pk>/evidence/<int:file_pk>/",
        views.finding_evidence_file,
        name="finding-evidence-file",
    ),
    path("findings/", views.finding_list, name="finding-list"),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("recommendations/<int:pk>/report/", views.remediation_create, name="remediation-create"),
    path("recommendations/<int:pk>/verify/", views.remediation_verify, name="remediation-verify"),
    path(
        "recommendations/<int:pk>/files/<int:file_pk>/",
        views.remediation_file,
        name="remediation-file",
    ),
]

# Self-inspection requests, mounted at /requests/ (the unit's side).
request_patterns = (
    [
        path("", views.request_list, name="request-list"),
        path("<int:pk>/", views.request_detail, name="request-detail"),
        path("<int:pk>/submit/", views.submission_create, name="submission-create"),
        path("<int:pk>/messages/", views.message_post, name="message-post"),
        path("<int:pk>/files/<int:submission_pk>/", views.submission_file, name="submission-file"),
        path(
            "<int:pk>/files/<int:submission_pk>/attachments/<int:attachment_pk>/",
            views.attachment_file,
            name="attachment-file",
        ),
        path(
            "<int:pk>/files/<int:submission_pk>/accept/",
            views.submission_accept,
            name="submission-accept",
        ),
        path(
            "<int:pk>/files/<int:submission_pk>/return/",
            views.submission_return,
            name="submission-return",
        ),
    ],
    "requests",
)
