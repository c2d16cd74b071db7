"""The petition's timers on the core engine: the 15-day decision (with a holiday roll-over), the
60-day handling, the local fast tracks, the one extension of at most 30 days, the petitioner's
30-day windows for review and re-review, and the 30 days to answer each."""

from datetime import timedelta

import pytest

from governance.exceptions import InvalidInput, TransitionNotAllowed
from governance.models import CaseEvent, Deadline, DeadlineChange, Notification, PolicySetting
from governance.selectors.dashboard import open_overdue_count
from governance.services.deadlines import deadlines_sweep
from petitions import services
from petitions.choices import PetitionStatus
from petitions.models import Petition
from petitions.selectors import public_progress
from tests.petitions.conftest import local


def timer(petition, kind) -> Deadline:
    return Deadline.objects.get(kind=f"petition.{kind}", subject_id=petition.pk)


def test_decision_period_ending_in_the_national_day_holiday_rolls_to_the_next_working_day(petition_of):
    # registered Saturday 2025-09-20: the 15th day is 2025-10-05, inside the National Day holiday
    # (Oct 1–8); the period ends at 24:00 of Thursday 2025-10-09 [民法典 201–203]
    petition = petition_of(registered_at=local(2025, 9, 20, 10, 30))
    decision = timer(petition, "decision")
    assert decision.due_at == local(2025, 10, 10, 0, 0)
    assert (decision.unit, decision.amount, decision.state) == ("calendar_days", 15, "open")
    assert "15日内" in decision.basis


def test_decision_period_on_an_ordinary_day(petition_of):
    # registered Monday 2025-03-03: day 15 is Tuesday 2025-03-18, due at its 24:00
    petition = petition_of(registered_at=local(2025, 3, 3, 9))
    assert timer(petition, "decision").due_at == local(2025, 3, 19, 0, 0)


def test_a_decision_within_15_days_is_on_time_and_a_later_one_is_late(world, petition_of):
    on_time = petition_of(registered_at=local(2025, 3, 3, 9))
    services.petition_forward(actor=world.window, petition=on_time, organ="市水务局", at=local(2025, 3, 18, 23, 59))
    late = petition_of(registered_at=local(2025, 3, 3, 9))
    services.petition_forward(actor=world.window, petition=late, organ="市水务局", at=local(2025, 3, 19, 0, 1))

    assert timer(on_time, "decision").state == "met"
    assert timer(late, "decision").state == "breached"
    event = CaseEvent.objects.filter(case=late.case, kind="petition_forwarded").get()
    assert "已超过15日处理期限" in event.message


def test_handling_runs_60_days_from_acceptance(world, petition_of):
    petition = petition_of(registered_at=local(2025, 3, 3, 9))
    services.petition_forward(actor=world.window, petition=petition, organ="市水务局", at=local(2025, 3, 10, 15))
    handling = timer(petition, "handling")
    # 2025-03-10 + 60 days = 2025-05-09 (a Friday)
    assert (handling.unit, handling.amount) == ("calendar_days", 60)
    assert handling.due_at == local(2025, 5, 10, 0, 0)
    assert handling.started_at == local(2025, 3, 10, 15)


def test_fast_tracks_are_local_policy(world, petition_of):
    simple = petition_of(registered_at=local(2025, 3, 3, 9))
    services.petition_forward(
        actor=world.window, petition=simple, organ="市水务局", track="simple", at=local(2025, 3, 3, 11)
    )
    complex_ = petition_of(registered_at=local(2025, 3, 3, 9))
    services.petition_assign(
        actor=world.window, petition=complex_, organ="某镇政府", track="complex", at=local(2025, 3, 3, 11)
    )
    # Yumen's "double 123": simple matters in 3 days, complex ones in 3 weeks
    assert (timer(simple, "handling").amount, timer(simple, "handling").due_at) == (3, local(2025, 3, 7, 0, 0))
    assert (timer(complex_, "handling").amount, timer(complex_, "handling").due_at) == (21, local(2025, 3, 25, 0, 0))
    assert "快速办理" in timer(simple, "handling").basis

    # a township counts its fast tracks in working days
    PolicySetting.objects.create(
        center=world.township, key="petition.fast_track", value={"simple": 5, "complex": 15, "unit": "working_days"}
    )
    town = petition_of(center=world.township, actor=world.window_town, registered_at=local(2025, 9, 26, 9))
    services.petition_forward(
        actor=world.window_town, petition=town, organ="镇司法所", track="simple", at=local(2025, 9, 26, 11)
    )
    # working days after Friday 2025-09-26: Sun 28 (adjusted workday), Mon 29, Tue 30, then the
    # holiday until Oct 8, Thu Oct 9, Fri Oct 10 → the 5th working day is Oct 10
    assert (timer(town, "handling").unit, timer(town, "handling").due_at) == ("working_days", local(2025, 10, 11, 0, 0))


