"""What each community is made of: its size, most central members, composition, totals, and a name.

:func:`community_profiles` gives one row per community (``communities.csv``):
size, shared projects inside, modularity share, most central partners and
projects, the leading values of each categorical attribute and the totals of
amounts. :func:`community_names` names each community by what sets it apart
(see its docstring): "Formez · municipality 80% · Roma 40%" says more than
"Community 3". Numbers stay the communities' ids.

Example
-------
>>> from ecosys.graph import as_network, graph_from_edges, project
>>> from ecosys.communities import detect_communities
>>> from ecosys.profiles import community_profiles
>>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")]))
>>> t = community_profiles(net, project(net), detect_communities(net), [0.3, 0.2, 0.1, 0.3, 0.1])
>>> t[["community", "name", "partners", "top_partners"]].values.tolist()
[[1, 'A', 2, 'A; B'], [2, 'C', 1, 'C']]
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd

from .attributes import (AMOUNT, MISSING, PROFILE_VALUES, attribute_profiles, categorical_columns, composition,
                         is_amount, totals)
from .communities import Partition
from .graph import PARTNER, PROJECT, Bipartite, Projection

__all__ = [
    "AMOUNT", "MISSING", "PROFILE_MEMBERS", "PROFILE_VALUES", "NAME_LENGTH",
    "by_centrality", "categorical_columns", "communities_of", "community_names", "community_profiles", "composition",
    "distinctive_values", "distinctive_words", "internal_weights", "is_amount", "modularity_shares", "title_column", "top_members",
    "totals",
]

PROFILE_MEMBERS = 5  # the most central partners (projects) named for each community


def communities_of(nodes, membership: dict) -> np.ndarray:
    """The community of each of ``nodes`` (keys of ``membership``, a :attr:`Partition.membership`), as an array.

    When ``membership`` holds the same nodes in the same order (as the community methods make it), its
    values are taken as they are, without looking each node up.

    >>> communities_of(["partner:A", "partner:B"], {"partner:A": 2, "partner:B": 1}).tolist()
    [2, 1]
    """
    nodes = nodes.tolist() if hasattr(nodes, "tolist") else list(nodes)
    if len(membership) == len(nodes) and list(membership) == nodes:
        values = list(membership.values())
        if set(map(type, values)) <= {int}:  # bool is no community
            return np.array(values, dtype=np.int64)
    return pd.Series(nodes, dtype=object).map(membership).to_numpy()


def by_centrality(rank, names) -> np.ndarray:
    """The indices of ``rank`` from the highest to the lowest, ties by ``names`` (then as given).

    The order of ``sort_values([rank, name], ascending=[False, True], kind="stable")``, NaN last, with the
    names compared only among the nodes of equal rank (a sort of every name costs seconds at millions).

    >>> by_centrality([0.1, 0.3, 0.1, 0.1], ["b", "z", "a", "b"]).tolist()
    [1, 2, 0, 3]
    """
    rank = np.asarray(rank, dtype=float)
    order = np.argsort(-rank, kind="stable")
    r = rank[order]
    same = (r[1:] == r[:-1]) | (np.isnan(r[1:]) & np.isnan(r[:-1]))
    if not same.any():
        return order
    tied = np.zeros(len(r), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    at = np.flatnonzero(tied)
    run = np.cumsum(np.concatenate([[True], ~same])[at])  # positions in a run of equal ranks share a number
    sub = order[at]
    codes, _ = pd.factorize(np.asarray(names, dtype=object)[sub], sort=True)
    codes = np.where(codes < 0, codes.max(initial=0) + 1, codes)  # missing names last, as pandas sorts them
    order[at] = sub[np.lexsort((codes, run))]
    return order


def top_members(community, order, most: int = PROFILE_MEMBERS) -> dict[int, list[int]]:
    """The first ``most`` members of each community, in the order given.

    ``community`` holds each node's community; ``order`` node indices, most
    central first (nodes left out of ``order`` are left out). Returns
    ``{community: [node index, ...]}``, communities in the order their first
    member appears.

    >>> top_members([1, 1, 2, 1], order=[3, 2, 1, 0], most=2)
    {1: [3, 1], 2: [2]}
    """
    order = np.asarray(order, dtype=np.int64)
    codes, groups = pd.factorize(np.asarray(community)[order])  # numbered as first met; -1: no community
    by = np.argsort(codes, kind="stable")  # each community's members together, in the order given
    codes = codes[by]
    first = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(codes)) - np.repeat(first, np.diff(np.r_[first, len(codes)]))
    kept = (rank < most) & (codes >= 0)
    out: dict[int, list[int]] = {}
    for c, i in zip(np.asarray(groups)[codes[kept]].tolist(), order[by[kept]].tolist()):
        out.setdefault(c, []).append(i)
    return out


def internal_weights(projection: Projection, partner_community) -> pd.Series:
    """The total weight of the projection's links inside each community (index: communities with one).

    >>> from ecosys.graph import graph_from_edges, project
    >>> P = project(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P1"), ("A", "P2"), ("B", "P2")]))
    >>> internal_weights(P, [1, 1, 2]).to_dict()  # A-B share two projects
    {1: 2.0}
    """
    return _inside(projection, np.asarray(partner_community))[0]


# rows of the projection's matrix read at a time where its weights are counts (bounded memory: no list of every pair)
_BLOCK_ENTRIES = 1 << 22


def _inside(projection: Projection, partner_community: np.ndarray) -> tuple[pd.Series, np.ndarray, float]:
    """The weights inside each community (:func:`internal_weights`), each partner's strength and the total
    weight, from one reading of the projection.

    With counts (whole numbers, which add up exactly in any order) the symmetric matrix is read a block of rows at
    a time, each pair twice (halved at the end): no list of every pair is made (20 bytes a pair, 1.6 GB at ten
    million rows). Other weights add up in the order of :meth:`~ecosys.graph.Projection.pairs`.
    """
    whole = (projection.weights is None and projection.shared.dtype.kind in "iu" and partner_community.dtype.kind in "iu"
             and (not len(partner_community) or partner_community.min() >= 0))
    if not whole:
        pairs = projection.pairs()
        internal = _internal(pairs, partner_community)
        rows, cols, _, weights = pairs
        strength = np.bincount(rows, weights=weights, minlength=len(partner_community))
        strength += np.bincount(cols, weights=weights, minlength=len(partner_community))
        return internal, strength, float(weights.sum())
    S = projection.shared
    n, groups = S.shape[0], max(int(partner_community.max()) + 1, 1) if len(partner_community) else 1
    inside, pairs_inside = np.zeros(groups), np.zeros(groups, dtype=np.int64)
    strength = np.zeros(n)
    start = 0
    while start < n:  # whole rows, about _BLOCK_ENTRIES entries at a time
        stop = max(int(np.searchsorted(S.indptr, S.indptr[start] + _BLOCK_ENTRIES, side="right")) - 1, start + 1)
        lo, hi = S.indptr[start], S.indptr[stop]
        counts = S.data[lo:hi].astype(float)
        rows = np.repeat(np.arange(start, stop), np.diff(S.indptr[start:stop + 1]))
        strength[start:stop] = np.bincount(rows - start, weights=counts, minlength=stop - start)
        ends = partner_community[rows]
        same = ends == partner_community[S.indices[lo:hi]]
        inside += np.bincount(ends[same], weights=counts[same], minlength=groups)
        pairs_inside += np.bincount(ends[same], minlength=groups)
        start = stop
    present = np.flatnonzero(pairs_inside)
    internal = pd.Series(inside[present] / 2, index=present.astype(partner_community.dtype))
    return internal, strength, float(strength.sum() / 2)


def _internal(pairs: tuple, partner_community: np.ndarray) -> pd.Series:
    """:func:`internal_weights` from the projection's pairs, found once by the caller."""
    rows, cols, _, weights = pairs
    ends = partner_community[rows]
    inside = ends == partner_community[cols]
    groups, weights = ends[inside], weights[inside]
    if (groups.dtype.kind in "iu" and (not len(groups) or groups.min() >= 0) and weights.dtype.kind in "iuf"
            and np.array_equal(weights, np.floor(weights)) and float(np.abs(weights).sum()) < 2.0 ** 53):
        # whole weights (shared counts) add up exactly in any order: one bincount, the sums pandas' groupby gives
        present = np.flatnonzero(np.bincount(groups))
        sums = np.bincount(groups, weights=weights).astype(weights.dtype)
        return pd.Series(sums[present], index=present.astype(groups.dtype))
    return pd.Series(weights).groupby(groups).sum()


def modularity_shares(projection: Projection, partner_community) -> pd.Series:
    """Each community's term of the weighted modularity of the partners on the projection.

    ``e_c / W - (S_c / 2W)^2``, with ``W`` the total weight, ``e_c`` the
    weight inside community ``c`` and ``S_c`` its partners' total strength;
    the terms sum to the modularity at resolution 1 (Newman 2004).

    >>> from ecosys.graph import graph_from_edges, project
    >>> P = project(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2"), ("D", "P2"), ("B", "P3"), ("C", "P3")]))
    >>> modularity_shares(P, [1, 1, 2, 2]).round(4).to_dict()  # each: 1/3 - (3/6)^2
    {1: 0.0833, 2: 0.0833}
    """
    partner_community = np.asarray(partner_community)
    return _shares(partner_community, *_inside(projection, partner_community))


def _shares(partner_community: np.ndarray, internal: pd.Series, strength: np.ndarray, total: float) -> pd.Series:
    """:func:`modularity_shares` from :func:`_inside`'s weights inside the communities, strengths and total."""
    if total == 0:
        return pd.Series(dtype=float)
    by_community = pd.Series(strength).groupby(partner_community).sum()
    return internal.reindex(by_community.index, fill_value=0.0) / total - (by_community / (2 * total)) ** 2


def community_profiles(network: Bipartite, projection: Projection, partition: Partition,
                       centrality, community=None, orders=None) -> pd.DataFrame:
    """One row per community: its size, most central members and profile.

    ``centrality`` (one value per node of ``network``, partners then
    projects; PageRank in ecosys's tables) ranks the members, ties by name.
    Columns: ``community``, ``name`` (:func:`community_names`), ``partners``, ``projects``, ``internal_weight``
    (the projection's weight inside it: :func:`internal_weights`),
    ``modularity_share`` (:func:`modularity_shares`), ``top_partners`` and
    ``top_projects`` (the ``PROFILE_MEMBERS`` most central, joined by ``;``).
    Then, for each categorical attribute of the partners (projects),
    ``partners_<attribute>`` (``projects_...``): its ``PROFILE_VALUES`` most
    frequent values among the community's members with their shares, blanks
    left out, ties alphabetical (:func:`composition`); and for each amount (an
    attribute whose values are numbers, as :mod:`ecosys.read.numbers` reads
    them: ``230971380,84``, ``9,942,108.00``, ``€ 1.200``..., in a currency or
    named as one by ``AMOUNT``: amount, contribution, budget, cost, EUR,
    funding, grant...: :func:`is_amount`), ``<attribute>_total``, the sum over
    the community's projects (partners; participations of its partners),
    rounded to whole units. Values in ``MISSING`` are blanks; other numbers
    (years, durations, counts) and dates are not categories. ``community`` (each
    node's, :func:`communities_of`) and ``orders`` (the partners' and the
    projects' :func:`by_centrality`) may be given when already found.

    >>> from ecosys.graph import as_network, graph_from_edges, project
    >>> from ecosys.communities import detect_communities
    >>> net = as_network(graph_from_edges([("A", "P1"), ("B", "P1"), ("C", "P2")]))
    >>> part = detect_communities(net)
    >>> community_profiles(net, project(net), part, [0.3, 0.2, 0.1, 0.3, 0.1]).values.tolist()
    [[1, 'A', 2, 1, 1, 0.0, 'A; B', 'P1'], [2, 'C', 1, 1, 0, 0.0, 'C', 'P2']]
    """
    n = network.n_partners
    community = communities_of(network.nodes, partition.membership) if community is None else community
    centrality = np.asarray(centrality)
    sides = (network.partners["name"].to_numpy(), network.projects["name"].to_numpy())
    if orders is None:
        orders = (by_centrality(centrality[:n], sides[0]), by_centrality(centrality[n:], sides[1]))
    communities = sorted(pd.unique(community).tolist())
    inside = _inside(projection, community[:n])  # once, for the weights inside and the modularity
    internal, share = inside[0], _shares(community[:n], *inside)
    del inside
    whole = projection.weighting == "count"
    names_of = community_names(network, community, centrality, orders[0])
    columns = {
        "community": communities,
        "name": [names_of.get(c, "") for c in communities],
        **{f"{kind}s": np.bincount(members.astype(np.int64), minlength=max(communities, default=0) + 1)[
            np.asarray(communities, dtype=np.int64)].tolist() for kind, members in ((PARTNER, community[:n]),
                                                                                  (PROJECT, community[n:]))},
        "internal_weight": [int(w) if whole else round(float(w), 6) for w in internal.reindex(communities, fill_value=0)],
        "modularity_share": [round(v, 6) for v in share.reindex(communities, fill_value=0.0).tolist()],
    }
    for kind, names, order, members in ((PARTNER, sides[0], orders[0], community[:n]),
                                        (PROJECT, sides[1], orders[1], community[n:])):
        top = top_members(members, order)
        texts = {i: str(names[i]) for found in top.values() for i in found}
        columns[f"top_{kind}s"] = ["; ".join([texts[i] for i in top[c]]) if c in top else "" for c in communities]
    columns.update(attribute_profiles(network, community, communities))
    return pd.DataFrame(columns)


# -- names -----------------------------------------------------------------------------------------

NAME_LENGTH = 40  # the most central partner's name is shortened past this many characters in a community's name
NAME_VALUES = 2  # attribute values named (at most one per attribute)
NAME_WORDS = 2  # words of the projects' titles named
MIN_SHARE = 0.4  # a value is named when at least this share of the community's members with a value have it ...
MIN_LIFT = 1.25  # ... and that share is at least this many times its share in the whole network
_TITLE_NAMES = ("title", "project title", "titolo", "project name", "name", "nome", "objective", "objectives")
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOPWORDS = frozenset("""
about after also among based between both during each from further have into more most other over same such than
that their them then there these they this those through under until very what when where which while with within
without your project projects network networks european europe innovative innovation development new
alla alle allo agli anche come dalla dalle degli della delle dello dopo essere nella nelle nello negli loro
molto ogni oltre perché però quale quali quando quella quelle quello questa queste questo senza sono sulla
sulle sullo sugli tutti tutte verso progetto progetti rete sociale sociali nuovo nuova nuovi nuove
""".split())


def distinctive_values(community, values, *, min_share: float = MIN_SHARE, min_lift: float = MIN_LIFT,
                       min_count: int = 2) -> pd.DataFrame:
    """The attribute values over-represented in each community, most telling first.

    For a value ``v`` and a community ``c``: ``share`` is the part of ``c``'s
    members with a value that have ``v``, ``lift`` that share over ``v``'s
    share in the whole network, and ``score`` = count × ln(lift), the value's
    term in the relative entropy (Kullback-Leibler) of the community's values
    against the whole network's: a value held by many members and rare
    elsewhere scores high. Kept when ``share >= min_share``, ``lift >=
    min_lift`` and at least ``min_count`` members have it. Blank values
    (``""``) are not counted. Columns ``community``, ``value``, ``count``,
    ``share``, ``lift``, ``score``; each community's rows by score (ties: by
    value).

    >>> t = distinctive_values([1, 1, 1, 2, 2, 2], ["FR", "FR", "IT", "IT", "IT", "DE"])
    >>> t[["community", "value", "count"]].values.tolist(), t["lift"].round(2).tolist()
    ([[1, 'FR', 2], [2, 'IT', 2]], [2.0, 1.33])
    """
    community = np.asarray(community)
    values = np.asarray(values, dtype=object)
    filled = values != ""
    t = pd.DataFrame({"community": community[filled], "value": values[filled].astype(str)})
    if t.empty:
        return pd.DataFrame(columns=["community", "value", "count", "share", "lift", "score"])
    members = t["community"].to_numpy()
    if members.dtype.kind in "iu" and members.min() >= 0:  # counted on the values' codes (no groupby on texts)
        codes, uniques = pd.factorize(t["value"].to_numpy(dtype=object))
        members = members.astype(np.int64)
        key, count = np.unique(members * len(uniques) + codes, return_counts=True)
        found, code = key // len(uniques), key % len(uniques)
        counts = pd.DataFrame({"community": found.astype(t["community"].dtype), "value": uniques[code], "count": count})
        size = np.bincount(members)[found]
        overall = np.bincount(codes)[code] / len(t)
    else:
        counts = t.value_counts(["community", "value"]).rename("count").reset_index()
        size = t["community"].value_counts().reindex(counts["community"]).to_numpy()
        overall = (t["value"].value_counts() / len(t)).reindex(counts["value"]).to_numpy()
    counts["share"] = counts["count"] / size
    counts["lift"] = counts["share"] / overall
    counts["score"] = counts["count"] * np.log(counts["lift"])
    kept = counts[(counts["share"] >= min_share) & (counts["lift"] >= min_lift) & (counts["count"] >= min_count)]
    kept = kept.sort_values(["community", "score", "value"], ascending=[True, False, True], kind="stable")
    return kept.reset_index(drop=True)


def distinctive_words(community, titles, *, most: int = NAME_WORDS, min_count: int = 2,
                      min_z: float = 1.96) -> dict[int, list[str]]:
    """The words most specific to each community's titles, by their log-odds ratio.

    Words are runs of four letters or more, lower-cased, common English and
    Italian words left out, counted once per title. For each community the
    log-odds of a word in its titles against the other titles is estimated
    with an informative Dirichlet prior (the word's frequency in all titles,
    Monroe, Colaresi & Quinn 2008, "Fightin' words", *Political Analysis*
    16:372) and divided by its standard error; words with z ≥ ``min_z``
    in at least ``min_count`` of the community's titles are kept, the
    ``most`` highest.

    >>> distinctive_words([1, 1, 1, 2, 2, 2],
    ...     ["Urban gardens Torino", "Community gardens", "Gardens and schools", "Hydrogen fuel cells",
    ...      "Hydrogen trucks", "Hydrogen storage"], min_z=1.0)  # too few titles for 1.96
    {1: ['gardens'], 2: ['hydrogen']}
    """
    community = np.asarray(community)
    docs = [set(_WORD.findall(str(t).lower())) - _STOPWORDS for t in titles]
    total = Counter(w for d in docs for w in d)
    n_total = sum(total.values())
    if not n_total:
        return {}
    prior = 10.0  # the prior's weight, in words (Monroe et al. use the corpus itself)
    by_community: dict = {}
    for c, d in zip(community.tolist(), docs):
        by_community.setdefault(c, Counter()).update(d)
    out = {}
    for c, counts in sorted(by_community.items()):
        n_c = sum(counts.values())
        n_rest = n_total - n_c
        scored = []
        for w, y in counts.items():
            if y < min_count:
                continue
            a = prior * total[w] / n_total
            a0 = prior
            y_rest = total[w] - y
            other, other_rest = n_c + a0 - y - a, n_rest + a0 - y_rest - a  # the other words' (prior-smoothed) counts
            if other <= 0 or other_rest <= 0:  # the word is every word there: no odds to set against the rest
                continue
            delta = math.log((y + a) / other) - math.log((y_rest + a) / other_rest)
            z = delta / math.sqrt(1 / (y + a) + 1 / (y_rest + a))
            if z >= min_z:
                scored.append((-z, w))
        if scored:
            out[c] = [w for _, w in sorted(scored)[:most]]
    return out


def title_column(network: Bipartite) -> str | None:
    """The project attribute holding titles (``title``, ``titolo``, ``project name``...), or None.

    The projects' display names count as titles when they have three words or
    more on average (acronyms and ids do not).

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> title_column(as_network(graph_from_edges([("A", "Urban gardens in Torino"), ("B", "Gardens for schools")])))
    'name'
    """
    projects = network.projects
    for wanted in _TITLE_NAMES:
        for column in network.attributes(PROJECT):
            if column.strip().lower().replace("_", " ") == wanted:
                return column
    names = projects["name"].astype(str).to_numpy(dtype=object)
    try:  # the words of all the names, counted in one split (a name's words are never joined to the next's)
        mean = len(" ".join(names).split()) / len(names) if len(names) else 0.0
    except TypeError:  # a missing name
        words = projects["name"].astype(str).str.split().str.len()
        mean = float(words.mean()) if len(words) else 0.0
    return "name" if len(names) and mean >= 3 else None


def community_names(network: Bipartite, community, centrality, order=None) -> dict[int, str]:
    """A short name for each community, from what it holds: ``{community: name}``.

    The name is its most central partner (highest ``centrality``, ties by
    name; shortened past ``NAME_LENGTH`` characters), then the values of the
    partners' categorical attributes most over-represented in it with their
    share (:func:`distinctive_values`, at most ``NAME_VALUES``, one per
    attribute: "FR 62%"), then the words most specific to its projects'
    titles when projects have titles (:func:`distinctive_words`, at most
    ``NAME_WORDS``), joined by " · ". A community of one partner is named by
    it. ``community`` and ``centrality`` hold one value per node, partners
    then projects; ``order``, the partners' :func:`by_centrality`, when already found.

    >>> from ecosys.graph import as_network, graph_from_edges
    >>> net = as_network(graph_from_edges([("CNRS", "P1"), ("Inria", "P1"), ("CEA", "P1"),
    ...                                    ("Polito", "P2"), ("Unibo", "P2"), ("Enea", "P2")]))
    >>> net.partners["country"] = ["FR", "FR", "IT", "FR", "IT", "IT"]  # CEA, CNRS, Enea, Inria, Polito, Unibo
    >>> community_names(net, [1, 1, 2, 1, 2, 2, 1, 2], [0.2, 0.3, 0.1, 0.1, 0.1, 0.2, 0, 0])
    {1: 'CNRS · FR 100%', 2: 'Unibo · IT 100%'}
    """
    n = network.n_partners
    community = np.asarray(community)
    centrality = np.asarray(centrality, dtype=float)
    partner_community = community[:n]
    names = network.partners["name"].astype(str).to_numpy()
    order = by_centrality(centrality[:n], names) if order is None else order
    top = top_members(partner_community, order, most=1)
    size = pd.Series(partner_community).value_counts()
    parts: dict[int, list[str]] = {c: [_shorten(names[members[0]])] for c, members in top.items()}
    picked: dict[int, list[tuple]] = {}
    partners = network.partners
    for column in categorical_columns(partners, network.attributes(PARTNER)):
        values = partners[column].astype(str).to_numpy()
        values = np.where(pd.Series(values).isin(MISSING).to_numpy(), "", values)
        for row in distinctive_values(partner_community, values).itertuples(index=False):
            best = picked.setdefault(row.community, [])
            if not any(b[2] == column for b in best):
                best.append((-row.score, row.value, column, row.share))
    for c, best in picked.items():
        if size.get(c, 0) > 1:
            for _, value, _, share in sorted(best)[:NAME_VALUES]:
                parts[c].append(f"{_shorten(value, 24)} {round(100 * share)}%")
    column = title_column(network)
    if column is not None:
        words = distinctive_words(community[n:], network.projects[column].astype(str).tolist())
        for c, found in words.items():
            if c in parts and size.get(c, 0) > 1:
                parts[c].append(", ".join(found))
    return {c: " · ".join(p) for c, p in sorted(parts.items())}


def _shorten(text: str, most: int = NAME_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip(" ,;-") + "…"
