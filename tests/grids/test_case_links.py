"""The case page links back to the grid event an escalated case came from."""

from grids.models import EventCategory
from grids.services import events as ev
from tests.factories import category
from tests.grids.helpers import reported


def test_the_case_page_links_to_its_grid_event(gw, world, client):
    event = reported(gw, category=EventCategory.DISPUTE, dispute_category=category("neighbour"))
    ev.grid_event_review(actor=gw.leader_a, event=event, valid=True)
    case = ev.grid_event_escalate(actor=gw.worker_a, event=event, reason="调解不成")
    client.force_login(world.window)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "相关办理" in page
    assert f'href="/grids/events/{event.pk}/"' in page
