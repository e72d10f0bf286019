"""Teams, communes of inspected districts and the schedule, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections import services
from inspections.models import TeamRole, Visit
from inspections.tests.factories import DAY, seed, target, user
from units.services import agency_by_ref

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = services.team_create(plan=seed(), name="Đoàn kiểm tra số 1", by=user("noivu"))
    services.team_member_add(
        team=team, user=user("truongdoan"), full_name="Lê Văn Hùng", title="Phó Giám đốc",
        agency=agency_by_ref("91/SNV", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_member_add(
        team=team, user=user("doanvien"), full_name="Phạm Minh Tâm", title="Chuyên viên",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.MEMBER,
    )  # fmt: skip
    services.team_targets_assign(team=team, targets=[target("908/UBND"), target("91/STP")])
    return team


def test_a_team_has_one_lead(team):
    with pytest.raises(ValidationError, match="một Trưởng đoàn"):
        services.team_member_add(
            team=team, full_name="Người thứ hai", agency=agency_by_ref("91/SNV", DAY),
            role=TeamRole.LEAD,
        )  # fmt: skip


def test_a_target_belongs_to_one_team(team):
    other = services.team_create(plan=seed(), name="Đoàn số 2", by=user("noivu"))
    with pytest.raises(ValidationError, match="đã thuộc Đoàn kiểm tra số 1"):
        services.team_targets_assign(team=other, targets=[target("908/UBND")])


def test_decision_is_numbered_in_the_issuers_register_and_locks_the_team(team):
    team.signer_name = "Nguyễn Thanh Nhân"
    team.save()
    services.team_decision_issue(team=team, day=datetime.date(2023, 8, 10))
    assert (team.decision_number, team.decision_symbol) == (1, "QĐ-UBND")
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.team_targets_assign(team=team, targets=[target("91/SVHTT")])


def test_decision_needs_a_lead_and_a_signer():
    team = services.team_create(plan=seed(), name="Đoàn số 3", by=user("noivu"))
    with pytest.raises(ValidationError, match="Trưởng đoàn"):
        services.team_decision_issue(team=team)


def test_commune_candidates_are_the_districts_communes_in_2023():
    names = [a.name for a, _year in services.commune_candidates(target("908/UBND"))]
    assert len(names) == 9
    assert "Ủy ban nhân dân thị trấn Thứ Ba" in names


def test_choose_at_most_n_communes():
    district = target("908/UBND")
    candidates = [a for a, _y in services.commune_candidates(district)]
    services.communes_choose(target=district, agencies=candidates[:2], by=user("noivu"))
    with pytest.raises(ValidationError, match="quy định 2 xã mỗi huyện"):
        services.communes_choose(target=district, agencies=candidates[2:3], by=user("noivu"))
    with pytest.raises(ValidationError, match="cấp huyện"):
        services.commune_candidates(target("91/STP"))


def test_random_draw_is_reproducible_from_its_seed():
    first = [
        c.agency_id
        for c in services.communes_draw(target=target("908/UBND"), by=user("noivu"), seed=42)
    ]
    seed_recorded = target("908/UBND").communes.first().seed
    assert seed_recorded == 42
    target("908/UBND").communes.all().delete()
    again = [
        c.agency_id
        for c in services.communes_draw(target=target("908/UBND"), by=user("noivu"), seed=42)
    ]
    assert first == again and len(first) == 2


def _visit(team, ref, day, start, end, agency=None):
    t = target(ref)
    return services.visit_schedule(
        team=team, target=t, agency=agency or t.agency, date=day,
        start_time=datetime.time(*start), end_time=datetime.time(*end), place="Hội trường",
    )  # fmt: skip


def test_double_booking_warnings(team):
    first = _visit(team, "908/UBND", datetime.date(2023, 9, 5), (8, 0), (11, 0))
    second = _visit(team, "91/STP", datetime.date(2023, 9, 5), (10, 0), (12, 0))
    assert any("Đoàn đã có lịch" in w for w in services.visit_warnings(second))
    other = services.team_create(plan=seed(), name="Đoàn số 2", by=user("noivu"))
    services.team_member_add(
        team=other, user=user("doanvien"), full_name="Phạm Minh Tâm",
        agency=agency_by_ref("91/STC", DAY), role=TeamRole.LEAD,
    )  # fmt: skip
    services.team_targets_assign(team=other, targets=[target("91/SVHTT")])
    clash = _visit(other, "91/SVHTT", datetime.date(2023, 9, 5), (9, 0), (10, 0))
    assert any("Thành viên của đoàn cũng có lịch" in w for w in services.visit_warnings(clash))
    later = _visit(team, "908/UBND", datetime.date(2023, 9, 6), (8, 0), (11, 0))
    assert services.visit_warnings(later) == []
    assert services.visit_warnings(first)  # the clash shows from both sides


def test_visit_outside_the_plan_period_is_a_warning(team):
    plan = team.plan
    plan.period_start, plan.period_end = datetime.date(2023, 7, 1), datetime.date(2023, 9, 30)
    plan.save()
    visit = _visit(team, "91/STP", datetime.date(2023, 10, 2), (8, 0), (11, 0))
    assert any("ngoài thời gian kiểm tra" in w for w in services.visit_warnings(visit))


def test_visits_only_for_the_teams_targets_and_chosen_communes(team):
    with pytest.raises(ValidationError, match="không được giao cho đoàn"):
        _visit(team, "91/SVHTT", datetime.date(2023, 9, 5), (8, 0), (9, 0))
    thu_ba = agency_by_ref("30985/UBND", DAY)
    with pytest.raises(ValidationError, match="xã đã chọn"):
        _visit(team, "908/UBND", datetime.date(2023, 9, 5), (8, 0), (9, 0), agency=thu_ba)
    services.communes_choose(target=target("908/UBND"), agencies=[thu_ba], by=user("noivu"))
    visit = _visit(team, "908/UBND", datetime.date(2023, 9, 5), (8, 0), (9, 0), agency=thu_ba)
    assert visit.agency == thu_ba
    with pytest.raises(ValidationError, match="Giờ kết thúc"):
        _visit(team, "91/STP", datetime.date(2023, 9, 5), (10, 0), (9, 0))


def test_who_sees_which_visits(team):
    announced = _visit(team, "908/UBND", datetime.date(2099, 9, 5), (8, 0), (11, 0))
    surprise = _visit(team, "91/STP", datetime.date(2099, 9, 6), (8, 0), (11, 0))
    surprise.announced = False
    surprise.save()

    def seen(name):
        return set(Visit.objects.visible_to(user(name)))

    assert seen("noivu") == seen("lanhdao") == {announced, surprise}
    assert seen("doanvien") == {announced, surprise}
    assert seen("anbien") == {announced}
    assert seen("tuphap") == set()  # unannounced: hidden until the visit day
    assert seen("thuba") == set() and seen("camau") == set()
    Visit.objects.filter(pk=surprise.pk).update(date=datetime.date(2023, 9, 6))
    assert {v.pk for v in seen("tuphap")} == {surprise.pk}
