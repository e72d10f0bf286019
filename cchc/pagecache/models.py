from django.db import models


class DataVersion(models.Model):
    """One row: how many times data was committed. Bumped after every committed write (by any
    process, any server sharing the database); a kept page is keyed by it (cchc/pagecache)."""

    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "phiên bản dữ liệu"
        verbose_name_plural = "phiên bản dữ liệu"
        default_permissions = ()

    def __str__(self) -> str:
        return f"phiên bản dữ liệu {self.n}"
