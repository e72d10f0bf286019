from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("plans/<int:pk>/document.pdf", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/document.docx", views.plan_docx, name="plan-docx"),
]
