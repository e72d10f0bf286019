"""The throughput section of `make bench` (devtools/throughput.py), briefly: gunicorn with two
workers on the test database, /healthz, a signed-in page and a PDF rendered at each request
under a closed-loop client, and every worker's resident memory sampled during the run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import load_reference_and_demo_data
from devtools import bench, throughput
from inspections.models import Plan, PlanStatus
from inspections.tests.factories import seed, user


@pytest.mark.django_db(transaction=True)  # the server reads the session this test commits
def test_requests_per_second_against_the_floor_and_worker_memory():
    load_reference_and_demo_data()  # a transactional test before this one emptied the tables
    # A draft plan's document is rendered by WeasyPrint at every request (nothing kept).
    Plan.objects.filter(pk=seed().pk).update(status=PlanStatus.DRAFT)
    staff = user("noivu")
    targets = [
        throughput.Target("plan-list", reverse("inspections:plan-list"), staff),
        throughput.Target("plan-pdf", reverse("reports:plan-pdf", args=[seed().pk]), staff),
    ]
    result = throughput.measure(targets, seconds=1, clients=2)
    assert list(result["pages"]) == ["healthz", "plan-list", "plan-pdf"]
    for figures in result["pages"].values():
        assert figures["requests"] > 0 and figures["failed"] == 0 and figures["rps"] > 0
    assert result["pages"]["healthz"]["ratio_to_floor"] == 1
    assert result["pages"]["plan-list"]["ratio_to_floor"] > 0
    assert "http.client" in result["client"] and "2 sync workers" in result["server"]
    assert result["page_cache"] is True  # production's: pages kept while nothing changes
    assert len(result["load_average_before"]) == 3
    # Both workers sampled all along; a worker that rendered a PDF holds WeasyPrint and its fonts.
    workers = result["workers"]
    assert len(workers) == 2
    assert all(w["samples"] > 10 and w["peak_rss_mib"] > 20 for w in workers.values())
    assert result["worker_peak_rss_mib"] == max(w["peak_rss_mib"] for w in workers.values())
    printed = throughput.table(result)
    assert "| plan-list |" in printed and "| plan-pdf |" in printed
    for pid, worker in workers.items():
        assert f"| {pid} | {worker['peak_rss_mib']:g} | {worker['samples']} |" in printed
    throughput_goal, memory_goal = bench.throughput_goals(result)  # no goal of rate for a PDF
    assert throughput_goal["goal"].startswith("plan-list: throughput ≥ 1/10")
    assert memory_goal["goal"].startswith("worker memory ≤ 250 MiB")
    assert memory_goal["measured"] == {pid: w["peak_rss_mib"] for pid, w in workers.items()}
    assert memory_goal["met"] == (result["worker_peak_rss_mib"] <= 250)
