"""How an ecosystem changes: periods, newcomers, the core, communities over time (issue 13).

:func:`evolve` reads a participation table, finds when each project runs
(:mod:`ecosys.dates`), cuts periods (:mod:`.periods`), analyses each period
as a snapshot (:mod:`.snapshots`), and compares them: who enters, stays and
leaves and where newcomers enter, how stable the core is (:mod:`.turnover`),
and what the communities do (:mod:`.events`). :mod:`.charts` draws the trends
and the flows between communities as inline SVG, and :mod:`.page` writes the
page and the tables.

=================  ============================================================
``periods``        periods (years, windows, cumulative, values of a column)
                   and the activity of every partner and project in each
``snapshots``      a period's network in numbers; its partners' metrics
``turnover``       newcomers, leavers, stayers; core stability
``events``         community matching (Greene et al. 2010) and events
``charts``         trend charts and the alluvial diagram as SVG geometry
``pipeline``       :func:`evolve` and its result, :class:`Evolution`
``page``           ``index.html`` and every output file
=================  ============================================================

Example
-------
>>> from ecosys.evolution import evolve
>>> from ecosys.pipeline import demo_path
>>> e = evolve(demo_path(), by="programme")
>>> len(e.periods), e.periods.columns[:6].tolist()
(4, ['period', 'start', 'end', 'partners', 'projects', 'participations'])
"""

from ..lazy import attach

# Each public name and the module it comes from, imported on first use (module __getattr__,
# PEP 562): the report's trends need only ``trends`` and what it uses, so ``ecosys analyze``
# does not load the evolution page and pipeline it never runs.
_EXPORTS = {
    "events": ("Tracking", "community_events", "match_communities"),
    "page": ("evolution_outputs", "render_evolution", "write_evolution"),
    "periods": ("Period", "Timeline", "timeline"),
    "pipeline": ("PERIOD_COLUMNS", "Evolution", "evolve"),
}

__all__ = [
    "Evolution", "PERIOD_COLUMNS", "Period", "Timeline", "Tracking", "community_events", "evolution_outputs",
    "evolve", "match_communities", "render_evolution", "timeline", "write_evolution",
]


__getattr__, __dir__ = attach(__name__, _EXPORTS)
