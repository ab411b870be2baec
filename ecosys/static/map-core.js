/*
 * The map page's pure logic: no DOM, no network, no globals read.
 *
 * Everything here takes plain values (the page's payload, the state of its controls) and returns
 * plain values, so it runs the same in the page and in Node, where tests/js/ checks it
 * (`node --test tests/js/`). map.js, the page itself, builds the controls and panels and hands
 * vis-network what these functions return.
 *
 * In the page this file defines one global, `ecosysCore`; in Node, `require` returns the same object.
 *
 * The model (`model(payload)`) is the payload made safe to use: nodes and edges copied, attribute
 * maps without a prototype (so an attribute called "__proto__" or a value "constructor" is only
 * data), colours checked. The state is { view, colorBy, sizeBy, focus, depth, filters, time } (time: null, every
 * node, or the time slider's period { from, to, cumulative }).
 */
(function (root, factory) {
  "use strict";
  var core = factory();
  if (typeof module === "object" && module && module.exports) module.exports = core;
  else root.ecosysCore = core;
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
  // What a dimmed node, edge and label look like while a neighbourhood is in focus.
  var DIM = "#E4E6E8", DIM_EDGE = "#EEF0F2", DIM_FONT = "#B8BCC0", FONT = "#1f2328";
  var EDGE = "#9AA0A6", EDGE_HIGHLIGHT = "#333333";
  // The ring round a newcomer of the time slider's period.
  var NEW_RING = "#1f2328", NEW_RING_WIDTH = 3;
  // Shapes vis-network draws by itself (no image/icon shapes, which could load URLs).
  var VIS_SHAPES = ["dot", "square", "diamond", "triangle", "triangleDown", "star",
                    "hexagon", "ellipse", "circle", "box", "database", "text"];
  // Node radius in pixels at zoom 1, for the smallest and the largest value of the size metric.
  var MIN_SIZE = 8, MAX_SIZE = 36;
  // Labels: the smallest node's label is LABEL_MIN px at zoom 1; the largest node's is sized by
  // labelMax() for the zoom. vis-network skips a label smaller than LABEL_THRESHOLD - 1 px on
  // screen and draws none larger than LABEL_MAX_VISIBLE px (its default maxVisible).
  var LABEL_MIN = 14, LABEL_THRESHOLD = 9, LABEL_MAX_VISIBLE = 30;
  // Every text a person reads comes from the payload's `text` (ecosys/lang/<code>/map.json, "page"):
  // say(m, key, values) fills its {placeholders}; a key the payload lacks shows as the key itself.

  // ---- plain values -----------------------------------------------------------------------
  function arr(v) { return Array.isArray(v) ? v : []; }
  function str(value) { return value === null || value === undefined ? "" : String(value); }
  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }
  // Data keys and values may be any text, "__proto__" or "constructor" too: they are looked up in
  // objects without a prototype, so they find only the data.
  function dict(o) { return Object.assign(Object.create(null), o && typeof o === "object" ? o : {}); }
  function validColour(value) { return typeof value === "string" && HEX_COLOUR.test(value) ? value : null; }
  // A whole number with thousands separators; any other number with 4 significant digits.
  function fmt(v, m) {
    if (num(v) === null) return str(v);
    if (Number.isInteger(v)) return count(v, m);
    return separators(Number(v.toPrecision(4)).toString(), m);
  }
  /** English digits with the separators of `m` ({decimal, thousands}: the page's language; Italian 12.326). */
  function separators(text, m) {
    if (!m || (m.decimal === "." && m.thousands === ",") || !m.decimal) return text;
    return text.replace(/[.,]/g, function (c) { return c === "," ? m.thousands : m.decimal; });
  }
  /** A whole number as the page's language writes it (ecosys/i18n.py's rule: 12,326 / 12.326). */
  function count(n, m) { return separators(n.toLocaleString("en-US"), m); }
  /** `template` with each {name} replaced by values[name] (unknown names stay as they are). */
  function fill(template, values) {
    return str(template).replace(/\{(\w+)\}/g, function (all, k) {
      return values && Object.prototype.hasOwnProperty.call(values, k) ? str(values[k]) : all;
    });
  }
  /** The page's text `key` in its language, filled with `values`. */
  function say(m, key, values) {
    var t = m && m.text ? m.text[key] : undefined;
    return fill(typeof t === "string" ? t : key, values);
  }
  function fullName(n) { return str(n.name) || str(n.label); }

  // ---- the model ----------------------------------------------------------------------------
  function cleanEdges(list, byId) {
    return arr(list).filter(function (e) { return e && byId.has(e.from) && byId.has(e.to); })
      .map(function (e, k) { return Object.assign({}, e, { attrs: dict(e.attrs), k: k }); });
  }

  /**
   * The payload as the page uses it: nodes in payload order (the order search and legends
   * follow), nodes by id, metrics and categories by key, each view's edges, and the bipartite
   * edges of each node (which decide what a filter on the other side keeps).
   */
  /** The overview's periods (ecosys/overview_periods.py), or null when the payload has none that make sense. */
  function overviewTime(t) {
    if (!t || typeof t !== "object" || !Array.isArray(t.years) || t.years.length !== 2) return null;
    var a = num(t.years[0]), b = num(t.years[1]);
    if (a === null || b === null || a > b || !t.periods || typeof t.periods !== "object") return null;
    return { years: [a, b], periods: dict(t.periods), all: arr(t.all).map(num) };
  }
  function model(payload) {
    payload = payload && typeof payload === "object" ? payload : {};
    var byId = new Map(), nodes = [];
    arr(payload.nodes).forEach(function (n) {
      if (!n || typeof n.id !== "number" || byId.has(n.id)) return;
      n = Object.assign({}, n, {
        attrs: dict(n.attrs),
        metrics: n.metrics && typeof n.metrics === "object" ? n.metrics : {}
      });
      byId.set(n.id, n);
      nodes.push(n);
    });
    var metrics = arr(payload.metrics).filter(function (m) { return m && typeof m.key === "string"; });
    var categories = arr(payload.categories)
      .filter(function (c) { return c && typeof c.key === "string"; })
      .map(function (c) { return Object.assign({}, c, { colors: dict(c.colors) }); });
    var overview = payload.mode === "overview";
    var edges = {
      bipartite: overview ? [] : cleanEdges(payload.edges, byId),
      projection: cleanEdges(payload.projection, byId),
      overview: overview ? cleanEdges(payload.edges, byId) : []
    };
    var bipartiteOf = new Map();  // node id -> its edges on the bipartite graph
    edges.bipartite.forEach(function (e) {
      [e.from, e.to].forEach(function (id) {
        if (!bipartiteOf.has(id)) bipartiteOf.set(id, []);
        bipartiteOf.get(id).push(e);
      });
    });
    var text = dict(payload.text);
    var views = arr(payload.views).filter(function (v) { return v && edges[v.key]; });
    if (!views.length) views = [{ key: "bipartite", label: say({ text: text }, "bipartite_view") }];
    return {
      text: text,
      decimal: typeof payload.decimal === "string" && payload.decimal.length === 1 ? payload.decimal : ".",
      thousands: typeof payload.thousands === "string" && payload.thousands.length <= 1 ? payload.thousands : ",",
      mode: overview ? "overview" : str(payload.mode),
      nodes: nodes,
      byId: byId,
      metrics: metrics,
      metricByKey: new Map(metrics.map(function (m) { return [m.key, m]; })),
      categories: categories,
      categoryByKey: new Map(categories.map(function (c) { return [c.key, c]; })),
      communityColours: dict(payload.community_colors),
      communityNames: dict(payload.community_names),
      notApplicable: validColour(payload.na_color) || "#D6D6D6",
      other: validColour(payload.other_color) || "#BBBBBB",
      missing: validColour(payload.missing_color) || "#F0F0F0",
      edges: edges,
      bipartiteOf: bipartiteOf,
      views: views,
      years: Array.isArray(payload.years) && payload.years.length === 2 ? payload.years : null,
      overviewTime: overview ? overviewTime(payload.time) : null,
      kinds: arr(payload.kinds).filter(function (k) {
        return k && typeof k.key === "string" && nodes.some(function (n) { return n.kind === k.key; });
      }),
      shapes: arr((payload.legend || {}).shapes).map(function (s) { return s || {}; }),
      defaults: payload.defaults && typeof payload.defaults === "object" ? payload.defaults : {},
      topMembers: nodes.reduce(function (m, n) { return Math.max(m, num((n.members || {}).partners) || 0); }, 0)
    };
  }

  function noFilters() {
    return { kinds: {}, community: "", categories: dict(), yearFrom: null, yearTo: null, metric: "", min: null };
  }

  /** The page's first state: the first view, coloured as the payload says (by community unless an attribute is
   * named), sized by the default metric. */
  function initialState(m) {
    var sizeBy = m.metricByKey.has(m.defaults.size_by) ? m.defaults.size_by : (m.metrics[0] ? m.metrics[0].key : "");
    var colorBy = str(m.defaults.color_by), key = colorBy.slice(5), c = m.categoryByKey.get(key);
    if (colorBy.indexOf("attr:") !== 0 || !c || c.scope === "participation") colorBy = "community";
    return { view: m.views[0].key, colorBy: colorBy, sizeBy: sizeBy, focus: null, depth: 1, filters: noFilters(), time: null };
  }

  // ---- views ----------------------------------------------------------------------------------
  // The overview shows the top partners by the metric chosen in Size by, each placed for that metric.
  function topPlace(n, sizeBy) {
    var p = n.top_by && typeof n.top_by === "object" ? n.top_by[sizeBy] : null;
    return Array.isArray(p) && p.length === 2 ? { x: p[0], y: p[1] } : null;
  }
  /** Whether a node is drawn in a view (the partner view: partners only; the overview: its top partners). */
  function inView(n, view, sizeBy) {
    if (view === "projection") return n.kind === "partner" && num(n.px) !== null;
    if (view === "overview" && n.kind !== "community") return topPlace(n, sizeBy) !== null;
    return true;
  }
  function position(n, view, sizeBy) {
    if (view === "projection") return { x: n.px, y: n.py };
    if (view === "overview" && n.kind !== "community") return topPlace(n, sizeBy);
    return { x: n.x, y: n.y };
  }
  /** A view's edges whose two ends are in the view. */
  function viewEdges(m, view, sizeBy) {
    return (m.edges[view] || []).filter(function (e) {
      return inView(m.byId.get(e.from), view, sizeBy) && inView(m.byId.get(e.to), view, sizeBy);
    });
  }
  /** id -> [[other id, edge], ...] over a list of edges. */
  function adjacency(edges) {
    var adj = new Map();
    edges.forEach(function (e) {
      if (!adj.has(e.from)) adj.set(e.from, []);
      if (!adj.has(e.to)) adj.set(e.to, []);
      adj.get(e.from).push([e.to, e]);
      adj.get(e.to).push([e.from, e]);
    });
    return adj;
  }

  // ---- filters ----------------------------------------------------------------------------------
  // A node passes the filters on its own side: categories (of its kind, or of every node) and,
  // for a project, the years.
  function sidePass(m, n, f) {
    for (var key in f.categories) {
      if (!f.categories[key]) continue;
      var c = m.categoryByKey.get(key);
      if (!c || c.scope === "participation") continue;
      if (c.scope !== "node" && c.scope !== n.kind) continue;
      if (str(n.attrs[key]) !== f.categories[key]) return false;
    }
    if (n.kind === "project" && m.years) {
      var y = num(n.year);
      if (f.yearFrom !== null && (y === null || y < f.yearFrom)) return false;
      if (f.yearTo !== null && (y === null || y > f.yearTo)) return false;
    }
    return true;
  }
  /**
   * Which sides the filters restrict: { partner, project: booleans, role: [[key, value], ...] }
   * (a role is an attribute of a participation, that is of a bipartite edge).
   */
  function activeSides(m, f) {
    var sides = { partner: false, project: false, role: [] };
    for (var key in f.categories) {
      if (!f.categories[key]) continue;
      var c = m.categoryByKey.get(key);
      if (!c) continue;
      if (c.scope === "participation") sides.role.push([key, f.categories[key]]);
      else if (c.scope === "partner" || c.scope === "project") sides[c.scope] = true;
    }
    var y = m.years;
    if (y && ((f.yearFrom !== null && f.yearFrom > y[0]) || (f.yearTo !== null && f.yearTo < y[1]))) {
      sides.project = true;
    }
    return sides;
  }
  function edgePass(e, sides) {
    for (var i = 0; i < sides.role.length; i++) {
      if (str(e.attrs[sides.role[i][0]]) !== sides.role[i][1]) return false;
    }
    return true;
  }
  function ownPass(m, n, f) {
    if (f.kinds[n.kind]) return false;
    if (f.community !== "" && String(n.community) !== f.community) return false;
    if (f.metric && f.min !== null && n.kind !== "community") {
      var v = num(n.metrics[f.metric]);
      if (v === null || v < f.min) return false;
    }
    return sidePass(m, n, f);
  }
  /**
   * The ids of the current view's nodes that pass every filter (a Set). A filter on one side
   * keeps, on the other side, only the nodes linked to a node that passes it (by a participation
   * that passes the role filter): filtering partners by type keeps the projects they are in.
   * `inTime`, when given, is the Set of ids active in the time slider's period (null: no period),
   * so a page that has computed the period already does not compute it again.
   */
  function visibleIds(m, state, inTime) {
    var f = state.filters, sides = activeSides(m, f), shown = new Set(), t = state.time;
    if (inTime === undefined) inTime = t && m.edges.bipartite.length ? period(m, t.from, t.to, t.cumulative).active : null;
    m.nodes.forEach(function (n) {
      if (!inView(n, state.view, state.sizeBy) || !ownPass(m, n, f)) return;
      if (inTime && !inTime.has(n.id)) return;
      var other = n.kind === "partner" ? "project" : n.kind === "project" ? "partner" : null;
      if (other && (sides[other] || sides.role.length) && m.bipartiteOf.size) {
        var ok = (m.bipartiteOf.get(n.id) || []).some(function (e) {
          var o = m.byId.get(e.from === n.id ? e.to : e.from);
          return edgePass(e, sides) && sidePass(m, o, f);
        });
        if (!ok) return;
      }
      shown.add(n.id);
    });
    return shown;
  }
  /** Whether an edge is drawn: both ends shown and, on the bipartite view, its role passes. */
  function edgeShown(e, shown, view, sides) {
    return shown.has(e.from) && shown.has(e.to) && (view !== "bipartite" || edgePass(e, sides));
  }


  // ---- time -------------------------------------------------------------------------------------
  // A project runs over the years [year, end] (only a start: its start year); it is active in a
  // period [a, b] when the two overlap, and a partner is active when one of its projects is.
  /** A project's years [first, last], or null (a partner, or a project without a year). */
  function span(n) {
    var a = n && n.kind === "project" ? num(n.year) : null;
    if (a === null) return null;
    var b = num(n.end);
    return [a, b !== null && b > a ? b : a];
  }
  /** The first and last year any project runs, [first, last], or null when no project has a year. */
  function timeline(m) {
    if (m.overviewTime) return m.overviewTime.years.slice();
    var out = null;
    m.nodes.forEach(function (n) {
      var s = span(n);
      if (!s) return;
      out = out ? [Math.min(out[0], s[0]), Math.max(out[1], s[1])] : s.slice();
    });
    return out;
  }
  /** Each partner's first active year (the earliest start of its dated projects): a Map id -> year. */
  function firstYears(m) {
    var first = new Map();
    m.edges.bipartite.forEach(function (e) {
      var a = m.byId.get(e.from), b = m.byId.get(e.to), p = a.kind === "project" ? a : b, q = p === a ? b : a;
      var s = span(p);
      if (!s || q.kind !== "partner") return;
      if (!first.has(q.id) || s[0] < first.get(q.id)) first.set(q.id, s[0]);
    });
    return first;
  }
  /**
   * The time slider's period: the nodes active in it and its figures. With `cumulative`, the
   * nodes active in any year up to `to`; otherwise those active in [from, to]. The newcomers are
   * the active partners whose first active year lies in [from, to] (active in no earlier year).
   * Returns { from, to, cumulative, active: Set of ids, newcomers: Set of ids,
   * figures: { partners, projects, participations, newcomers } } (a participation counts when its
   * project is active).
   */
  function period(m, from, to, cumulative, first) {
    if (m.overviewTime) return overviewPeriod(m, from, to, cumulative);
    first = first || firstYears(m);
    var line = timeline(m), lo = cumulative && line ? Math.min(line[0], from) : from;
    var active = new Set(), newcomers = new Set(), fig = { partners: 0, projects: 0, participations: 0, newcomers: 0 };
    m.nodes.forEach(function (n) {
      var s = span(n);
      if (s && s[0] <= to && s[1] >= lo) { active.add(n.id); fig.projects++; }
    });
    m.edges.bipartite.forEach(function (e) {
      var a = m.byId.get(e.from), b = m.byId.get(e.to), p = a.kind === "project" ? a : b, q = p === a ? b : a;
      if (!active.has(p.id) || q.kind !== "partner") return;
      fig.participations++;
      if (active.has(q.id)) return;
      active.add(q.id);
      fig.partners++;
      var y = first.get(q.id);
      if (y !== undefined && y >= from && y <= to) { newcomers.add(q.id); fig.newcomers++; }
    });
    return { from: from, to: to, cumulative: !!cumulative, active: active, newcomers: newcomers, figures: fig };
  }
  /**
   * The overview's period, looked up in the payload's counts: the communities with active partners
   * in it and the top partners active in it (`active`), each community's active partners and projects
   * (`members`: id -> {partners, projects}), the projects each community link shares in it (`links`:
   * the edge's k -> count) and the figures of the whole graph. No newcomer is ringed on the overview.
   */
  function overviewPeriod(m, from, to, cumulative) {
    var t = m.overviewTime, lo = cumulative ? Math.min(t.years[0], from) : from;
    var entry = t.periods[lo + "-" + to] || null, own = t.periods[from + "-" + to] || null;
    var active = new Set(), members = new Map(), links = new Map(), f = entry ? arr(entry.f) : [];
    m.nodes.forEach(function (n) {
      if (n.kind === "community") {
        var c = entry ? arr(arr(entry.c)[n.id]) : [];
        var counts = { partners: num(c[0]) || 0, projects: num(c[1]) || 0 };
        members.set(n.id, counts);
        if (counts.partners > 0) active.add(n.id);
      } else if (arr(n.active).some(function (y) { return y >= lo && y <= to; })) active.add(n.id);
    });
    m.edges.overview.forEach(function (e) {
      if (num(e.link) !== null) links.set(e.k, num(arr(entry ? entry.l : [])[e.link]) || 0);
    });
    return {
      from: from, to: to, cumulative: !!cumulative, active: active, newcomers: new Set(), members: members, links: links,
      figures: { partners: num(f[0]) || 0, projects: num(f[1]) || 0, participations: num(f[2]) || 0,
                 newcomers: own ? num(arr(own.f)[3]) || 0 : 0 }
    };
  }
  /** The period one step of play after `time` ({from, to, cumulative}): one year later, the same width; null past the last year. */
  function nextPeriod(time, line) {
    if (!line || time.to >= line[1]) return null;
    return { from: time.from + 1, to: time.to + 1, cumulative: time.cumulative };
  }
  /** The period's figures as labelled lines in the page's language: [{key, label, value}]. */
  function periodFigures(m, p) {
    return ["partners", "projects", "participations", "newcomers"].filter(function (k) {
      return k in p.figures;
    }).map(function (k) {
      return { key: k, label: say(m, "time_" + k), value: count(p.figures[k], m) };
    });
  }
  /**
   * The figures of every year, projects without a date included: all the map's partners, projects
   * and participations (no newcomers: there is no earlier period). Shown while no period is picked,
   * so that "all years" never counts only the dated projects.
   */
  function allFigures(m) {
    var all = m.overviewTime ? m.overviewTime.all : null;
    if (all && all.length === 3 && all.every(function (v) { return v !== null; })) {  // the overview: counted in Python
      return { figures: { partners: all[0], projects: all[1], participations: all[2] } };
    }
    var fig = { partners: 0, projects: 0, participations: m.edges.bipartite.length };
    m.nodes.forEach(function (n) { if (n.kind === "partner") fig.partners++; else if (n.kind === "project") fig.projects++; });
    return { figures: fig };
  }
  /** The period in words: "2018–2020", "2019", or, cumulative, "up to 2020 (new from 2019)". */
  function periodText(m, p) {
    var years = p.from === p.to ? String(p.to) : say(m, "time_span", { from: p.from, to: p.to });
    return p.cumulative ? say(m, "time_up_to", { to: p.to, years: years }) : years;
  }

  // ---- the link: the page's state in the URL's fragment ---------------------------------------------
  // "#view=projection&colour=attr%3Atype&size=degree&focus=12&depth=2&hide=project&community=3
  //  &attr.type=municipality&years=2018-2020&min=degree%3A0.5&time=2018-2020&cumulative=1&embed=1":
  // only what differs from the page's first state, so a plain link stays short.
  /** The state as a URL fragment (without "#"); `embed` adds embed=1. */
  function stateLink(m, state, embed) {
    var first = initialState(m), f = state.filters, q = [];
    function put(k, v) { q.push(encodeURIComponent(k) + "=" + encodeURIComponent(String(v))); }
    if (state.view !== first.view) put("view", state.view);
    if (state.colorBy !== first.colorBy) put("colour", state.colorBy);
    if (state.sizeBy !== first.sizeBy) put("size", state.sizeBy);
    if (state.focus !== null) put("focus", state.focus);
    if (state.depth !== 1) put("depth", state.depth);
    var hide = Object.keys(f.kinds).filter(function (k) { return f.kinds[k]; }).sort();
    if (hide.length) put("hide", hide.join(","));
    if (f.community !== "") put("community", f.community);
    Object.keys(f.categories).sort().forEach(function (k) { if (f.categories[k]) put("attr." + k, f.categories[k]); });
    if (f.yearFrom !== null || f.yearTo !== null) put("years", str(f.yearFrom) + "-" + str(f.yearTo));
    if (f.metric && f.min !== null) put("min", f.metric + ":" + f.min);
    if (state.time) {
      put("time", state.time.from + "-" + state.time.to);
      if (state.time.cumulative) put("cumulative", 1);
    }
    if (embed) put("embed", 1);
    return q.join("&");
  }
  function whole(text) { return /^-?\d+$/.test(text) ? Number(text) : null; }
  /**
   * The state a fragment describes (`text`, with or without "#"), checked against the model: names
   * that are not the page's (a view, metric, attribute, value or node it lacks) are left out.
   * Returns { state, embed }.
   */
  function readLink(m, text) {
    var state = initialState(m), f = state.filters, embed = false, cumulative = false;
    str(text).replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("="), k, v;
      try {
        k = decodeURIComponent(at < 0 ? part : part.slice(0, at));
        v = at < 0 ? "" : decodeURIComponent(part.slice(at + 1).replace(/\+/g, " "));
      } catch (err) { return; }
      if (k === "view" && m.views.some(function (x) { return x.key === v; })) state.view = v;
      else if (k === "colour" && (v === "community" ||
               (v.indexOf("attr:") === 0 && m.categoryByKey.has(v.slice(5)) && m.categoryByKey.get(v.slice(5)).scope !== "participation"))) state.colorBy = v;
      else if (k === "size" && m.metricByKey.has(v)) state.sizeBy = v;
      else if (k === "focus" && m.byId.has(whole(v))) state.focus = whole(v);
      else if (k === "depth" && [1, 2, 3].indexOf(whole(v)) >= 0) state.depth = whole(v);
      else if (k === "hide") v.split(",").forEach(function (kind) { if (m.kinds.some(function (x) { return x.key === kind; })) f.kinds[kind] = true; });
      else if (k === "community" && communities(m).indexOf(whole(v)) >= 0) f.community = String(whole(v));
      else if (k.indexOf("attr.") === 0 && m.categoryByKey.has(k.slice(5)) && arr(m.categoryByKey.get(k.slice(5)).values).map(str).indexOf(v) >= 0) f.categories[k.slice(5)] = v;
      else if (k === "years" && m.years) {
        var y = v.split("-");
        f.yearFrom = whole(y[0] || "");
        f.yearTo = whole(y[1] || "");
      } else if (k === "min") {
        var c = v.lastIndexOf(":"), key = v.slice(0, c), min = Number(v.slice(c + 1));
        if (c > 0 && m.metricByKey.has(key) && v.slice(c + 1) !== "" && isFinite(min)) { f.metric = key; f.min = min; }
      } else if (k === "time") {
        var t = v.split("-"), a = whole(t[0] || ""), b = whole(t[1] || ""), line = timeline(m);
        if (line && a !== null && b !== null && a <= b) state.time = { from: Math.max(a, line[0]), to: Math.min(b, line[1]), cumulative: false };
      } else if (k === "cumulative") cumulative = v === "1";
      else if (k === "embed") embed = v !== "0";
    });
    if (state.time && cumulative) state.time.cumulative = true;
    if (state.time && state.time.from > state.time.to) state.time = null;
    if (state.focus !== null && !inView(m.byId.get(state.focus), state.view, state.sizeBy)) state.focus = null;
    return { state: state, embed: embed };
  }

  // ---- neighbourhoods -----------------------------------------------------------------------------
  /**
   * The ids within `depth` steps of `id` (itself included) along the edges for which
   * `keepEdge(edge)` is true (in the page: the edges drawn).
   */
  function neighbourhood(adj, id, depth, keepEdge) {
    var near = new Set([id]), frontier = [id];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (a) {
        (adj.get(a) || []).forEach(function (pair) {
          if (!near.has(pair[0]) && keepEdge(pair[1])) {
            near.add(pair[0]);
            next.push(pair[0]);
          }
        });
      });
      frontier = next;
    }
    return near;
  }
  /**
   * A node's neighbours among the shown ones, as [[other id, edge], ...], sorted by name
   * (case and accents aside, numbers in numeric order; then by exact text).
   */
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  function neighbours(m, adj, id, shown) {
    var pairs = (adj.get(id) || []).filter(function (p) { return shown.has(p[0]); });
    return pairs.sort(function (a, b) {
      var x = fullName(m.byId.get(a[0])), y = fullName(m.byId.get(b[0]));
      return collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);
    });
  }

  // ---- search ---------------------------------------------------------------------------------------
  /** Text as search compares it: accents dropped, lower case, spaces collapsed ("Università" -> "universita"). */
  function searchKey(text) {
    return str(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var WORD_CHAR = /[0-9a-z\u00df-\uffff]/;
  /** How well a name matches a query (both searchKey'd): 0 the same, 1 starts with it, 2 a word starts with it, 3 contains it, -1 not. */
  function matchTier(key, q) {
    if (key === q) return 0;
    var at = key.indexOf(q);
    if (at < 0) return -1;
    if (at === 0) return 1;
    while (at > 0) {
      if (!WORD_CHAR.test(key.charAt(at - 1))) return 2;
      at = key.indexOf(q, at + 1);
    }
    return 3;
  }
  /**
   * The nodes whose name matches the query, best first, case and accents aside: the same name (the
   * very text typed first), then names starting with the query, then names with a word starting with
   * it, then names containing it; within each, the highest `weight(node)` (the size metric) first,
   * then payload order.
   */
  function rankMatches(candidates, query, weight) {
    var q = searchKey(query);
    if (!q) return [];
    var typed = str(query).trim(), hits = [];
    candidates.forEach(function (n, k) {
      var name = fullName(n), tier = matchTier(searchKey(name), q);
      if (tier < 0) return;
      hits.push({ n: n, k: k, tier: tier, exact: name === typed ? 0 : 1, w: weight ? num(weight(n)) || 0 : 0 });
    });
    hits.sort(function (a, b) { return a.tier - b.tier || a.exact - b.exact || b.w - a.w || a.k - b.k; });
    return hits.map(function (h) { return h.n; });
  }
  /** A node's weight in search and labels: its size metric (a community: its partners). */
  function weightOf(n, sizeBy) {
    if (n.kind === "community") return num((n.members || {}).partners) || 0;
    return num(n.metrics[sizeBy]) || 0;
  }
  /** The nodes of the view a search finds, best first (see rankMatches; ties by the size metric). */
  function search(m, query, view, sizeBy) {
    var candidates = m.nodes.filter(function (n) { return inView(n, view, sizeBy); });
    return rankMatches(candidates, query, function (n) { return weightOf(n, sizeBy); });
  }
  /** The node a search selects (the best match among the nodes of the view), or null. */
  function findNode(m, query, view, sizeBy) {
    return search(m, query, view, sizeBy)[0] || null;
  }
  /** The names offered as search suggestions: each name of the view once, in payload order. */
  function suggestions(m, view, sizeBy) {
    var seen = new Set(), out = [];
    m.nodes.forEach(function (n) {
      var name = fullName(n);
      if (!inView(n, view, sizeBy) || !name || seen.has(name)) return;
      seen.add(name);
      out.push(name);
    });
    return out;
  }

  // ---- colours --------------------------------------------------------------------------------------------
  /** Whether a node can have a category's value (a partner attribute: partners only). */
  function inScope(c, n) {
    return !c || c.scope === "node" || c.scope === "participation" || c.scope === n.kind;
  }
  function categoryColour(m, n, key) {
    var c = m.categoryByKey.get(key), value = n.attrs[key];
    if (!inScope(c, n)) return m.notApplicable;
    if (value === undefined || value === "") return m.missing;
    return validColour(c ? c.colors[value] : null) || m.other;
  }
  /** A node's colour: by its community ("community") or by an attribute ("attr:<key>"). */
  function colourOf(m, n, colorBy) {
    if (colorBy.indexOf("attr:") === 0) return categoryColour(m, n, colorBy.slice(5));
    return validColour(m.communityColours[String(n.community)]) || m.other;
  }

  // ---- sizes and labels ---------------------------------------------------------------------------------------
  /** The largest value of the size metric among the view's nodes, and how many nodes the view has. */
  function viewTotals(m, view, sizeBy) {
    var top = 0, total = 0;
    m.nodes.forEach(function (n) {
      if (!inView(n, view, sizeBy)) return;
      total++;
      var v = num(n.metrics[sizeBy]);
      if (v !== null && v > top) top = v;
    });
    return { top: top, total: total };
  }
  /**
   * A node's radius at zoom 1: MIN_SIZE to MAX_SIZE by the square root of its metric over the
   * largest (area follows the metric); 10 without a value; a community by its partners (those active
   * in the time slider's period when `counts`, id -> {partners, projects}, is given).
   */
  function sizeOf(m, n, sizeBy, top, counts) {
    if (n.kind === "community") {
      var members = num((counts && counts.has(n.id) ? counts.get(n.id) : n.members || {}).partners) || 0;
      return Math.round(10 * (16 + 34 * Math.sqrt(members / (m.topMembers || 1)))) / 10;
    }
    var v = num(n.metrics[sizeBy]);
    if (v === null || !(top > 0)) return 10;
    return Math.round(10 * (MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(Math.max(v, 0) / top))) / 10;
  }
  /** Where a size sits between MIN_SIZE (0) and MAX_SIZE (1): vis-network's scaling function. */
  function sizeFraction(size) { return (size - MIN_SIZE) / (MAX_SIZE - MIN_SIZE); }
  /**
   * The font size (canvas pixels) of the largest node's label at zoom `scale`: 18 px on screen,
   * at least 18 (so none is under 14 px at zoom 1) and at most 60 (so zooming far out does not
   * make labels huge on the canvas).
   */
  function labelMax(scale) {
    return Math.round(Math.min(60, Math.max(18, 18 / (scale || 1))));
  }
  /**
   * vis-network's label scaling for zoom `scale` (labels grow with their nodes); before the
   * first zoom is known (no `scale`), the largest label is LABEL_MAX_VISIBLE px.
   */
  function labelScaling(scale) {
    var max = scale === undefined ? LABEL_MAX_VISIBLE : labelMax(scale);
    return { enabled: true, min: LABEL_MIN, max: max, drawThreshold: LABEL_THRESHOLD };
  }
  /** A node's label font size (canvas pixels) for its size, when the largest label is `max`. */
  function labelSize(size, max) {
    return LABEL_MIN + sizeFraction(size) * (max - LABEL_MIN);
  }
  /**
   * The labels at zoom `scale`, for nodes given as [{id, size}]: each label's font size on the
   * canvas and on screen, and whether it is drawn (vis-network skips one under
   * LABEL_THRESHOLD - 1 px on screen, and draws none over LABEL_MAX_VISIBLE px). A map seen whole
   * names its largest nodes; the others appear as you zoom in.
   */
  function labels(sized, scale) {
    var max = labelMax(scale);
    return sized.map(function (s) {
      var font = labelSize(s.size, max), screen = font * scale;
      return {
        id: s.id,
        font: font,
        screen: Math.min(screen, LABEL_MAX_VISIBLE),
        shown: screen >= LABEL_THRESHOLD - 1
      };
    });
  }

  /**
   * The labels to draw, none overlapping another: `candidates` are boxes on screen
   * [{id, x, y, width, height, tier, weight}], placed greedily, highest `tier` first (the node in
   * focus, then its neighbourhood), then highest `weight` (the size metric), then lowest id; a box
   * that overlaps one already placed, or does not lie wholly inside `area` ({width, height}), is left out.
   * A grid of LABEL_CELL px squares holds the placed boxes, so each box is checked only against its
   * neighbours. Returns the placed boxes, in the order placed.
   */
  var LABEL_CELL = 64;
  function placeLabels(candidates, area) {
    var order = candidates.slice().sort(function (a, b) {
      return (b.tier || 0) - (a.tier || 0) || (num(b.weight) || 0) - (num(a.weight) || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var grid = new Map(), placed = [];
    function cells(box, visit) {
      var x0 = Math.floor(box.x / LABEL_CELL), x1 = Math.floor((box.x + box.width) / LABEL_CELL);
      var y0 = Math.floor(box.y / LABEL_CELL), y1 = Math.floor((box.y + box.height) / LABEL_CELL);
      for (var cx = x0; cx <= x1; cx++) for (var cy = y0; cy <= y1; cy++) if (visit(cx + "," + cy) === false) return false;
      return true;
    }
    order.forEach(function (box) {
      if (!(box.width > 0 && box.height > 0)) return;
      if (area && (box.x < 0 || box.y < 0 || box.x + box.width > area.width || box.y + box.height > area.height)) return;
      var free = cells(box, function (key) {
        var list = grid.get(key) || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (box.x < o.x + o.width && o.x < box.x + box.width && box.y < o.y + o.height && o.y < box.y + box.height) return false;
        }
        return true;
      });
      if (!free) return;
      cells(box, function (key) {
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(box);
      });
      placed.push(box);
    });
    return placed;
  }

  // ---- what vis-network draws ---------------------------------------------------------------------------------------
  function nodeTitle(m, n) {
    return fullName(n) + "\n" + (n.kind === "community" ? say(m, "kind_community")
      : say(m, "node_kind", { kind: say(m, "kind_" + str(n.kind)), community: str(n.community) }));
  }
  /** A view's nodes as vis-network items (ids, canvas labels, shapes, stored positions, tooltips). */
  function visNodes(m, view, sizeBy) {
    var out = [];
    m.nodes.forEach(function (n) {
      if (!inView(n, view, sizeBy)) return;
      var p = position(n, view, sizeBy), v = { id: n.id, label: str(n.label) };
      v.shape = VIS_SHAPES.indexOf(n.shape) >= 0 ? n.shape : "dot";
      if (num(p.x) !== null && num(p.y) !== null) { v.x = p.x; v.y = p.y; }
      v.title = nodeTitle(m, n);
      out.push(v);
    });
    return out;
  }
  /** Edge width: 1 to 6 by the log of the weight over the largest (unset when all weigh 1). */
  function edgeWidth(weight, maxWeight) {
    if (num(weight) === null || !(maxWeight > 1)) return null;
    return Math.round(10 * (1 + 5 * Math.log(weight) / Math.log(maxWeight))) / 10;
  }
  /** A view's edges as vis-network items; an edge's id is the view's initial and its index. */
  function visEdges(edges, view) {
    var maxWeight = edges.reduce(function (mx, e) { return Math.max(mx, num(e.weight) || 0); }, 0);
    return edges.map(function (e) {
      var v = { id: view.charAt(0) + e.k, from: e.from, to: e.to };
      var text = Object.keys(e.attrs).map(function (k) { return k + ": " + str(e.attrs[k]); }).join("\n");
      if (text) v.title = text;
      var width = edgeWidth(e.weight, maxWeight);
      if (width !== null) v.width = width;
      if (e.member) v.dashes = true;
      return v;
    });
  }
  /**
   * How a node is drawn now: hidden by the filters, dimmed outside the focus, its colour and size;
   * a newcomer of the time slider's period (in the Set `fresh`) with a thick dark ring.
   */
  function nodeStyle(m, state, n, shown, near, top, fresh, counts) {
    var dim = !!near && !near.has(n.id), colour = dim ? DIM : colourOf(m, n, state.colorBy);
    var isNew = !dim && !!fresh && fresh.has(n.id);
    return {
      id: n.id,
      hidden: !shown.has(n.id),
      color: dim ? { background: DIM, border: DIM }
        : isNew ? { background: colour, border: NEW_RING, highlight: { background: colour, border: NEW_RING } } : colour,
      borderWidth: isNew ? NEW_RING_WIDTH : 1,
      font: { color: dim ? DIM_FONT : FONT },
      value: sizeOf(m, n, state.sizeBy, top, counts)
    };
  }
  /** How an edge is drawn now (its id as in visEdges). */
  function edgeStyle(e, view, visible, near) {
    var dim = !!near && !(near.has(e.from) && near.has(e.to));
    return {
      id: view.charAt(0) + e.k,
      hidden: !visible,
      color: dim ? { color: DIM_EDGE } : { color: EDGE, highlight: EDGE_HIGHLIGHT }
    };
  }

  // ---- legend and texts ------------------------------------------------------------------------------------------
  function kindLabel(m, kind) {
    var k = m.kinds.filter(function (x) { return x.key === kind; })[0];
    return str(k ? k.label : kind);
  }
  /** "Community 3: its name" (just "Community 3" without a name). */
  function communityLabel(m, c) {
    var name = str(m.communityNames[String(c)]);
    return name ? say(m, "community_named", { community: c, name: name }) : say(m, "community_n", { community: c });
  }
  function legendLabel(m, colorBy, colour, sample) {
    if (colorBy.indexOf("attr:") === 0) {
      var c = m.categoryByKey.get(colorBy.slice(5));
      if (colour === m.notApplicable && c) {
        return say(m, "not_applicable", { kinds: kindLabel(m, sample.kind), attribute: str(c.label), scope: kindLabel(m, c.scope).toLowerCase() });
      }
      if (colour === m.missing) return say(m, "no_value", { label: str(c ? c.label : say(m, "some_value")) });
      if (colour === m.other) return say(m, "other_values");
      return str(sample.attrs[colorBy.slice(5)]);
    }
    if (colour === m.other) return say(m, "other_communities");
    return communityLabel(m, sample.community);
  }
  /**
   * The colour legend of the shown nodes: one entry per colour drawn, {colour, label, count},
   * in community order (or the attribute's value order), "other" and "missing" last. On the overview a
   * community counts its partners (those active in the period when `counts` is given), not the nodes drawn.
   */
  function legend(m, shown, colorBy, counts) {
    var entries = new Map();
    m.nodes.forEach(function (n) {
      if (!shown.has(n.id)) return;
      var c = colourOf(m, n, colorBy);
      if (!entries.has(c)) entries.set(c, { colour: c, sample: n, count: 0 });
      entries.get(c).count++;
    });
    var rank = function (c) {
      if (c === m.other) return 1e6;
      if (c === m.missing) return 1e6 + 1;
      if (c === m.notApplicable) return 1e6 + 2;
      return 0;
    };
    // The overview counts each community's members, not the few nodes it draws of them.
    var overviewCounts = m.mode === "overview" && colorBy.indexOf("attr:") !== 0;
    var list = Array.from(entries.values());
    if (colorBy.indexOf("attr:") !== 0) {
      list.sort(function (a, b) { return rank(a.colour) - rank(b.colour) || a.sample.community - b.sample.community; });
    } else {
      var key = colorBy.slice(5), cat = m.categoryByKey.get(key), values = arr(cat && cat.values);
      list.sort(function (a, b) {
        return rank(a.colour) - rank(b.colour) ||
          values.indexOf(str(a.sample.attrs[key])) - values.indexOf(str(b.sample.attrs[key]));
      });
    }
    return list.map(function (e) {
      var count = e.count;
      if (overviewCounts && e.colour !== m.other) {
        var node = m.nodes.filter(function (n) { return n.kind === "community" && n.community === e.sample.community; })[0];
        if (node) count = num((counts && counts.has(node.id) ? counts.get(node.id) : node.members || {}).partners) || count;
      }
      return { colour: e.colour, label: legendLabel(m, colorBy, e.colour, e.sample), count: count };
    });
  }
  /** The shape legend of a view (the partner view has no projects). */
  function legendShapes(m, view) {
    return m.shapes.filter(function (s) { return !(view === "projection" && s.shape === "square"); });
  }
  /** What the size of a node means, for the legend ("" without a metric). */
  function sizeNote(m, sizeBy) {
    var metric = m.metricByKey.get(sizeBy);
    if (!metric) return "";
    return metric.about ? say(m, "size_about", { label: metric.label, about: metric.about }) : say(m, "size", { label: metric.label });
  }
  /** The communities present, in numeric order (the community filter's choices). */
  function communities(m) {
    var seen = new Set();
    m.nodes.forEach(function (n) { if (num(n.community) !== null) seen.add(n.community); });
    return Array.from(seen).sort(function (a, b) { return a - b; });
  }
  function shownText(m, shown, total) { return say(m, "shown", { shown: count(shown, m), total: count(total, m) }); }
  /** What the details panel says of a link: the participation's attributes, or the shared projects. */
  function edgeInfo(m, e, view) {
    if (view === "bipartite") return Object.keys(e.attrs).map(function (k) { return k + ": " + str(e.attrs[k]); }).join(", ");
    return num(e.weight) !== null ? say(m, e.weight === 1 ? "shared_one" : "shared_many", { count: fmt(e.weight, m) }) : "";
  }
  /** A file name for the PNG of a map: the title's letters, digits, dots, dashes and underscores. */
  return Object.freeze({
    DIM: DIM, DIM_EDGE: DIM_EDGE, NEW_RING: NEW_RING, NEW_RING_WIDTH: NEW_RING_WIDTH, DIM_FONT: DIM_FONT, FONT: FONT, MIN_SIZE: MIN_SIZE, MAX_SIZE: MAX_SIZE,
    arr: arr, str: str, num: num, dict: dict, validColour: validColour, fmt: fmt, count: count, fullName: fullName,
    fill: fill, say: say,
    model: model, noFilters: noFilters, initialState: initialState,
    inView: inView, position: position, viewEdges: viewEdges, adjacency: adjacency,
    activeSides: activeSides, edgePass: edgePass, visibleIds: visibleIds, edgeShown: edgeShown,
    neighbourhood: neighbourhood, neighbours: neighbours,
    span: span, timeline: timeline, firstYears: firstYears, period: period, overviewPeriod: overviewPeriod, nextPeriod: nextPeriod,
    periodFigures: periodFigures, allFigures: allFigures, periodText: periodText, stateLink: stateLink, readLink: readLink,
    searchKey: searchKey, matchTier: matchTier, rankMatches: rankMatches, weightOf: weightOf, search: search,
    findNode: findNode, suggestions: suggestions,
    colourOf: colourOf,
    viewTotals: viewTotals, sizeOf: sizeOf, sizeFraction: sizeFraction,
    labelMax: labelMax, labelScaling: labelScaling, labelSize: labelSize, labels: labels, placeLabels: placeLabels,
    visNodes: visNodes, visEdges: visEdges, edgeWidth: edgeWidth, nodeStyle: nodeStyle, edgeStyle: edgeStyle,
    legend: legend, legendShapes: legendShapes, communityLabel: communityLabel, inScope: inScope, sizeNote: sizeNote, communities: communities,
    shownText: shownText, edgeInfo: edgeInfo
  });
}));
