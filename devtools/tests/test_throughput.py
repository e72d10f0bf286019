"""The throughput section of `make bench` (devtools/throughput.py), briefly: gunicorn with two
workers on the test database, /healthz and a signed-in page under a closed-loop client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import load_reference_and_demo_data
from devtools import bench, throughput
from inspections.tests.factories import user


@pytest.mark.django_db(transaction=True)  # the server reads the session this test commits
def test_requests_per_second_against_the_floor():
    load_reference_and_demo_data()  # a transactional test before this one emptied the tables
    targets = [throughput.Target("plan-list", reverse("inspections:plan-list"), user("noivu"))]
    result = throughput.measure(targets, seconds=1, clients=2)
    assert list(result["pages"]) == ["healthz", "plan-list"]
    for figures in result["pages"].values():
        assert figures["requests"] > 0 and figures["failed"] == 0 and figures["rps"] > 0
    assert result["pages"]["healthz"]["ratio_to_floor"] == 1
    assert result["pages"]["plan-list"]["ratio_to_floor"] > 0
    assert "http.client" in result["client"] and "2 sync workers" in result["server"]
    assert len(result["load_average_before"]) == 3
    assert "| plan-list |" in throughput.table(result)
    (goal,) = bench.throughput_goals(result)
    assert goal["goal"].startswith("plan-list: throughput ≥ 1/10")