def test_a_center_without_fast_tracks_refuses_them(world, petition_of):
    PolicySetting.objects.create(center=world.county, key="petition.fast_track", value={})
    petition = petition_of()
    with pytest.raises(InvalidInput) as refused:
        services.petition_forward(actor=world.window, petition=petition, organ="市水务局", track="simple")
    assert refused.value.errors == {"track": ["本中心未启用快速办理，请选择一般程序"]}
    assert Petition.objects.get(pk=petition.pk).status == "registered"
    services.petition_forward(actor=world.window, petition=petition, organ="市水务局", track="standard")


def test_assignment_deadline_is_capped_by_the_track(world, api, petition_of):
    petition = petition_of(registered_at=local(2025, 3, 3, 9))
    too_long = api(world.window).post(
        f"/api/petitions/{petition.pk}/assign/",
        {"organ": "某镇政府", "track": "complex", "deadline_days": 30},
        format="json",
    )
    assert too_long.status_code == 400
    assert "1至21日" in too_long.json()["errors"]["deadline_days"][0]
    assert not Deadline.objects.filter(kind="petition.handling").exists()

    ok = api(world.window).post(
        f"/api/petitions/{petition.pk}/assign/", {"organ": "某镇政府", "deadline_days": 10}, format="json"
    )
    assert ok.status_code == 200
    assert (timer(petition, "handling").amount, ok.json()["assigned_days"]) == (10, 10)


# --- The one extension -------------------------------------------------------------------------


@pytest.fixture
def handling(world, petition_of):
    petition = petition_of(registered_at=local(2025, 6, 2, 9))
    services.petition_forward(actor=world.window, petition=petition, organ="市自然资源局", at=local(2025, 6, 3, 10))
    return petition  # handling due at 24:00 of 2025-08-02 → Saturday → rolls to Monday 08-04


