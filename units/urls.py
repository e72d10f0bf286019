from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
]
