"""The procedure as a state machine: every step from every status through the API, allowed exactly
where ALLOWED_TRANSITIONS says so; a refused step changes nothing."""

import pytest
from django.forms.models import model_to_dict

from governance.exceptions import TransitionNotAllowed
from governance.models import Case, CaseEvent, Deadline
from petitions import services
from petitions.choices import PetitionStatus, Step
from petitions.models import ALLOWED_TRANSITIONS, Petition

VERBS = {
    Step.FORWARD: ("forward", lambda w: {"organ": "市住房和城乡建设局"}),
    Step.ASSIGN: ("assign", lambda w: {"organ": "某镇人民政府", "deadline_days": 20}),
    Step.REFUSE: ("refuse", lambda w: {"reason": "arbitration", "notice": "该争议已申请劳动仲裁，请依仲裁程序解决。"}),
    Step.EXTEND: ("extend", lambda w: {"days": 10, "reason": "需要现场勘验", "approver": w.leader.pk}),
    Step.REPLY: ("reply", lambda w: {"outcome": "support", "text": "经核查，诉求合理，予以支持。"}),
    Step.REQUEST_REVIEW: ("request-review", lambda w: {"request": "对处理意见不服"}),
    Step.ANSWER_REVIEW: ("answer-review", lambda w: {"outcome": "explain", "text": "复查后解释说明"}),
    Step.REQUEST_RE_REVIEW: ("request-re-review", lambda w: {"request": "对复查意见不服"}),
    Step.ANSWER_RE_REVIEW: ("answer-re-review", lambda w: {"outcome": "not_support", "text": "复核维持"}),
}
CASES = [(status, step) for status in PetitionStatus.values for step in VERBS]


def test_every_step_has_a_verb_except_the_sweeps_finalize():
    assert set(VERBS) | {Step.FINALIZE} == set(Step.values)
    assert {step for step, _ in ALLOWED_TRANSITIONS} == set(Step.values)


@pytest.mark.parametrize(("status", "step"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
def test_step_from_status(world, api, at_status, status, step):
    petition = at_status(status)
    before = model_to_dict(Petition.objects.get(pk=petition.pk))
    case_before = model_to_dict(Case.objects.get(pk=petition.case_id))
    events, timers = CaseEvent.objects.count(), list(Deadline.objects.values_list("id", "state", "due_at"))
    verb, body = VERBS[step]

    response = api(world.window).post(f"/api/petitions/{petition.pk}/{verb}/", body(world), format="json")

    expected = ALLOWED_TRANSITIONS.get((step, status))
    if expected is None:
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "transition_not_allowed"
        assert model_to_dict(Petition.objects.get(pk=petition.pk)) == before
        assert model_to_dict(Case.objects.get(pk=petition.case_id)) == case_before
        assert CaseEvent.objects.count() == events
        assert list(Deadline.objects.values_list("id", "state", "due_at")) == timers
    else:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == expected
        assert Petition.objects.get(pk=petition.pk).status == expected
        assert CaseEvent.objects.count() > events


def test_allowed_steps_table_is_the_whole_machine():
    """What the table allows, as a picture of the procedure (a change here is a change of law)."""
    allowed = {status: sorted(step for step, s in ALLOWED_TRANSITIONS if s == status) for status in PetitionStatus}
    assert allowed == {
        "registered": ["assign", "forward", "refuse"],
        "handling": ["extend", "reply"],
        "refused": [],
        "replied": ["finalize", "request_review"],
        "review_requested": ["answer_review"],
        "reviewed": ["finalize", "request_re_review"],
        "re_review_requested": ["answer_re_review"],
        "closed": [],
    }


def test_of_two_concurrent_decisions_one_wins(world, at_status):
    """The second decision, made on a stale copy, is refused (the row is moved conditionally)."""
    petition = at_status(PetitionStatus.REGISTERED)
    stale = Petition.objects.get(pk=petition.pk)
    services.petition_forward(actor=world.window, petition=petition, organ="市水务局")
    with pytest.raises(TransitionNotAllowed):
        services.petition_refuse(actor=world.window, petition=stale, reason="other", notice="……")
    assert Petition.objects.get(pk=petition.pk).decision == "forward"
