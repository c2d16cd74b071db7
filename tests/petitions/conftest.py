"""Petition builders on top of the core personas (tests/conftest.py): petitions are entered through
the services, as the API and the pages do, at chosen moments so that deadlines are exact."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from governance.models import Role
from petitions import services
from petitions.choices import PetitionStatus
from petitions.models import Petition
from tests.factories import make_user, valid_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZHAO_ID = valid_id_number(birth="19700315", seq="451")
QIAN_ID = valid_id_number(birth="19820721", seq="332")


def local(*args) -> datetime:
    """A moment in Asia/Shanghai: local(2025, 9, 20, 10) = 2025-09-20 10:00 +08:00."""
    return datetime(*args, tzinfo=SHANGHAI)


def petition_body(**overrides) -> dict:
    body = {
        "form": "visit",
        "type": "appeal_request",
        "headcount": 1,
        "petitioners": [{"name": "赵大勇", "id_number": ZHAO_ID, "phone": "13912345678"}],
        "summary": "反映村集体土地补偿款分配不公，要求重新核算",
        "category": "land_requisition",
    }
    body.update(overrides)
    return body


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """The public look-up is rate-limited through the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town_leader(world):
    """A leader of the township (may approve extensions there, not at the county)."""
    return make_user("town_leader", Role.LEADER, center=world.township)


@pytest.fixture
def petition_of(world):
    """petition_of(**fields) → a petition registered by `window` at the county (service call)."""

    def make(**overrides) -> Petition:
        values = {
            "actor": world.window,
            "center": world.county,
            "form": "visit",
            "type": "appeal_request",
            "petitioners": [services.PetitionerInput(name="赵大勇", id_number=ZHAO_ID, phone="+8613912345678")],
            "summary": "反映村集体土地补偿款分配不公，要求重新核算",
        }
        values.update(overrides)
        return services.petition_register(**values)

    return make


@pytest.fixture
def at_status(world, petition_of):
    """at_status(status) → a petition (handled outside the center, so no dispatch) moved to `status`
    through the services: registered ten days ago, one step a day."""

    def make(status: str, **register) -> Petition:
        start = timezone.now() - timedelta(days=10)

        def day(n: int):
            return start + timedelta(days=n)

        petition = petition_of(registered_at=start, **register)
        if status == PetitionStatus.REGISTERED:
            return petition
        if status == PetitionStatus.REFUSED:
            return services.petition_refuse(
                actor=world.window,
                petition=petition,
                reason="litigation",
                notice="该事项已由人民法院立案受理，请通过诉讼程序解决。",
                at=day(1),
            )
        services.petition_forward(actor=world.window, petition=petition, organ="市自然资源局", at=day(1))
        chain = [
            (PetitionStatus.HANDLING, None),
            (
                PetitionStatus.REPLIED,
                lambda p: services.petition_reply(
                    actor=world.window, petition=p, outcome="explain", text="经核查，答复如下……", at=day(2)
                ),
            ),
            (
                PetitionStatus.REVIEW_REQUESTED,
                lambda p: services.petition_request_review(
                    actor=world.window, petition=p, request="对答复不服", at=day(3)
                ),
            ),
            (
                PetitionStatus.REVIEWED,
                lambda p: services.petition_answer_review(
                    actor=world.window, petition=p, outcome="not_support", text="维持原处理意见", at=day(4)
                ),
            ),
            (
                PetitionStatus.RE_REVIEW_REQUESTED,
                lambda p: services.petition_request_re_review(
                    actor=world.window, petition=p, request="对复查意见不服", at=day(5)
                ),
            ),
            (
                PetitionStatus.CLOSED,
                lambda p: services.petition_answer_re_review(
                    actor=world.window, petition=p, outcome="not_support", text="维持复查意见", at=day(6)
                ),
            ),
        ]
        for reached, step in chain:
            if step is not None:
                petition = step(petition)
            if reached == status:
                return Petition.objects.get(pk=petition.pk)
        raise AssertionError(status)

    return make
