"""Small numbers (ISP 4.11): what a CSP lead sees of each count, after complementary
suppression, and the table of every figure as shown (CSV, PDF)."""

from collections.abc import Iterable, Mapping

from django.conf import settings

from oversight.dashboard.figures import (
    COUNT_MEASURES,
    MEDIAN_LABEL,
    P90_LABEL,
    Cell,
    Dashboard,
    Relation,
    is_small,
)


def suppress(value: int | None) -> str:
    """What a CSP lead sees for a count on its own: the number, or "<5" (ISP 4.11)."""
    if value is None:
        return ""
    if is_small(value):
        return f"<{settings.SMALL_NUMBER_THRESHOLD}"
    return str(value)


# A count hidden so that a small one cannot be worked out from the totals.
COMPLEMENTARY = "[c]"


def protected_cells(values: Mapping[Cell, int], relations: Iterable[Relation]) -> set[Cell]:
    """Complementary suppression: the small counts (1 to 4) and, in every relation that
    holds one, enough others that it cannot be worked out by subtraction.

    After this, each relation has no hidden count or at least two, and where its total is
    shown, the hidden counts add up to at least the threshold (so their sum, which
    subtraction gives, is not itself a small number). The smallest shown count is hidden
    first; hiding one can break another relation, so it repeats until none is broken.
    """
    hidden = {cell for cell, value in values.items() if is_small(value)}
    relations = list(relations)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            cells = [*parts, total]
            if not _exposes(values, hidden, total, parts):
                continue
            shown = [c for c in cells if c not in hidden]
            if not shown:
                continue
            # Parts before the total, smallest non-zero first (a zero adds nothing).
            hidden.add(min(shown, key=lambda c: (values[c] == 0, c == total, values[c])))
            changed = True
    return hidden


def _exposes(values: Mapping[Cell, int], hidden: set[Cell], total: Cell, parts: list[Cell]) -> bool:
    hidden_here = [c for c in [*parts, total] if c in hidden]
    if not hidden_here:
        return False
    if len(hidden_here) == 1:
        return True
    hidden_parts = sum(values[c] for c in parts if c in hidden)
    return total not in hidden and hidden_parts < settings.SMALL_NUMBER_THRESHOLD


def shown_value(cell: Cell, values: Mapping[Cell, int], hidden: set[Cell]) -> str:
    if cell not in hidden:
        return str(values[cell])
    return suppress(values[cell]) if is_small(values[cell]) else COMPLEMENTARY


# Agreements are not about people: their counts are shown as they are.
PROTECTED_MEASURES = [m for m, _label in COUNT_MEASURES if not m.startswith("agreements_")]


def protect(board: "Dashboard") -> None:
    """Fill in what a CSP lead sees of every count on the board."""
    rows = [*board.agencies, board.total]
    values: dict[Cell, int] = {}
    for row in rows:
        for measure in PROTECTED_MEASURES:
            values[(row.code, measure)] = row.count(measure)
    relations: list[Relation] = [
        (("ALL", m), [(a.code, m) for a in board.agencies]) for m in PROTECTED_MEASURES
    ]
    # Every request is made by one agency and received by another.
    relations.append((("ALL", "made"), [("ALL", "received")]))
    for row in rows:
        decided = (row.code, "decided")
        outcomes = ["disclosed", "partially_disclosed", "declined"]
        relations.append((decided, [(row.code, m) for m in outcomes]))
        relations.append((decided, [(row.code, "with_consent"), (row.code, "without_consent")]))
    for chart, total in ((board.requests_by_month, "made"), (board.decisions_by_month, "decided")):
        for bar in chart.bars:
            values[(chart.title, bar.label)] = bar.value
        relations.append((("ALL", total), [(chart.title, bar.label) for bar in chart.bars]))
    for name, count, per_agency in board.legislation_counts:
        values[("ALL", name)] = count
        for a in board.agencies:
            values[(a.code, name)] = per_agency.get(a.code, 0)
        relations.append((("ALL", name), [(a.code, name) for a in board.agencies]))
    hidden = protected_cells(values, relations)
    for row in rows:
        row.shown = {m: shown_value((row.code, m), values, hidden) for m in PROTECTED_MEASURES}
        for m, _label in COUNT_MEASURES:
            row.shown.setdefault(m, str(row.count(m)))
    for chart in (board.requests_by_month, board.decisions_by_month):
        for bar in chart.bars:
            bar.shown = shown_value((chart.title, bar.label), values, hidden)
            if (chart.title, bar.label) in hidden:
                bar.height, bar.y = 0, chart.height  # a bar's height would tell the number
    board.legislation = [
        (
            name,
            shown_value(("ALL", name), values, hidden),
            {a.code: shown_value((a.code, name), values, hidden) for a in board.agencies},
        )
        for name, _count, _per_agency in board.legislation_counts
    ]
    board.hidden = hidden


def figures_table(board: "Dashboard") -> list[list[str]]:
    """Every figure a CSP lead sees, suppressed, one row per agency and measure (CSV, PDF)."""
    rows = []
    for agency in [*board.agencies, board.total]:
        for measure, label in COUNT_MEASURES:
            rows.append([agency.code, label, agency.shown[measure]])
        rows.append([agency.code, "Share decided on time", agency.on_time_share])
        rows.append([agency.code, MEDIAN_LABEL, agency.median_shown])
        rows.append([agency.code, P90_LABEL, agency.p90_shown])
        if agency.timescale_days:
            rows.append(
                [agency.code, "Agreed timescale (working days)", str(agency.timescale_days)]
            )
    for name, shown, per_agency in board.legislation:
        rows.append(["ALL", f"Legislation: {name}", shown])
        for code, value in per_agency.items():
            rows.append([code, f"Legislation: {name}", value])
    for chart in (board.requests_by_month, board.decisions_by_month):
        for bar in chart.bars:
            rows.append(["ALL", f"{chart.title}: {bar.label}", bar.shown])
    return rows
