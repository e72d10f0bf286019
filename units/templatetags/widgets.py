from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from units.widgets import FileInput, MultipleFileInput

register = template.Library()


@register.simple_tag
def file_input(name: str, *id_parts: object, multiple: bool = False, **attrs: str) -> SafeString:
    """A file box written in a template outside any form (the evidence upload of each finding),
    drawn by the same widget as every form's. Its id is `id_parts` joined:
    `{% file_input "files" "evidence-" finding.pk multiple=True %}`."""
    widget = MultipleFileInput() if multiple else FileInput()
    return widget.render(name, None, attrs={"id": "".join(map(str, id_parts)), **attrs})
