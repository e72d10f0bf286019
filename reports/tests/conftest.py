"""The inspection tests' round (a visited, concluded plan with its outline sent), for the tests of
the documents and jobs made from it."""

from inspections.tests.conftest import outline, sent, team, visit  # noqa: F401
from inspections.tests.test_results_report import round_  # noqa: F401
