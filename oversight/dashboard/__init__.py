"""The CSP lead dashboard: aggregate figures for a period, per agency and in total.

- ``period``: the period and its calendar months;
- ``figures``: what the board holds, percentiles, charts;
- ``tallies``: the counts kept per month, agency and kind, and how they are computed;
- ``keeping``: what keeps the tallies equal to the rows, in the same transaction;
- ``protection``: small-number suppression, and the table of figures as shown;
- ``board``: the board for a period.
"""

from oversight.dashboard.board import dashboard
from oversight.dashboard.figures import (
    COUNT_MEASURES,
    MEDIAN_LABEL,
    P90_LABEL,
    AgencyFigures,
    Dashboard,
    percentile_of_counts,
    share,
)
from oversight.dashboard.period import Period
from oversight.dashboard.protection import figures_table, protected_cells, suppress

__all__ = [
    "COUNT_MEASURES",
    "MEDIAN_LABEL",
    "P90_LABEL",
    "AgencyFigures",
    "Dashboard",
    "Period",
    "dashboard",
    "figures_table",
    "percentile_of_counts",
    "protected_cells",
    "share",
    "suppress",
]
