from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes under a Vietnamese name in the admin (its own has none: "Axes"); its strings
    are translated in `locale/vi`."""

    verbose_name = _("Đăng nhập sai")


class TasksConfig(TasksAppConfig):
    """django-tasks-db (the background jobs' queue) under a Vietnamese name in the admin (its
    own: "Tasks Database Backend"); its fields are translated in `locale/vi`, its admin's
    columns in `reports/admin.py`."""

    verbose_name = _("Công việc chạy nền")

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        # The admin titles a record with `str()`: the library's is "DBTaskResult object (…)".
        DBTaskResult.__str__ = _task_result_name


def _task_result_name(result) -> str:
    return str(_("Công việc chạy nền %(id)s")) % {"id": result.id}
