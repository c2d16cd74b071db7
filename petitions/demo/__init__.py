"""The petitions' share of the demo: county leaders and their weekly reception days (Yumen: one city
leader receives visitors each week), and a petition on every generated case of the `petition`
service line — in the state the services would have left it (decision on time or late, handling
on the fast tracks, replies, reviews, windows that closed, evaluations, repeat petitioners linked,
backlog cases with their leaders) — written in bulk with `governance.bulk.BulkWriter`.

Both entry points are idempotent: the structure is keyed on usernames and dates, and the history
only touches the cases the generator has just written.
"""

from petitions.demo.history import DEMO_QUERY_CODE, generate_history
from petitions.demo.structure import seed_structure

__all__ = ["DEMO_QUERY_CODE", "generate_history", "seed_structure"]
