"""Demo grids: under each demo village three grids (网格), each with two groups (小组) of three
ten-household units (联户单元), their members and ~360 households; a grid worker account per grid
(`gridworker` for the first grid of the first village, `gridleader` its village's grid leader).

And their history, in proportion to the generated cases: grid events (almost all closed on site,
about one in a hundred escalated — those become the generated `grid_report` cases — and some 12345
tickets sent straight to a grid), their handling timers, and the work logs (household visits,
patrols, key-person checks, a daily screening per worker). Written in bulk, as the services would
have left them; `stats_rebuild` then recomputes the grid rollup from them.
"""

from grids.demo.history import HistoryGenerator, generate_history
from grids.demo.structure import seed_structure

# How many grids each village gets (a module setting, read when seeding: the city benchmark sets it).
GRIDS_PER_VILLAGE = 3

__all__ = ["HistoryGenerator", "generate_history", "seed_structure"]
