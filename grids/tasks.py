"""Thin, idempotent Celery tasks of grid command: each calls the service a page or the admin calls."""

from celery import shared_task

from governance.models import Center
from grids.services.ratings import ratings_compute


@shared_task(name="grids.tasks.compute_grid_ratings_task")
def compute_grid_ratings_task(center_id: int, year: int, quarter: int) -> tuple[int, int]:
    """(Re)compute a quarter's star ratings and worker ranking for a center (e.g. each county on
    the first day of a quarter, for the quarter just ended); safe to run again."""
    return ratings_compute(actor=None, center=Center.objects.get(pk=center_id), year=year, quarter=quarter)


@shared_task(name="grids.tasks.compute_last_quarter_ratings_task")
def compute_last_quarter_ratings_task() -> int:
    """For the beat: the quarter that just ended, for every county (root center)."""
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the previous quarter (0 = the last of last year)
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    counties = list(Center.objects.filter(depth=1, is_active=True).values_list("pk", flat=True))
    for center_id in counties:
        compute_grid_ratings_task(center_id, year, quarter)
    return len(counties)
