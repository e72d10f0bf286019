from django.urls import path

from inspections import views

app_name = "inspections"

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
    path("<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/return/", views.plan_return, name="plan-return"),
    path("<int:pk>/issue/", views.plan_issue, name="plan-issue"),
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
    path("amendments/<int:amendment_pk>/submit/", views.amendment_submit, name="amendment-submit"),
    path(
        "amendments/<int:amendment_pk>/approve/", views.amendment_approve, name="amendment-approve"
    ),
    path("amendments/<int:amendment_pk>/return/", views.amendment_return, name="amendment-return"),
    path("amendments/<int:amendment_pk>/issue/", views.amendment_issue, name="amendment-issue"),
    path("<int:pk>/outline/", views.outline_edit, name="outline-edit"),
    path("<int:pk>/outline/send/", views.outline_send, name="outline-send"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/teams/", views.teams, name="teams"),
    path("<int:pk>/teams/<int:team_pk>/", views.team_detail, name="team-detail"),
    path("<int:pk>/teams/<int:team_pk>/edit/", views.team_edit, name="team-edit"),
    path("<int:pk>/teams/<int:team_pk>/members/", views.team_member_add, name="team-member-add"),
    path("<int:pk>/teams/<int:team_pk>/targets/", views.team_targets_assign, name="team-targets"),
    path("<int:pk>/teams/<int:team_pk>/issue/", views.team_decision_issue, name="team-issue"),
    path(
        "<int:pk>/teams/<int:team_pk>/schedule/issue/",
        views.schedule_notice_issue,
        name="schedule-issue",
    ),
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
    path("<int:pk>/results/submit/", views.results_report_submit, name="results-submit"),
    path("<int:pk>/results/approve/", views.results_report_approve, name="results-approve"),
    path("<int:pk>/results/return/", views.results_report_return, name="results-return"),
    path("<int:pk>/results/issue/", views.results_report_issue, name="results-issue"),
    path("visits/", views.my_visits, name="my-visits"),
    path("visits/feed/", views.calendar_feed, name="calendar-feed"),
    path("conclusions/", views.conclusion_list, name="conclusion-list"),
    path("<int:pk>/conclusions/new/", views.conclusion_create, name="conclusion-create"),
    path("conclusions/<int:notice_pk>/", views.conclusion_detail, name="conclusion-detail"),
    path("conclusions/<int:notice_pk>/submit/", views.conclusion_submit, name="conclusion-submit"),
    path(
        "conclusions/<int:notice_pk>/approve/", views.conclusion_approve, name="conclusion-approve"
    ),
    path("conclusions/<int:notice_pk>/return/", views.conclusion_return, name="conclusion-return"),
    path("conclusions/<int:notice_pk>/issue/", views.conclusion_issue, name="conclusion-issue"),
    path("conclusions/<int:notice_pk>/amend/", views.conclusion_amend, name="conclusion-amend"),
    path("visits/<int:visit_pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:visit_pk>/minutes/", views.minutes_save, name="minutes-save"),
    path("visits/<int:visit_pk>/minutes/issue/", views.minutes_issue, name="minutes-issue"),
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
