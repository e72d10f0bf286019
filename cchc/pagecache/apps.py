from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """Rendered pages kept while the data they show is unchanged (cchc/pagecache/README.md)."""

    name = "cchc.pagecache"
    label = "pagecache"
    verbose_name = _("Lưu tạm trang")

    def ready(self) -> None:
        from cchc.pagecache import version

        version.watch_writes()
