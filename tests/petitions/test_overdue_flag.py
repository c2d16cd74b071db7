"""The petitions list's "overdue" flag and filter: a petition with an obligation past its legal
deadline (here the 15-day decision) is flagged; a new one is not."""

from datetime import timedelta

from django.utils import timezone


def test_the_petitions_list_flags_and_filters_overdue_petitions(world, petition_of, api):
    late = petition_of(registered_at=timezone.now() - timedelta(days=20))  # no decision within 15 days
    fresh = petition_of(summary="反映小区供暖不达标")
    client = api(world.window)

    listed = {row["id"]: row["overdue"] for row in client.get("/api/petitions/").json()["results"]}
    assert listed == {late.pk: True, fresh.pk: False}
    assert [row["id"] for row in client.get("/api/petitions/?overdue=true").json()["results"]] == [late.pk]
    assert [row["id"] for row in client.get("/api/petitions/?overdue=false").json()["results"]] == [fresh.pk]
