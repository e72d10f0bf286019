"""The background jobs' queue in the admin (django-tasks-db), in Vietnamese: its own admin names
two columns and two fields in English code (`id`, `task_name`, `traceback`, `run after`) that no
catalogue can translate; the rest of its names are translated in `locale/vi`."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

# What each task does, as the queue lists it (the tasks of `reports/jobs.py`).
TASK_NAMES = {
    "reports.jobs.run_job": _("Tạo tệp chạy nền (báo cáo kết quả, tệp ZIP của đợt kiểm tra)"),
}


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "code", "task", "status", "enqueued_at", "started_at", "finished_at", "priority",
        "queue_name",
    )  # fmt: skip

    @admin.display(description=_("Mã"), ordering="id")
    def code(self, obj: DBTaskResult) -> str:
        return str(obj.id)

    @admin.display(description=_("Công việc"))
    def task(self, obj: DBTaskResult) -> str:
        return str(TASK_NAMES.get(obj.task_path, obj.task_path))

    @admin.display(description=_("Lỗi chi tiết"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("Chạy sau thời điểm"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return ["code" if name == "id" else name for name in fields]


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
