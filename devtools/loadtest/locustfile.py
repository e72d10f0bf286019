"""The virtual users of the load run (`make load`, driven by `devtools/loadtest/run.py`).

Runs in the load tool's own environment (`devtools/loadtest/.venv`, locust only: no Django).
Everything it needs comes from the plan file that `run.py` writes (`LOAD_PLAN`): the accounts, each
with a session already signed in (created in the database by `run.py`) and its weighted mix of
pages. Each virtual user takes the next account, waits a moment like a person reading, and requests
a page drawn from its mix. It records every response (page, status, time) and writes them to
`LOAD_RESULT` when locust quits; `run.py` turns them into the report.

Every GET must answer 200 (a redirect would be the sign-in page: the session was lost); the one
POST (a unit's message on its request, form token taken from the page as a browser does) must
answer 302 back to the request. Anything else is a failure. The run stops at its time limit, or
at `LOAD_MAX_REQUESTS` requests, whichever comes first.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNTS = itertools.cycle(PLAN["accounts"])

# What every response was: page -> times (ms), status counts, failure messages.
times: dict[str, list[float]] = defaultdict(list)
statuses: Counter = Counter()
page_statuses: dict[str, Counter] = defaultdict(Counter)
failures: Counter = Counter()
page_failures: Counter = Counter()
clock = {"first": None, "last": None}
running = {}


@events.init.add_listener
def keep_environment(environment, **kwargs):
    running["environment"] = environment


@events.request.add_listener
def record(request_type, name, response_time, response, exception, **kwargs):
    now = time.time()
    clock["first"] = clock["first"] or now
    clock["last"] = now
    code = getattr(response, "status_code", 0)
    status = str(code) if code else "no response"
    times[name].append(response_time)
    statuses[status] += 1
    page_statuses[name][status] += 1
    if exception is not None:
        failures[f"{name}: {exception}"[:200]] += 1
        page_failures[name] += 1
    if sum(statuses.values()) == MAX_REQUESTS:
        gevent.spawn(running["environment"].runner.quit)


@events.quitting.add_listener
def write_result(environment, **kwargs):
    with open(os.environ["LOAD_RESULT"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "times_ms": times,
                "statuses": statuses,
                "page_statuses": page_statuses,
                "failures": failures,
                "page_failures": page_failures,
                "first_request": clock["first"],
                "last_request": clock["last"],
                "stopped_at_max_requests": sum(statuses.values()) >= MAX_REQUESTS,
            },
            out,
        )


class Account(HttpUser):
    """One signed-in person: staff member, leader, team member or unit reporter."""

    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self):
        self.account = next(ACCOUNTS)
        self.pages = self.account["pages"]
        self.weights = [page["weight"] for page in self.pages]
        # As a browser that was signed in before (the session is in the database).
        self.client.cookies.set(
            PLAN["session_cookie"], self.account["session"], domain=PLAN["host"], path="/"
        )

    def _send(self, method, url, name, expect, **kwargs):
        # Production cookies are Secure and this is plain HTTP on loopback: send them back all
        # the same (the session is renewed on every response, the form token comes as a cookie).
        for cookie in self.client.cookies:
            cookie.secure = False
        with self.client.request(
            method, url, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code != expect:
                where = response.headers.get("Location", "")
                response.failure(f"HTTP {response.status_code} {where}".strip())
            return response

    @task
    def browse(self):
        # A person's next page, not a secret.
        page = random.choices(self.pages, weights=self.weights)[0]  # nosec B311
        target = random.choice(page["urls"])  # nosec B311
        if page["method"] == "GET":
            self._send("GET", target, page["name"], 200)
            return
        # A POST that harms nothing: a unit's message on its own request, from the page's form
        # (the run removes its messages at the end).
        form = self._send("GET", target["form"], "request-detail", 200)
        found = TOKEN.search(form.text or "")
        if not found:
            return
        self._send(
            "POST",
            target["action"],
            page["name"],
            302,
            data={"csrfmiddlewaretoken": found.group(1), "body": PLAN["message"]},
            headers={"Referer": PLAN["base_url"] + target["form"], "Origin": PLAN["base_url"]},
        )
