"""Every metric ecosys computes has a technical name, a sentence in plain words and a definition, in every language."""

import re

import pytest

from ecosys.brokerage import ROLES
from ecosys.glossary import METRIC_LABELS, METRIC_MEANINGS, metric_definition, metric_label, metric_meaning
from ecosys.graph import graph_from_edges
from ecosys.i18n import LANGUAGES, language
from ecosys.metrics import METRICS

EXPLAINED = {*METRICS, "stability", *(f"brokerage_{role}" for role in ROLES)}  # stability: --runs; roles: --group-by


def test_every_metric_is_named_and_explained():
    from ecosys.metrics import node_metrics

    columns = [c for c in node_metrics(graph_from_edges([("A", "P1"), ("B", "P1")])).columns
               if c not in ("node", "name", "kind")]
    assert columns == list(METRICS)
    assert set(METRIC_LABELS) == set(METRIC_MEANINGS) == EXPLAINED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_meaning_is_one_plain_sentence_and_each_definition_says_how(lang):
    for c in EXPLAINED:
        name, about, how = metric_label(c, lang), metric_meaning(c, lang), metric_definition(c, lang)
        assert name and about and how, c
        assert about[:1].islower() and not about.endswith("."), c  # the pages add the capital and the stop
        assert not how.endswith("."), c
        assert not re.search(r"\b(19|20)\d\d\b|et al\.", about), c  # references belong to the definition
        assert about.count(". ") == 0 and len(about.split()) <= 30, c  # one sentence a coordinator reads at once


def test_other_columns_get_a_label_from_their_name():
    assert metric_label("amount_eur") == "Amount eur" and metric_meaning("amount_eur") == ""
    assert metric_definition("amount_eur") == ""


def test_the_words_come_from_the_language_files():
    for code in LANGUAGES:
        for c in EXPLAINED:
            assert metric_label(c, code) == language(code).text(f"metrics.{c}.name")
            assert metric_meaning(c, code) == language(code).text(f"metrics.{c}.about")
            assert metric_definition(c, code) == language(code).text(f"metrics.{c}.how")
    assert metric_label("betweenness", "it") == "Centralità di intermediazione"
    assert metric_label("degree", "it") == "Grado" and metric_label("constraint", "it") == "Vincoli di Burt"
    assert metric_meaning("betweenness", "it") == "chi fa da ponte tra gruppi che altrimenti non si parlerebbero"
