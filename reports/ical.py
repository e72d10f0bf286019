"""Visits as an iCalendar (RFC 5545) feed, for the calendar applications staff already use."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def visits_ics(visits: Iterable, *, name: str, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kiem tra CCHC//vi")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    now = datetime.datetime.now(datetime.UTC)
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", datetime.datetime.combine(visit.date, visit.start_time, VIETNAM))
        event.add("dtend", datetime.datetime.combine(visit.date, visit.end_time, VIETNAM))
        event.add("summary", f"Kiểm tra CCHC: {visit.agency.name}")
        event.add("location", visit.place)
        event.add(
            "description",
            f"{visit.team.name} — Kế hoạch {visit.plan.number_display}\n"
            f"Thành phần: {visit.attendees}\nChuẩn bị: {visit.prepare}",
        )
        calendar.add_component(event)
    return calendar.to_ical()
