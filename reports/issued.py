"""Issued documents kept as files: the results report is rendered once when it is issued and
served from storage afterwards. Its appendices make it the slowest document (seconds for a
40-target round), and an issued report is an official record that must not change when the
round's data change later (a recommendation remedied after the report still reads as it was)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from inspections.models import ResultsReport
from inspections.services import round_results
from reports.rendering import render_docx, render_pdf
from reports.results_document import results_document


def store_results_files(sender, document: ResultsReport, **kwargs) -> None:
    """Render the issued report as PDF and Word and keep both with it."""
    built = results_document(document, round_results(document.plan))
    name = built.title
    document.pdf.save(f"{name}.pdf", ContentFile(render_pdf(built)), save=False)
    document.docx.save(f"{name}.docx", ContentFile(render_docx(built)), save=False)
    # Not an edit anyone made: no new version, no history entry.
    ResultsReport.objects.filter(pk=document.pk).update(
        pdf=document.pdf.name, docx=document.docx.name
    )
