"""The hand-made fixtures (Kiên Giang, An Giang, Cà Mau) against `vietnam-provinces`: every code,
name, type, parent and predecessor agrees, or the difference is listed here and justified in
fixtures/README.md."""

from __future__ import annotations

import csv
import datetime
from functools import cache

from django.conf import settings

from units.national import AFTER, BEFORE, REFORM_DAY, registry_from_library

UNITS = sorted((settings.BASE_DIR / "fixtures" / "units").glob("*.csv"))

# (code, name) of fixture rows the library does not describe, with the reason (fixtures/README.md).
JUSTIFIED = {
    ("30730", "Phường Vĩnh Thanh Vân"): "merged into 30742 on 01/11/2024, before the legacy list",
    ("30742", "Phường Vĩnh Bảo"): "the name of 30742 until 31/10/2024, before the legacy list",
}


@cache
def _library():
    return registry_from_library()


def _rows():
    for path in UNITS:
        with path.open(encoding="utf-8") as fh:
            yield from csv.DictReader(fh)


def _era(row) -> str:
    start = row["valid_from"]
    if start and datetime.datetime.strptime(start, "%d/%m/%Y").date() >= REFORM_DAY:
        return AFTER
    return BEFORE


def test_every_fixture_unit_agrees_with_the_library():
    differences = []
    for row in _rows():
        spec = _library().units.get((_era(row), row["code"]))
        if (row["code"], row["name"]) in JUSTIFIED:
            continue
        if spec is None:
            differences.append(f"{row['code']} {row['name']}: not in the library")
            continue
        ours = (row["name"], row["short_name"], row["level"], row["kind"], row["parent_code"])
        theirs = (spec.name, spec.short_name, spec.level, spec.kind, spec.parent_code)
        if ours != theirs:
            differences.append(f"{row['code']}: {ours} != {theirs}")
    assert differences == []


def test_the_fixtures_hold_every_unit_of_kien_giang_and_new_an_giang():
    codes = {(_era(row), row["code"]) for row in _rows()}
    library = _library().units.values()
    kien_giang = {(u.era, u.code) for u in library if u.era == BEFORE and _in(u, "91")}
    an_giang = {(u.era, u.code) for u in library if u.era == AFTER and _in(u, "91")}
    assert len(kien_giang) == 1 + 15 + 143 and len(an_giang) == 1 + 102
    assert kien_giang <= codes and an_giang <= codes


def _in(spec, province: str) -> bool:
    units = _library().units
    while spec.parent_code:
        spec = units[(spec.era, spec.parent_code)]
    return spec.code == province


def test_predecessors_of_new_an_giang_agree_with_the_conversion_table():
    """The fixtures name predecessors from Kiên Giang only (the former An Giang's communes are in
    their notes); within Kiên Giang they are exactly the library's table, districts included."""
    predecessors: dict[str, set[str]] = {}
    for old, news in _library().successors.items():
        if (BEFORE, old) in _library().units and _in(_library().units[(BEFORE, old)], "91"):
            for new in news:
                predecessors.setdefault(new, set()).add(old)
    differences = []
    for row in _rows():
        if _era(row) != AFTER or row["level"] != "commune" or row["parent_code"] != "91":
            continue
        ours = set(filter(None, row["predecessor_codes"].split(";")))
        if ours != predecessors.get(row["code"], set()):
            differences.append((row["code"], ours, predecessors.get(row["code"])))
    assert differences == []


def test_province_predecessors_agree():
    successors = _library().successors
    assert successors["91"] == successors["89"] == {"91"}
    assert successors["96"] == successors["95"] == {"96"}
