(function () {
  "use strict";

  var HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
  var MAP_LINK = /^communities\/community-[0-9]+\.html$/;
  var BACK_LINK = /^\.\.\/map\.html$/;  // a community map's way back to the overview
  var HINT = "Click a node or search to see its details";
  var DIM = "#E4E6E8", DIM_EDGE = "#EEF0F2", DIM_FONT = "#B8BCC0";
  // Shapes vis-network draws by itself (no image/icon shapes, which could load URLs).
  var VIS_SHAPES = ["dot", "square", "diamond", "triangle", "triangleDown", "star",
                    "hexagon", "ellipse", "circle", "box", "database", "text"];
  // Shapes we can draw with CSS in the legend and the neighbour list.
  var CSS_SHAPES = { dot: "dot", circle: "dot", ellipse: "dot", square: "square", box: "square",
                     diamond: "diamond", triangle: "triangle", hexagon: "hexagon" };

  var payload = JSON.parse(document.getElementById("ecosys-data").textContent) || {};
  function arr(v) { return Array.isArray(v) ? v : []; }
  function str(value) { return value === null || value === undefined ? "" : String(value); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = str(text);
    if (className) node.className = className;
    return node;
  }
  // Data keys and values (attribute names, values) may be any text, "__proto__" or "constructor" too:
  // they are looked up in objects without a prototype, so they find only the data.
  function dict(o) { return Object.assign(Object.create(null), o && typeof o === "object" ? o : {}); }
  function empty(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function validColour(value) { return typeof value === "string" && HEX_COLOUR.test(value) ? value : null; }
  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }
  function fmt(v) {
    if (num(v) === null) return str(v);
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    return Number(v.toPrecision(4)).toString();
  }
  function shapeMarker(shape, colour, className) {
    var cssShape = CSS_SHAPES[shape] || "dot";
    var mark = el("span", undefined, className + " shape-" + cssShape);
    mark.setAttribute("aria-hidden", "true");
    var c = validColour(colour);
    if (c) {
      if (cssShape === "triangle") mark.style.borderBottomColor = c;
      else mark.style.backgroundColor = c;
    }
    return mark;
  }
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = str(label);
    select.appendChild(o);
    return o;
  }

  // ---- header -------------------------------------------------------------
  document.getElementById("map-title").textContent = str(payload.title);
  document.getElementById("map-subtitle").textContent = str(payload.subtitle);
  var noteEl = document.getElementById("map-note");
  if (str(payload.note)) { noteEl.textContent = str(payload.note); noteEl.hidden = false; }
  var backEl = document.getElementById("map-back");
  if (typeof payload.back === "string" && BACK_LINK.test(payload.back)) { backEl.href = payload.back; backEl.hidden = false; }

  // ---- data ---------------------------------------------------------------
  function fullName(n) { return str(n.name) || str(n.label); }
  var byId = new Map();
  var order = [];                 // payload order, used for search precedence
  arr(payload.nodes).forEach(function (n) {
    if (!n || typeof n.id !== "number" || byId.has(n.id)) return;
    n.attrs = dict(n.attrs);
    n.metrics = (n.metrics && typeof n.metrics === "object") ? n.metrics : {};
    byId.set(n.id, n);
    order.push(n);
  });
  var metrics = arr(payload.metrics).filter(function (m) { return m && typeof m.key === "string"; });
  var metricByKey = new Map(metrics.map(function (m) { return [m.key, m]; }));
  var categories = arr(payload.categories).filter(function (c) { return c && typeof c.key === "string"; });
  categories.forEach(function (c) { c.colors = dict(c.colors); });
  var categoryByKey = new Map(categories.map(function (c) { return [c.key, c]; }));
  var communityColours = payload.community_colors || {};
  var OTHER = validColour(payload.other_color) || "#BBBBBB";
  var MISSING = validColour(payload.missing_color) || "#F0F0F0";

  // Edges of each view; the bipartite edges also decide which side-filtered nodes stay.
  function cleanEdges(list) {
    return arr(list).filter(function (e) { return e && byId.has(e.from) && byId.has(e.to); })
      .map(function (e, k) {
        e.attrs = dict(e.attrs);
        e.k = k;
        return e;
      });
  }
  var viewEdgeLists = {
    bipartite: cleanEdges(payload.edges),
    projection: cleanEdges(payload.projection),
    overview: payload.mode === "overview" ? cleanEdges(payload.edges) : []
  };
  if (payload.mode === "overview") viewEdgeLists.bipartite = [];
  var bipartiteOf = new Map();   // node id -> [edge] on the bipartite graph
  viewEdgeLists.bipartite.forEach(function (e) {
    [e.from, e.to].forEach(function (id) {
      if (!bipartiteOf.has(id)) bipartiteOf.set(id, []);
      bipartiteOf.get(id).push(e);
    });
  });
  var views = arr(payload.views).filter(function (v) { return v && viewEdgeLists[v.key]; });
  if (!views.length) views = [{ key: "bipartite", label: "Partners and projects" }];
  // The overview shows the top partners by the metric chosen in Size by, each placed for that metric.
  function topPlace(n) {
    var p = n.top_by && typeof n.top_by === "object" ? n.top_by[state.sizeBy] : null;
    return Array.isArray(p) && p.length === 2 ? { x: p[0], y: p[1] } : null;
  }
  function inView(n, view) {
    if (view === "projection") return n.kind === "partner" && num(n.px) !== null;
    if (view === "overview" && n.kind !== "community") return topPlace(n) !== null;
    return true;
  }
  function position(n, view) {
    if (view === "projection") return { x: n.px, y: n.py };
    if (view === "overview" && n.kind !== "community") return topPlace(n);
    return { x: n.x, y: n.y };
  }

  // ---- state ----------------------------------------------------------------
  var defaults = payload.defaults || {};
  var state = {
    view: views[0].key,
    colorBy: "community",
    sizeBy: metricByKey.has(defaults.size_by) ? defaults.size_by : (metrics[0] ? metrics[0].key : ""),
    focus: null,
    depth: 1,
    filters: { kinds: {}, community: "", categories: dict(), yearFrom: null, yearTo: null, metric: "", min: null }
  };
  var years = Array.isArray(payload.years) && payload.years.length === 2 ? payload.years : null;

  // ---- controls -------------------------------------------------------------
  var viewSelect = document.getElementById("view-select");
  views.forEach(function (v) { option(viewSelect, v.key, v.label); });
  viewSelect.disabled = views.length < 2;
  var colorSelect = document.getElementById("color-select");
  option(colorSelect, "community", "Community");
  categories.forEach(function (c) {
    if (c.scope !== "participation") option(colorSelect, "attr:" + c.key, c.label);
  });
  var sizeSelect = document.getElementById("size-select");
  metrics.forEach(function (m) { option(sizeSelect, m.key, m.label); });
  sizeSelect.value = state.sizeBy;
  sizeSelect.disabled = !metrics.length;

  var filterRows = document.getElementById("filter-rows");
  function row(labelText, control, id) {
    var div = el("div", undefined, "row");
    var label = el("label", labelText);
    if (id) { control.id = id; label.htmlFor = id; }
    div.appendChild(label);
    div.appendChild(control);
    filterRows.appendChild(div);
    return div;
  }
  // kinds
  var kindsDiv = el("div", undefined, "kinds");
  var kindsRow = el("div", undefined, "row");
  kindsRow.appendChild(el("span", "Show"));
  kindsRow.appendChild(kindsDiv);
  filterRows.appendChild(kindsRow);
  var kindBoxes = [];
  arr(payload.kinds).forEach(function (k) {
    if (!k || typeof k.key !== "string") return;
    if (!order.some(function (n) { return n.kind === k.key; })) return;
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = k.key;
    box.className = "kind-filter";
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + str(k.label)));
    kindsDiv.appendChild(label);
    kindBoxes.push(box);
    box.addEventListener("change", function () { state.filters.kinds[k.key] = !box.checked; refresh(); });
  });
  // community
  var communitySelect = document.createElement("select");
  option(communitySelect, "", "All communities");
  var communityCounts = new Map();
  order.forEach(function (n) {
    if (num(n.community) === null) return;
    communityCounts.set(n.community, (communityCounts.get(n.community) || 0) + 1);
  });
  Array.from(communityCounts.keys()).sort(function (a, b) { return a - b; }).forEach(function (c) {
    option(communitySelect, String(c), "Community " + c);
  });
  row("Community", communitySelect, "filter-community");
  communitySelect.addEventListener("change", function () { state.filters.community = communitySelect.value; refresh(); });
  // categories
  var categorySelects = [];
  categories.forEach(function (c, i) {
    var s = document.createElement("select");
    option(s, "", "Any");
    arr(c.values).forEach(function (v) { option(s, str(v), v); });
    s.dataset.key = c.key;
    row(c.label, s, "filter-attr-" + i);
    categorySelects.push(s);
    s.addEventListener("change", function () { state.filters.categories[c.key] = s.value; refresh(); });
  });
  // years
  var yearFrom = null, yearTo = null;
  if (years) {
    var pair = el("div", undefined, "pair");
    yearFrom = document.createElement("input");
    yearTo = document.createElement("input");
    [yearFrom, yearTo].forEach(function (input, i) {
      input.type = "number";
      input.min = years[0];
      input.max = years[1];
      input.step = 1;
      input.value = years[i];
      input.setAttribute("aria-label", i ? "Latest project year" : "Earliest project year");
      input.addEventListener("input", function () {
        var v = input.value === "" ? null : Number(input.value);
        if (i) state.filters.yearTo = v; else state.filters.yearFrom = v;
        refresh();
      });
    });
    yearFrom.id = "filter-year-from";
    yearTo.id = "filter-year-to";
    pair.appendChild(yearFrom);
    pair.appendChild(el("span", "to"));
    pair.appendChild(yearTo);
    var yearRow = el("div", undefined, "row");
    var yl = el("label", "Project years");
    yl.htmlFor = "filter-year-from";
    yearRow.appendChild(yl);
    yearRow.appendChild(pair);
    filterRows.appendChild(yearRow);
  }
  // minimum metric value
  var metricSelect = document.createElement("select");
  var metricMin = document.createElement("input");
  if (metrics.length) {
    var mpair = el("div", undefined, "pair");
    option(metricSelect, "", "(none)");
    metrics.forEach(function (m) { option(metricSelect, m.key, m.label); });
    metricSelect.id = "filter-metric";
    metricMin.type = "number";
    metricMin.step = "any";
    metricMin.id = "filter-min";
    metricMin.setAttribute("aria-label", "Minimum value");
    mpair.appendChild(metricSelect);
    mpair.appendChild(el("span", "\u2265"));
    mpair.appendChild(metricMin);
    var mrow = el("div", undefined, "row");
    var ml = el("label", "At least");
    ml.htmlFor = "filter-metric";
    mrow.appendChild(ml);
    mrow.appendChild(mpair);
    filterRows.appendChild(mrow);
    function readMetric() {
      state.filters.metric = metricSelect.value;
      state.filters.min = metricMin.value === "" ? null : Number(metricMin.value);
      refresh();
    }
    metricSelect.addEventListener("change", readMetric);
    metricMin.addEventListener("input", readMetric);
  }
  document.getElementById("clear-filters").addEventListener("click", function () {
    state.filters = { kinds: {}, community: "", categories: dict(), yearFrom: null, yearTo: null, metric: "", min: null };
    kindBoxes.forEach(function (b) { b.checked = true; });
    communitySelect.value = "";
    categorySelects.forEach(function (s) { s.value = ""; });
    if (years) { yearFrom.value = years[0]; yearTo.value = years[1]; }
    metricSelect.value = "";
    metricMin.value = "";
    refresh();
  });

  // ---- search suggestions -------------------------------------------------
  var datalist = document.getElementById("search-options");
  var labelSet = new Set();
  function fillSuggestions() {
    empty(datalist);
    labelSet.clear();
    order.forEach(function (n) {
      var label = fullName(n);
      if (!inView(n, state.view) || !label || labelSet.has(label)) return;
      labelSet.add(label);
      var o = document.createElement("option");
      o.value = label;
      datalist.appendChild(o);
    });
  }

  // ---- network ------------------------------------------------------------
  var container = document.getElementById("network");
  if (typeof vis === "undefined" || !vis.Network) {
    container.appendChild(el("p", "The map could not be drawn: the vis-network library is missing.", "map-error"));
    document.body.dataset.ready = "error";
    return;
  }
  var options = (payload.options && typeof payload.options === "object") ? payload.options : {};
  if (options.physics === undefined) options.physics = { enabled: false };
  var MIN_SIZE = 8, MAX_SIZE = 36;  // node radius in pixels at zoom 1, smallest and largest metric
  // A node's size goes to vis-network as its value, unchanged, so that its label grows with it
  // (from 14 px at zoom 1 for the smallest; the largest is set by fitView). vis-network skips
  // labels under 8 px on screen, so a big map seen whole shows the largest nodes' labels and
  // the others appear as you zoom in.
  options.nodes = options.nodes || {};
  options.nodes.scaling = {
    min: MIN_SIZE, max: MAX_SIZE,
    customScalingFunction: function (min, max, total, value) { return (value - MIN_SIZE) / (MAX_SIZE - MIN_SIZE); },
    label: { enabled: true, min: 14, max: 30, drawThreshold: 9 }
  };
  var nodesDataSet = new vis.DataSet([]);
  var edgesDataSet = new vis.DataSet([]);
  var network = new vis.Network(container, { nodes: nodesDataSet, edges: edgesDataSet }, options);

  // ---- filters, colours and sizes ----------------------------------------------
  function categoryColour(n, key) {
    var c = categoryByKey.get(key);
    var value = n.attrs[key];
    if (value === undefined || value === "") return MISSING;
    return validColour(c && c.colors ? c.colors[value] : null) || OTHER;
  }
  function colourOf(n) {
    if (state.colorBy.indexOf("attr:") === 0) return categoryColour(n, state.colorBy.slice(5));
    return validColour(communityColours[String(n.community)]) || OTHER;
  }
  function legendLabel(colour, sample) {
    if (state.colorBy.indexOf("attr:") === 0) {
      var c = categoryByKey.get(state.colorBy.slice(5));
      if (colour === MISSING) return "No " + str(c ? c.label : "value");
      if (colour === OTHER) return "Other values";
      return str(sample.attrs[state.colorBy.slice(5)]);
    }
    if (colour === OTHER) return "Other communities";
    return "Community " + sample.community;
  }
  function sidePass(n) {
    var f = state.filters, key;
    for (key in f.categories) {
      if (!f.categories[key]) continue;
      var c = categoryByKey.get(key);
      if (!c || c.scope === "participation") continue;
      if (c.scope !== "node" && c.scope !== n.kind) continue;
      if (str(n.attrs[key]) !== f.categories[key]) return false;
    }
    if (n.kind === "project" && years) {
      var y = num(n.year);
      if (f.yearFrom !== null && (y === null || y < f.yearFrom)) return false;
      if (f.yearTo !== null && (y === null || y > f.yearTo)) return false;
    }
    return true;
  }
  function activeSides() {
    var f = state.filters, sides = { partner: false, project: false, role: [] }, key;
    for (key in f.categories) {
      if (!f.categories[key]) continue;
      var c = categoryByKey.get(key);
      if (!c) continue;
      if (c.scope === "participation") sides.role.push([key, f.categories[key]]);
      else if (c.scope === "partner" || c.scope === "project") sides[c.scope] = true;
    }
    if (years && ((f.yearFrom !== null && f.yearFrom > years[0]) || (f.yearTo !== null && f.yearTo < years[1]))) {
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
  function ownPass(n) {
    var f = state.filters;
    if (f.kinds[n.kind]) return false;
    if (f.community !== "" && String(n.community) !== f.community) return false;
    if (f.metric && f.min !== null && n.kind !== "community") {
      var v = num(n.metrics[f.metric]);
      if (v === null || v < f.min) return false;
    }
    return sidePass(n);
  }
  // Which nodes of the current view pass every filter (a Set of ids).
  function visibleIds() {
    var sides = activeSides(), shown = new Set();
    order.forEach(function (n) {
      if (!inView(n, state.view) || !ownPass(n)) return;
      var other = n.kind === "partner" ? "project" : n.kind === "project" ? "partner" : null;
      if (other && (sides[other] || sides.role.length) && bipartiteOf.size) {
        var ok = (bipartiteOf.get(n.id) || []).some(function (e) {
          var m = byId.get(e.from === n.id ? e.to : e.from);
          return edgePass(e, sides) && sidePass(m);
        });
        if (!ok) return;
      }
      shown.add(n.id);
    });
    return shown;
  }
  function neighbourhood(id, depth, shown) {
    var near = new Set([id]), frontier = [id];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (a) {
        (adjacency.get(a) || []).forEach(function (pair) {
          if (!near.has(pair[0]) && shown.has(pair[0]) && currentEdgeShown(pair[1], shown)) {
            near.add(pair[0]);
            next.push(pair[0]);
          }
        });
      });
      frontier = next;
    }
    return near;
  }
  var adjacency = new Map();  // of the current view: id -> [[other id, edge]]
  var sidesNow = activeSides();
  function currentEdgeShown(e, shown) {
    return shown.has(e.from) && shown.has(e.to) && (state.view !== "bipartite" || edgePass(e, sidesNow));
  }
  function sizeOf(n, top) {
    if (n.kind === "community") {
      var members = num((n.members || {}).partners) || 0;
      return Math.round(10 * (16 + 34 * Math.sqrt(members / (topMembers || 1)))) / 10;
    }
    var v = num(n.metrics[state.sizeBy]);
    if (v === null || !(top > 0)) return 10;
    return Math.round(10 * (MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(Math.max(v, 0) / top))) / 10;
  }
  var topMembers = order.reduce(function (m, n) { return Math.max(m, num((n.members || {}).partners) || 0); }, 0);

  var viewEdges = [];  // the current view's edges whose two ends are in the view
  function loadView() {
    var view = state.view;
    var list = viewEdges = (viewEdgeLists[view] || []).filter(function (e) {
      return inView(byId.get(e.from), view) && inView(byId.get(e.to), view);
    });
    adjacency = new Map();
    list.forEach(function (e) {
      if (!adjacency.has(e.from)) adjacency.set(e.from, []);
      if (!adjacency.has(e.to)) adjacency.set(e.to, []);
      adjacency.get(e.from).push([e.to, e]);
      adjacency.get(e.to).push([e.from, e]);
    });
    var maxWeight = list.reduce(function (m, e) { return Math.max(m, num(e.weight) || 0); }, 0);
    var vnodes = [], vedges = [];
    order.forEach(function (n) {
      if (!inView(n, view)) return;
      var p = position(n, view), v = { id: n.id, label: str(n.label) };
      v.shape = VIS_SHAPES.indexOf(n.shape) >= 0 ? n.shape : "dot";
      if (num(p.x) !== null && num(p.y) !== null) { v.x = p.x; v.y = p.y; }
      v.title = fullName(n) + "\n" + (n.kind === "community" ? "community" : str(n.kind) + " \u00b7 community " + str(n.community));
      vnodes.push(v);
    });
    list.forEach(function (e) {
      var v = { id: view.charAt(0) + e.k, from: e.from, to: e.to };
      var text = Object.keys(e.attrs).map(function (k) { return k + ": " + str(e.attrs[k]); }).join("\n");
      if (text) v.title = text;
      if (num(e.weight) !== null && maxWeight > 1) v.width = Math.round(10 * (1 + 5 * Math.log(e.weight) / Math.log(maxWeight))) / 10;
      if (e.member) v.dashes = true;
      vedges.push(v);
    });
    drawnState.clear();
    nodesDataSet.clear();
    edgesDataSet.clear();
    nodesDataSet.add(vnodes);
    edgesDataSet.add(vedges);
    fillSuggestions();
  }

  var countEl = document.getElementById("shown-count");
  var drawnState = new Map();  // what vis-network was last given, per view and node (or edge)
  var lastShown = new Set();
  function refresh() {
    var view = state.view, list = viewEdges;
    sidesNow = activeSides();
    var shown = visibleIds();
    lastShown = shown;
    var near = state.focus !== null && shown.has(state.focus) ? neighbourhood(state.focus, state.depth, shown) : null;
    var top = 0, total = 0;
    order.forEach(function (n) {
      if (!inView(n, view)) return;
      total++;
      var v = num(n.metrics[state.sizeBy]);
      if (v !== null && v > top) top = v;
    });
    // Only what changed goes to vis-network: on a 2,000-node map a focus touches a few nodes.
    var updates = [];
    order.forEach(function (n) {
      if (!inView(n, view)) return;
      var dim = near && !near.has(n.id);
      var hidden = !shown.has(n.id), colour = dim ? DIM : colourOf(n), size = sizeOf(n, top);
      var key = hidden + colour + size, id = view + n.id;
      if (drawnState.get(id) === key) return;
      drawnState.set(id, key);
      updates.push({
        id: n.id,
        hidden: hidden,
        color: dim ? { background: DIM, border: DIM } : colour,
        font: { color: dim ? DIM_FONT : "#1f2328" },
        value: size
      });
    });
    if (updates.length) nodesDataSet.update(updates);
    var edgeUpdates = [];
    list.forEach(function (e) {
      var visible = currentEdgeShown(e, shown);
      var dim = !!near && !(near.has(e.from) && near.has(e.to));
      var id = view.charAt(0) + e.k, key = visible + "/" + dim;
      if (drawnState.get(id) === key) return;
      drawnState.set(id, key);
      edgeUpdates.push({ id: id, hidden: !visible, color: dim ? { color: DIM_EDGE } : { color: "#9AA0A6", highlight: "#333333" } });
    });
    if (edgeUpdates.length) edgesDataSet.update(edgeUpdates);
    countEl.textContent = "Showing " + shown.size.toLocaleString("en-US") + " of " + total.toLocaleString("en-US") + " nodes";
    buildLegend(shown);
  }

  // ---- legend -------------------------------------------------------------
  var coloursUl = document.getElementById("legend-colors");
  var shapesUl = document.getElementById("legend-shapes");
  var sizeEl = document.getElementById("legend-size");
  function buildLegend(shown) {
    var entries = new Map();
    order.forEach(function (n) {
      if (!shown.has(n.id)) return;
      var c = colourOf(n);
      if (!entries.has(c)) entries.set(c, { colour: c, sample: n, count: 0 });
      entries.get(c).count++;
    });
    var rank = function (c) {
      if (c === OTHER) return 1e6;
      if (c === MISSING) return 1e6 + 1;
      return 0;
    };
    var list = Array.from(entries.values());
    if (state.colorBy === "community") {
      list.sort(function (a, b) { return rank(a.colour) - rank(b.colour) || a.sample.community - b.sample.community; });
    } else {
      var cat = categoryByKey.get(state.colorBy.slice(5)), values = arr(cat && cat.values);
      list.sort(function (a, b) {
        return rank(a.colour) - rank(b.colour) ||
          values.indexOf(str(a.sample.attrs[cat.key])) - values.indexOf(str(b.sample.attrs[cat.key]));
      });
    }
    empty(coloursUl);
    list.forEach(function (entry) {
      var li = el("li");
      var swatch = el("span", undefined, "swatch");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.backgroundColor = entry.colour;
      li.appendChild(swatch);
      li.appendChild(el("span", legendLabel(entry.colour, entry.sample), "legend-label"));
      li.appendChild(el("span", entry.count.toLocaleString("en-US"), "legend-count"));
      li.dataset.colour = entry.colour;
      coloursUl.appendChild(li);
    });
    coloursUl.hidden = !coloursUl.firstChild;
    var m = metricByKey.get(state.sizeBy);
    sizeEl.textContent = m ? "Size: " + m.label + (m.about ? " \u2014 " + m.about : "") : "";
    sizeEl.hidden = !m;
  }
  var legend = payload.legend || {};
  function buildShapes() {
    empty(shapesUl);
    arr(legend.shapes).forEach(function (entry) {
      entry = entry || {};
      if (state.view === "projection" && entry.shape === "square") return;
      var li = el("li");
      li.appendChild(shapeMarker(entry.shape, null, "shape"));
      li.appendChild(el("span", entry.label));
      shapesUl.appendChild(li);
    });
    shapesUl.hidden = !shapesUl.firstChild;
  }

  // ---- details panel ------------------------------------------------------
  var details = document.getElementById("details");
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  function showHint() { empty(details); details.appendChild(el("p", HINT, "hint")); }

  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { showHint(); return; }
    empty(details);
    var heading = el("h2", fullName(n));
    details.appendChild(heading);
    var dl = el("dl");
    function pair(k, v, title) {
      var dt = el("dt", k);
      if (title) dt.title = title;
      dl.appendChild(dt);
      dl.appendChild(el("dd", v));
    }
    if (n.kind === "community") {
      pair("Partners", fmt(num((n.members || {}).partners)));
      pair("Projects", fmt(num((n.members || {}).projects)));
    } else {
      pair("Kind", n.kind);
      pair("Community", n.community);
      Object.keys(n.attrs).forEach(function (k) { pair(k, n.attrs[k]); });
      metrics.forEach(function (m) {
        if (n.metrics[m.key] !== undefined) pair(m.label, fmt(n.metrics[m.key]), m.about);
      });
    }
    details.appendChild(dl);
    if (n.kind === "community" && arr(n.top).length) {
      details.appendChild(el("h3", "Most central partners"));
      var ol = el("ol", undefined, "top-list");
      arr(n.top).forEach(function (name) { ol.appendChild(el("li", name)); });
      details.appendChild(ol);
    }
    if (typeof n.link === "string" && MAP_LINK.test(n.link)) {
      var a = el("a", "Open the map of community " + n.community, "open-map");
      a.href = n.link;
      details.appendChild(a);
    } else if (str(n.command)) {
      var how = el("p", "Its own map: ", "hint command");
      how.appendChild(el("code", n.command));
      details.appendChild(how);
    }
    var pairs = (adjacency.get(id) || []).filter(function (p) { return lastShown.has(p[0]); });
    pairs.sort(function (a, b) {
      var x = fullName(byId.get(a[0])), y = fullName(byId.get(b[0]));
      return collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);
    });
    var total = Number(n.degree);
    details.appendChild(el("h3", state.view === "bipartite" && isFinite(total) && total > pairs.length
      ? "Connected to (" + pairs.length + " of " + total + " shown on this map)"
      : "Connected to (" + pairs.length + ")"));
    var ul = el("ul");
    ul.id = "neighbors";
    if (!pairs.length) ul.appendChild(el("li", "No connections", "empty"));
    pairs.forEach(function (p) {
      var other = byId.get(p[0]), e = p[1];
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.dataset.nodeId = str(other.id);
      if (str(other.kind)) button.title = str(other.kind);
      button.appendChild(shapeMarker(other.shape, colourOf(other), "marker"));
      var text = el("span", fullName(other), "neighbour-name");  // name and role flow as one text
      var info = state.view === "bipartite"
        ? Object.keys(e.attrs).map(function (k) { return str(e.attrs[k]); }).join(", ")
        : (num(e.weight) !== null ? e.weight + " shared project" + (e.weight === 1 ? "" : "s") : "");
      if (info) text.appendChild(el("span", " \u00b7 " + info, "edge-info"));
      button.appendChild(text);
      button.addEventListener("click", function () { selectNode(other.id, true); });
      li.appendChild(button);
      ul.appendChild(li);
    });
    details.appendChild(ul);
    var panels = document.getElementById("panels");
    var offset = heading.getBoundingClientRect().top - panels.getBoundingClientRect().top;
    if (offset < 0) panels.scrollTop += offset - 8;
  }

  var status = document.getElementById("search-status");
  function selectNode(id, centre) {
    if (!byId.has(id) || !nodesDataSet.get(id)) return;
    state.focus = id;
    refresh();
    network.selectNodes([id]);
    if (centre) {
      network.focus(id, { scale: 1.2, animation: false });
      sizeLabels();
    }
    showDetails(id);
  }
  function clearSelection() {
    state.focus = null;
    network.unselectAll();
    status.textContent = "";
    refresh();
    showHint();
  }
  function findNode(query) {
    var q = query.trim();
    if (!q) return null;
    var candidates = order.filter(function (n) { return inView(n, state.view); });
    var i, label, lower = q.toLowerCase();
    for (i = 0; i < candidates.length; i++) {
      label = fullName(candidates[i]);
      if (label === query || label === q) return candidates[i];
    }
    for (i = 0; i < candidates.length; i++) if (fullName(candidates[i]).toLowerCase() === lower) return candidates[i];
    for (i = 0; i < candidates.length; i++) if (fullName(candidates[i]).toLowerCase().indexOf(lower) >= 0) return candidates[i];
    return null;
  }
  function runSearch(query) {
    if (!query.trim()) { status.textContent = ""; return; }
    var n = findNode(query);
    if (!n) { status.textContent = "No node matches \u201c" + query.trim() + "\u201d."; return; }
    if (!lastShown.has(n.id)) {
      status.textContent = "\u201c" + fullName(n) + "\u201d is hidden by the filters.";
      return;
    }
    status.textContent = "";
    selectNode(n.id, true);
  }
  var search = document.getElementById("search");
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); runSearch(search.value); }
  });
  search.addEventListener("input", function () {
    status.textContent = "";
    if (labelSet.has(search.value)) runSearch(search.value);
  });

  // ---- toolbar --------------------------------------------------------------
  // The whole map in view, with the largest label about 18 px on screen at that zoom.
  function fitView() {
    network.fit({ animation: false });
    sizeLabels();
  }
  // Labels are sized for the zoom: the largest about 18 px on screen (none under 14 px at zoom 1),
  // so zooming out keeps the main actors named and zooming in does not blow labels up.
  var labelMax = null, labelTimer = null;
  function sizeLabels() {
    var max = Math.round(Math.min(60, Math.max(18, 18 / (network.getScale() || 1))));
    if (max === labelMax) return;
    labelMax = max;
    network.setOptions({ nodes: { scaling: { label: { max: max } } } });
    drawnState.clear();  // every node again, so vis-network resizes the labels
    refresh();
  }
  network.on("zoom", function () {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(sizeLabels, 150);
  });
  viewSelect.addEventListener("change", function () {
    state.view = viewSelect.value;
    state.focus = null;
    network.unselectAll();
    showHint();
    loadView();
    buildShapes();
    refresh();
    fitView();
  });
  colorSelect.addEventListener("change", function () { state.colorBy = colorSelect.value; refresh(); });
  sizeSelect.addEventListener("change", function () {
    state.sizeBy = sizeSelect.value;
    if (payload.mode === "overview") {  // other top partners: redraw
      state.focus = null;
      network.unselectAll();
      showHint();
      loadView();
    }
    refresh();
  });
  var depthSelect = document.getElementById("depth");
  depthSelect.addEventListener("change", function () {
    state.depth = Number(depthSelect.value) || 1;
    refresh();
  });
  document.getElementById("reset-view").addEventListener("click", fitView);
  var relax = document.getElementById("relax");
  relax.addEventListener("click", function () {
    var on = relax.getAttribute("aria-pressed") !== "true";
    relax.setAttribute("aria-pressed", on ? "true" : "false");
    relax.textContent = on ? "Stop relaxing" : "Relax layout";
    network.setOptions({ physics: on
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: false, forceAtlas2Based: { gravitationalConstant: -40, springLength: 80 } }
      : { enabled: false } });
  });
  document.getElementById("save-png").addEventListener("click", function () {
    var source = container.querySelector("canvas");
    if (!source) return;
    var canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    canvas.toBlob(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = (str(payload.title).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "ecosys-map") + ".png";
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    }, "image/png");
  });

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) selectNode(params.nodes[0], false);
    else clearSelection();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") clearSelection();
  });

  loadView();
  buildShapes();
  refresh();
  window.ecosys = {
    network: network, nodes: nodesDataSet, edges: edgesDataSet, payload: payload, state: state,
    shown: function () { return Array.from(lastShown).sort(function (a, b) { return a - b; }); },
    select: selectNode, refresh: refresh
  };
  network.once("afterDrawing", function () {
    window.ecosys.firstDrawn = performance.now();
    document.body.dataset.ready = "1";
  });
  fitView();
  if (payload.focus && byId.has(payload.focus.id)) {
    state.depth = Math.min(3, Math.max(1, Number(payload.focus.depth) || 1));
    depthSelect.value = String(state.depth);
    selectNode(payload.focus.id, false);
  }
})();