def test_extension_within_the_cap_approved_by_a_leader(world, api, handling):
    before = timer(handling, "handling")
    assert before.due_at == local(2025, 8, 5, 0, 0)
    response = api(world.window).post(
        f"/api/petitions/{handling.pk}/extend/",
        {"days": 30, "reason": "涉及多个部门，需要联合调查", "approver": world.leader.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200, response.content
    after = timer(handling, "handling")
    # counted on from the old last day (Mon 08-04): + 30 days = Wed 09-03, due at its 24:00
    assert after.due_at == local(2025, 9, 4, 0, 0)
    assert after.extensions == 1
    change = DeadlineChange.objects.get(deadline=after)
    assert (change.action, change.approver_id, change.reason) == (
        "extend",
        world.leader.pk,
        "涉及多个部门，需要联合调查",
    )
    petition = Petition.objects.get(pk=handling.pk)
    assert (petition.extension_days, petition.extension_approver_id) == (30, world.leader.pk)
    # the petitioner is told why, on their progress page
    assert any("涉及多个部门，需要联合调查" in step["label"] for step in public_progress(petition)["steps"])


def test_extension_is_at_most_30_days(world, api, handling):
    response = api(world.window).post(
        f"/api/petitions/{handling.pk}/extend/",
        {"days": 31, "reason": "情况复杂", "approver": world.leader.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"days": ["延长期限不得超过30日"]}
    assert timer(handling, "handling").due_at == local(2025, 8, 5, 0, 0)
    assert Petition.objects.get(pk=handling.pk).extension_days is None


def test_extension_only_once(world, api, handling):
    first = api(world.window).post(
        f"/api/petitions/{handling.pk}/extend/",
        {"days": 5, "reason": "补充材料", "approver": world.leader.pk},
        format="json",
    )
    assert first.status_code == 200
    due = timer(handling, "handling").due_at
    second = api(world.window).post(
        f"/api/petitions/{handling.pk}/extend/",
        {"days": 5, "reason": "再次补充", "approver": world.leader.pk},
        format="json",
    )
    assert second.status_code == 409
    assert second.json()["detail"] == "办理期限只能延长一次"
    assert timer(handling, "handling").due_at == due
    assert DeadlineChange.objects.count() == 1


@pytest.mark.parametrize("approver", ["window", "admin", "town_leader"])
def test_extension_needs_a_leader_of_the_center_or_above(world, api, handling, town_leader, approver):
    user = town_leader if approver == "town_leader" else getattr(world, approver)
    response = api(world.window).post(
        f"/api/petitions/{handling.pk}/extend/", {"days": 5, "reason": "补充材料", "approver": user.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"approver"}
    assert timer(handling, "handling").extensions == 0


def test_a_leader_may_extend_and_approve_at_once(world, api, handling):
    response = api(world.leader).post(
        f"/api/petitions/{handling.pk}/extend/",
        {"days": 1, "reason": "补充材料", "approver": world.leader.pk},
        format="json",
    )
    assert response.status_code == 200


def test_an_overdue_handling_period_cannot_be_extended(world, handling):
    deadlines_sweep(now=local(2025, 8, 5, 0, 1))
    with pytest.raises(TransitionNotAllowed) as refused:
        services.petition_extend(
            actor=world.window,
            petition=handling,
            days=10,
            reason="补充",
            approver=world.leader,
            at=local(2025, 8, 6, 9),
        )
    assert refused.value.status_code == 409
    assert Petition.objects.get(pk=handling.pk).extension_days is None


# --- Reply, review and re-review ---------------------------------------------------------------


def test_reply_stops_handling_and_opens_the_30_day_review_window(world, handling):
    services.petition_reply(
        actor=world.window, petition=handling, outcome="support", text="予以支持", at=local(2025, 7, 1, 10)
    )
    assert timer(handling, "handling").state == "met"
    window = timer(handling, "review_window")
    assert window.due_at == local(2025, 8, 1, 0, 0)  # 2025-07-01 + 30 = Thu 07-31
    assert Petition.objects.get(pk=handling.pk).case.status == "closed"
    assert Petition.objects.get(pk=handling.pk).case.outcome == "resolved"


def test_a_review_requested_after_30_days_is_refused_even_before_the_sweep(world, handling):
    services.petition_reply(
        actor=world.window, petition=handling, outcome="explain", text="解释", at=local(2025, 7, 1, 10)
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        services.petition_request_review(
            actor=world.window, petition=handling, request="不服", at=local(2025, 8, 1, 0, 1)
        )
    assert refused.value.status_code == 409
    assert Petition.objects.get(pk=handling.pk).status == "replied"


def test_review_requested_in_time_is_answered_within_30_days(world, handling):
    services.petition_reply(
        actor=world.window, petition=handling, outcome="explain", text="解释", at=local(2025, 7, 1, 10)
    )
    services.petition_request_review(actor=world.window, petition=handling, request="不服", at=local(2025, 7, 31, 23))
    assert timer(handling, "review_window").state == "met"
    review = timer(handling, "review")
    assert review.due_at == local(2025, 9, 2, 0, 0)  # 07-31 + 30 = Sat 08-30 → Mon 09-01, ends at its 24:00
    services.petition_answer_review(
        actor=world.window, petition=handling, outcome="not_support", text="维持", at=local(2025, 9, 2, 10)
    )
    assert timer(handling, "review").state == "breached"
    assert timer(handling, "re_review_window").due_at == local(
        2025, 10, 10, 0, 0
    )  # 09-02 + 30 = 10-02 (holiday) → 10-09


def test_the_sweep_ends_the_procedure_when_the_window_closes_unused(world, handling):
    services.petition_reply(
        actor=world.window, petition=handling, outcome="explain", text="解释", at=local(2025, 7, 1, 10)
    )
    deadlines_sweep(now=local(2025, 7, 31, 12))
    assert Petition.objects.get(pk=handling.pk).status == "replied"

    deadlines_sweep(now=local(2025, 8, 1, 0, 1))

    petition = Petition.objects.get(pk=handling.pk)
    assert (petition.status, petition.finalized_at) == ("closed", local(2025, 8, 1, 0, 1))
    assert CaseEvent.objects.filter(case=petition.case, kind="petition_finalized").count() == 1
    window = timer(petition, "review_window")
    assert (window.state, window.completed_at) == ("breached", local(2025, 8, 1, 0, 1))
    # a lapsed window is not late work of the center
    assert open_overdue_count(world.county) == 0
    assert not Notification.objects.filter(kind="petition_overdue").exists()
    # and a second sweep changes nothing
    deadlines_sweep(now=local(2025, 8, 2, 0, 1))
    assert CaseEvent.objects.filter(case=petition.case, kind="petition_finalized").count() == 1


def test_the_re_review_window_also_closes(world, at_status):
    petition = at_status(PetitionStatus.REVIEWED)
    window = timer(petition, "re_review_window")
    deadlines_sweep(now=window.due_at + timedelta(minutes=1))
    assert Petition.objects.get(pk=petition.pk).status == "closed"


def test_the_re_review_closes_the_petition_for_the_same_facts(world, at_status):
    petition = at_status(PetitionStatus.CLOSED)
    assert petition.finalized_at is not None
    assert timer(petition, "re_review").state == "met"
    event = CaseEvent.objects.filter(case=petition.case, kind="petition_re_reviewed").get()
    assert "同一事实和理由不再受理" in event.message


# --- Warnings and escalations ------------------------------------------------------------------


def test_a_late_decision_is_warned_then_escalated_to_the_leaders(world, petition_of):
    petition = petition_of(registered_at=local(2025, 3, 3, 9))
    decision = timer(petition, "decision")

    deadlines_sweep(now=decision.warn_at + timedelta(minutes=1))
    warned = Notification.objects.filter(kind="petition_warned")
    assert [n.recipient for n in warned] == [world.window]
    assert "临期提醒" in warned.get().title

    deadlines_sweep(now=decision.due_at + timedelta(minutes=1))
    escalated = Notification.objects.filter(kind="petition_overdue")
    assert {n.recipient for n in escalated} == {world.window, world.leader}
    assert timer(petition, "decision").state == "breached"
    assert open_overdue_count(world.county, ["petition.decision"]) == 1

    # deciding late still completes the timer (no longer open overdue work)
    services.petition_forward(
        actor=world.window, petition=petition, organ="市水务局", at=decision.due_at + timedelta(days=2)
    )
    assert open_overdue_count(world.county, ["petition.decision"]) == 0
