from django.utils import timezone

from grids.models import GridRating
from grids.tasks import compute_grid_ratings_task, compute_last_quarter_ratings_task


def test_the_rating_tasks_call_the_service_and_can_run_again(gw, world):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    assert compute_grid_ratings_task(world.county.pk, today.year, quarter) == (3, 0)
    assert compute_grid_ratings_task(world.county.pk, today.year, quarter) == (3, 0)
    assert GridRating.objects.filter(scope=world.county).count() == 3
    assert compute_last_quarter_ratings_task() == 2  # both counties of the personas
