from django.urls import path

from reports import dashboard_views, job_views, table_exports, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/ranking.<str:fmt>", table_exports.dashboard_export, name="dashboard-export"),
    path("plans/<int:pk>/document.pdf", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/document.docx", views.plan_docx, name="plan-docx"),
    path("plans/<int:pk>/outline/letter.<str:fmt>", views.outline_letter, name="outline-letter"),
    path(
        "plans/<int:pk>/teams/<int:team_pk>/decision.<str:fmt>",
        views.team_decision_file,
        name="team-decision",
    ),
    path(
        "plans/<int:pk>/teams/<int:team_pk>/schedule.<str:fmt>",
        views.schedule_notice_file,
        name="schedule-notice",
    ),
    path(
        "plans/conclusions/<int:notice_pk>/document.<str:fmt>",
        views.conclusion_file,
        name="conclusion-document",
    ),
    path(
        "plans/amendments/<int:amendment_pk>/document.<str:fmt>",
        views.amendment_file,
        name="amendment-document",
    ),
    path(
        "plans/visits/<int:visit_pk>/minutes.<str:fmt>",
        views.minutes_file,
        name="minutes-document",
    ),
    path("plans/<int:pk>/results.<str:fmt>", views.results_file, name="results-document"),
    path("plans/<int:pk>/documents.zip", job_views.round_zip, name="round-zip"),
    path("jobs/<int:job_pk>/", job_views.job_page, name="job"),
    path("jobs/<int:job_pk>/retry/", job_views.job_run_again, name="job-retry"),
    path("jobs/<int:job_pk>/download/", job_views.job_download, name="job-download"),
    path("calendar/<str:token>.ics", views.visits_calendar, name="visits-calendar"),
    path(
        "plans/<int:pk>/progress.<str:fmt>", table_exports.progress_export, name="progress-export"
    ),
    path("plans/<int:pk>/targets.<str:fmt>", table_exports.target_export, name="target-export"),
    # The list pages' downloads (`table_exports.LISTS`), with the page's filters.
    *(
        path(route, table_exports.list_export, {"list_name": list_name}, name=name)
        for route, list_name, name in [
            ("plans.<str:fmt>", "plans", "plan-list-export"),
            ("plans/requests.<str:fmt>", "requests", "request-export"),
            ("plans/visits.<str:fmt>", "visits", "visit-export"),
            ("plans/findings.<str:fmt>", "findings", "finding-export"),
            ("plans/recommendations.<str:fmt>", "recommendations", "recommendation-export"),
            ("plans/conclusions.<str:fmt>", "conclusions", "conclusion-export"),
        ]
    ),
    path("units.<str:fmt>", table_exports.unit_export, name="unit-export"),
    path("units/agencies.<str:fmt>", table_exports.agency_export, name="agency-export"),
]
