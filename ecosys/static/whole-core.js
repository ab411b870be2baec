/*
 * The whole-graph page's pure logic: no DOM, no WebGL, no network, no globals read.
 *
 * The page (whole.js) draws every node of a large graph with sigma.js; what it draws comes from the
 * payload ecosys/whole.py writes: columns (names, x, y, size, community, metrics...) and the links as
 * two arrays of node indices. These functions turn those columns into what the page needs (colours,
 * neighbours, the legend, search) and run the same in Node, where tests/js/whole.test.js checks them.
 *
 * Search ranks as the map does (map-core.js: the same name, then names starting with the query, then
 * a word starting with it, then anywhere; accents and case aside; ties by the size metric, then
 * order), with each name's search key computed once rather than at every keystroke.
 *
 * In the page this file defines one global, `ecosysWhole` (after map-core.js, whose `ecosysCore` it
 * uses); in Node, `require` returns the same object.
 */
(function (root, factory) {
  "use strict";
  var core = typeof module === "object" && module && module.exports ? require("./map-core.js") : root.ecosysCore;
  var whole = factory(core);
  if (typeof module === "object" && module && module.exports) module.exports = whole;
  else root.ecosysWhole = whole;
}(typeof self !== "undefined" ? self : this, function (core) {
  "use strict";

  var HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
  var LABEL_MAX = 40;  // characters of a name drawn on the graph (the panel shows it whole)

  function ints(list, n, low, high) {
    var out = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var v = Array.isArray(list) ? list[i] : 0;
      out[i] = typeof v === "number" && v >= low && v <= high ? v : 0;
    }
    return out;
  }
  function floats(list, n, fallback) {
    var out = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var v = Array.isArray(list) ? list[i] : null;
      out[i] = typeof v === "number" && isFinite(v) ? v : fallback;
    }
    return out;
  }

  /**
   * The payload made safe to use: typed columns of one length (`n`, the names'), links whose ends
   * exist, metrics and categories checked, and the neighbours of each node as a compressed list
   * (`start`, `next`: node i's neighbours are next[start[i]] ... next[start[i + 1] - 1]).
   */
  function model(payload) {
    var p = payload && typeof payload === "object" ? payload : {};
    var names = (Array.isArray(p.names) ? p.names : []).map(core.str), n = names.length;
    var source = [], target = [];
    var s = Array.isArray(p.source) ? p.source : [], t = Array.isArray(p.target) ? p.target : [];
    for (var k = 0; k < Math.min(s.length, t.length); k++) {
      var a = s[k], b = t[k];
      if (Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n && a !== b) {
        source.push(a);
        target.push(b);
      }
    }
    var degree = new Int32Array(n + 1);
    source.forEach(function (a, k) { degree[a + 1]++; degree[target[k] + 1]++; });
    var start = new Int32Array(n + 1);
    for (var i = 0; i < n; i++) start[i + 1] = start[i] + degree[i + 1];
    var fill = start.slice(0, n), next = new Int32Array(start[n]);
    source.forEach(function (a, k) { var b = target[k]; next[fill[a]++] = b; next[fill[b]++] = a; });
    var metrics = (Array.isArray(p.metrics) ? p.metrics : []).filter(function (m) {
      return m && typeof m.key === "string";
    }).map(function (m) {
      return { key: m.key, label: core.str(m.label) || m.key, about: core.str(m.about), values: floats(m.values, n, NaN) };
    });
    var categories = (Array.isArray(p.categories) ? p.categories : []).filter(function (c) {
      return c && typeof c.key === "string" && Array.isArray(c.values);
    }).map(function (c) {
      var values = c.values.map(core.str);
      return { key: c.key, label: core.str(c.label) || c.key, values: values, index: ints(c.index, n, -1, values.length - 1) };
    });
    var sizeMetric = metrics.filter(function (m) { return m.key === p.size_by; })[0] || null;
    var palette = (Array.isArray(p.palette) ? p.palette : []).filter(function (c) { return HEX_COLOUR.test(c); });
    return {
      n: n,
      names: names,
      partners: Math.max(0, Math.min(n, Number.isInteger(p.partners) ? p.partners : n)),
      x: floats(p.x, n, 0),
      y: floats(p.y, n, 0),
      size: floats(p.size, n, 3),
      community: ints(p.community, n, 0, 2147483647),
      communityNames: core.dict(p.community_names),
      metrics: metrics,
      categories: categories,
      sizeMetric: sizeMetric,
      weight: sizeMetric ? sizeMetric.values.map(function (v) { return isFinite(v) ? v : 0; }) : floats(p.size, n, 0),
      source: Int32Array.from(source),
      target: Int32Array.from(target),
      start: start,
      next: next,
      palette: palette,
      other: HEX_COLOUR.test(p.other_color) ? p.other_color : "#BBBBBB",
      text: core.dict(p.text),
      decimal: typeof p.decimal === "string" ? p.decimal : ".",
      thousands: typeof p.thousands === "string" ? p.thousands : ","
    };
  }

  /** A node's colour: its community's (communities 1, 2 ... take the palette in turn; later ones share `other`). */
  function colourOf(m, i) {
    var c = m.community[i];
    return c >= 1 && c <= m.palette.length ? m.palette[c - 1] : m.other;
  }
  /** Whether node i is a partner (the payload lists partners first) or a project. */
  function kindOf(m, i) { return i < m.partners ? "partner" : "project"; }
  /** Node i's neighbours, largest weight first (then index). */
  function neighbours(m, i) {
    var out = Array.from(m.next.subarray(m.start[i], m.start[i + 1]));
    return out.sort(function (a, b) { return m.weight[b] - m.weight[a] || a - b; });
  }
  /** The nodes in label order: largest weight (the size metric) first, then index. */
  function byWeight(m) {
    var order = new Int32Array(m.n);
    for (var i = 0; i < m.n; i++) order[i] = i;
    return order.sort(function (a, b) { return m.weight[b] - m.weight[a] || a - b; });
  }
  /** The text drawn beside a node: its name, cut in the middle past `most` characters (default 40). */
  function labelText(name, most) {
    var text = core.str(name).replace(/\s+/g, " ").trim(), max = most || LABEL_MAX;
    if (text.length <= max) return text;
    var head = Math.ceil((max - 1) * 0.6), tail = max - 1 - head;
    return text.slice(0, head).trimEnd() + "…" + text.slice(text.length - tail).trimStart();
  }

  /** Every name's search key (map-core's searchKey), computed once. */
  function searchKeys(m) { return m.names.map(core.searchKey); }
  /**
   * The nodes whose name matches `query`, best first, as map-core's rankMatches orders them (tier,
   * the very text typed, then the size metric, then index); at most `most` (default: all).
   */
  function search(m, keys, query, most) {
    var q = core.searchKey(query);
    if (!q) return [];
    var typed = core.str(query).trim(), hits = [];
    for (var i = 0; i < m.n; i++) {
      var tier = core.matchTier(keys[i], q);
      if (tier >= 0) hits.push({ i: i, tier: tier, exact: m.names[i] === typed ? 0 : 1, w: m.weight[i] });
    }
    hits.sort(function (a, b) { return a.tier - b.tier || a.exact - b.exact || b.w - a.w || a.i - b.i; });
    if (most) hits = hits.slice(0, most);
    return hits.map(function (h) { return h.i; });
  }

  /**
   * The colour legend: each community with a colour of its own (those present, in number order) with
   * its node count and name, then one entry for all the others (if any).
   */
  function legend(m) {
    var counts = new Map(), others = 0, otherCommunities = new Set();
    for (var i = 0; i < m.n; i++) {
      var c = m.community[i];
      if (c >= 1 && c <= m.palette.length) counts.set(c, (counts.get(c) || 0) + 1);
      else { others++; otherCommunities.add(c); }
    }
    var out = Array.from(counts.keys()).sort(function (a, b) { return a - b; }).map(function (c) {
      return { community: c, colour: m.palette[c - 1], count: counts.get(c), name: core.str(m.communityNames[String(c)]) };
    });
    if (others) out.push({ community: null, colour: m.other, count: others, communities: otherCommunities.size, name: "" });
    return out;
  }

  return Object.freeze({
    LABEL_MAX: LABEL_MAX,
    model: model, colourOf: colourOf, kindOf: kindOf, neighbours: neighbours, byWeight: byWeight,
    labelText: labelText, searchKeys: searchKeys, search: search, legend: legend
  });
}));
