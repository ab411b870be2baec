"""Every metric ecosys computes has a name and a plain-language meaning for the pages."""

from ecosys.glossary import METRIC_LABELS, METRIC_MEANINGS, metric_label, metric_meaning
from ecosys.graph import graph_from_edges
from ecosys.metrics import METRICS, node_metrics


def test_every_metric_is_named_and_explained():
    columns = [c for c in node_metrics(graph_from_edges([("A", "P1"), ("B", "P1")])).columns
               if c not in ("node", "name", "kind")]
    assert columns == list(METRICS)
    assert set(METRIC_LABELS) == set(METRIC_MEANINGS) == {*METRICS, "stability"}  # stability: with --runs
    for c in METRIC_LABELS:
        assert metric_label(c) == METRIC_LABELS[c] and metric_meaning(c)[:1].islower()
        assert not metric_meaning(c).endswith(".")  # the pages add the stop


def test_other_columns_get_a_label_from_their_name():
    assert metric_label("brokerage_liaison") == "Brokerage liaison" and metric_meaning("brokerage_liaison") == ""


def test_the_words_come_from_the_language_files():
    from ecosys.i18n import language

    for code in ("en", "it"):
        for c in METRICS:
            assert metric_label(c, code) == language(code).text(f"metrics.{c}.name")
            assert metric_meaning(c, code) == language(code).text(f"metrics.{c}.about")
    assert metric_label("betweenness", "it") == "Centralità di intermediazione"
