"""The files list's "overdue" flag and filter: a file whose time limit has run out and is not
done is flagged, whatever else is on the list; a file without a timer never is."""

from datetime import timedelta

from django.utils import timezone

from mediation.models import Mediator


def test_the_files_list_flags_and_filters_overdue_files(world, med, open_file, api):
    late = open_file(at=timezone.now() - timedelta(days=60))  # its 30 days ran out a month ago
    on_time = open_file()
    not_accepted = open_file(accepted=False)  # no time limit yet
    client = api(Mediator.objects.get(user=med.mediator).user)

    listed = {row["id"]: row["overdue"] for row in client.get("/api/mediation/files/").json()["results"]}
    assert listed == {late.pk: True, on_time.pk: False, not_accepted.pk: False}
    overdue = client.get("/api/mediation/files/?overdue=true").json()["results"]
    assert [row["id"] for row in overdue] == [late.pk]
    in_time = client.get("/api/mediation/files/?overdue=false").json()["results"]
    assert {row["id"] for row in in_time} == {on_time.pk, not_accepted.pk}
