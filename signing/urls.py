from django.urls import path

from signing import views

app_name = "signing"

urlpatterns = [
    path("<int:pk>/de-ky.pdf", views.field_offer, name="field-offer"),
    path("<int:pk>/ban-goc.pdf", views.original, name="original"),
    path("<int:pk>/nguoi-ky/", views.person_upload, name="person-upload"),
    path("<int:pk>/co-quan-ky/", views.body_sign, name="body-sign"),
    path("<int:pk>/kem-theo.pdf", views.attachment, name="attachment"),
    path("<int:pk>/kem-theo/co-quan-ky/", views.attachment_sign, name="attachment-sign"),
]
