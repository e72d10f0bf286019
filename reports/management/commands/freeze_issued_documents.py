"""Render and keep the files of every issued document that has none yet (issued before every
document was kept, or loaded in bulk). Safe to run twice: a document already kept is never
rendered again. Without it, such a document is kept at its first download."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.issued import KINDS, issued_without_files, rendition_store


class Command(BaseCommand):
    help = (
        "Kết xuất một lần (PDF, Word, kèm SHA-256) mọi văn bản đã ban hành chưa được lưu bản; "
        "chạy lại không kết xuất lại văn bản đã lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ đếm văn bản chưa lưu bản, không kết xuất"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        total = 0
        for model in KINDS:
            pending = issued_without_files(model)
            count = pending.count()
            if not dry_run:
                for document in pending.iterator(chunk_size=100):
                    rendition_store(document)
            total += count
            self.stdout.write(f"{model._meta.verbose_name}: {count}")
        verb = "chưa lưu bản" if dry_run else "đã lưu bản"
        self.stdout.write(self.style.SUCCESS(f"{total} văn bản {verb}."))
