"""Templates a person can read (issue #17): no line of any project template is longer than
200 characters — one element or tag per line where it matters, long messages wrapped with
`{% blocktranslate trimmed %}`. The project's own template folders are checked: `templates/` and
the `templates/` folder of each of our apps (third-party packages are not ours to reflow).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

MAX_LINE = 200
ROOT = Path(settings.BASE_DIR).resolve()


def template_dirs() -> list[Path]:
    dirs = [Path(d).resolve() for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "templates"
        if folder.is_relative_to(ROOT) and ".venv" not in folder.parts and folder.is_dir():
            dirs.append(folder)
    return sorted(set(dirs))


def long_lines(folders: list[Path], limit: int = MAX_LINE) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix not in {".html", ".txt", ".xml", ".svg", ".js", ".css"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if len(line) > limit:
                    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    found.append(f"{name}:{number} ({len(line)} ký tự)")
    return found


def test_the_project_templates_are_found():
    folders = template_dirs()
    assert ROOT / "templates" in folders
    assert any((folder / "base.html").is_file() for folder in folders)


def test_no_template_line_is_longer_than_200_characters():
    too_long = long_lines(template_dirs())
    assert not too_long, "Dòng mẫu (template) dài hơn 200 ký tự:\n" + "\n".join(too_long)


def test_a_long_line_is_named_by_file_and_line(tmp_path):
    (tmp_path / "page.html").write_text("<p>ngắn</p>\n<p>" + "x" * 200 + "</p>\n", encoding="utf-8")
    assert long_lines([tmp_path]) == [f"{tmp_path / 'page.html'}:2 (207 ký tự)"]
