/*
 * The map page: reads the payload, builds the controls and panels, draws with vis-network.
 *
 * The logic (filters, neighbourhoods, search, sizes, labels, colours, legend) is in map-core.js
 * (the global `ecosysCore`), unit-tested in Node; this file is the DOM around it. Every text from
 * the data goes into the page with textContent or as an attribute value, never as markup, and
 * the page asks for nothing over the network. Tests drive the page through `window.ecosys`.
 */
(function () {
  "use strict";

  var core = window.ecosysCore, ex = window.ecosysExport;
  var str = core.str, num = core.num, fullName = core.fullName;
  var MAP_LINK = /^communities\/community-[0-9]+\.html$/;
  var BACK_LINK = /^\.\.\/map\.html$/;  // a community map's way back to the overview
  // Shapes we can draw with CSS in the legend and the neighbour list.
  var CSS_SHAPES = { dot: "dot", circle: "dot", ellipse: "dot", square: "square", box: "square",
                     diamond: "diamond", triangle: "triangle", hexagon: "hexagon" };

  var payload = JSON.parse(document.getElementById("ecosys-data").textContent) || {};
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = str(text);
    if (className) node.className = className;
    return node;
  }
  function empty(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function shapeMarker(shape, colour, className) {
    var cssShape = CSS_SHAPES[shape] || "dot";
    var mark = el("span", undefined, className + " shape-" + cssShape);
    mark.setAttribute("aria-hidden", "true");
    var c = core.validColour(colour);
    if (c) {
      if (cssShape === "triangle") mark.style.borderBottomColor = c;
      else mark.style.backgroundColor = c;
    }
    return mark;
  }
  /** Download `blob` as the file `name` (a link to it, clicked, then let go). */
  function saveBlob(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
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

  // ---- data and state ------------------------------------------------------
  var model = core.model(payload);
  function T(key, values) { return core.say(model, key, values); }
  var byId = model.byId, years = model.years;
  var state = core.initialState(model);

  // ---- controls -------------------------------------------------------------
  var viewSelect = document.getElementById("view-select");
  model.views.forEach(function (v) { option(viewSelect, v.key, v.label); });
  viewSelect.disabled = model.views.length < 2;
  var colorSelect = document.getElementById("color-select");
  option(colorSelect, "community", T("community"));
  model.categories.forEach(function (c) {
    if (c.scope !== "participation") option(colorSelect, "attr:" + c.key, c.label);
  });
  colorSelect.value = state.colorBy;
  var sizeSelect = document.getElementById("size-select");
  model.metrics.forEach(function (m) { option(sizeSelect, m.key, m.label); });
  sizeSelect.value = state.sizeBy;
  sizeSelect.disabled = !model.metrics.length;

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
  kindsRow.appendChild(el("span", T("show")));
  kindsRow.appendChild(kindsDiv);
  filterRows.appendChild(kindsRow);
  var kindBoxes = [];
  model.kinds.forEach(function (k) {
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
  option(communitySelect, "", T("all_communities"));
  core.communities(model).forEach(function (c) { option(communitySelect, String(c), core.communityLabel(model, c)); });
  row(T("community"), communitySelect, "filter-community");
  communitySelect.addEventListener("change", function () { state.filters.community = communitySelect.value; refresh(); });
  // categories
  var categorySelects = [];
  model.categories.forEach(function (c, i) {
    var s = document.createElement("select");
    option(s, "", T("any"));
    core.arr(c.values).forEach(function (v) { option(s, str(v), v); });
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
      input.setAttribute("aria-label", i ? T("latest_year") : T("earliest_year"));
      input.addEventListener("input", function () {
        var v = input.value === "" ? null : Number(input.value);
        if (i) state.filters.yearTo = v; else state.filters.yearFrom = v;
        refresh();
      });
    });
    yearFrom.id = "filter-year-from";
    yearTo.id = "filter-year-to";
    pair.appendChild(yearFrom);
    pair.appendChild(el("span", T("to")));
    pair.appendChild(yearTo);
    var yearRow = el("div", undefined, "row");
    var yl = el("label", T("project_years"));
    yl.htmlFor = "filter-year-from";
    yearRow.appendChild(yl);
    yearRow.appendChild(pair);
    filterRows.appendChild(yearRow);
  }
  // minimum metric value
  var metricSelect = document.createElement("select");
  var metricMin = document.createElement("input");
  if (model.metrics.length) {
    var mpair = el("div", undefined, "pair");
    option(metricSelect, "", T("no_metric"));
    model.metrics.forEach(function (m) { option(metricSelect, m.key, m.label); });
    metricSelect.id = "filter-metric";
    metricMin.type = "number";
    metricMin.step = "any";
    metricMin.id = "filter-min";
    metricMin.setAttribute("aria-label", T("minimum"));
    mpair.appendChild(metricSelect);
    mpair.appendChild(el("span", "\u2265"));
    mpair.appendChild(metricMin);
    var mrow = el("div", undefined, "row");
    var ml = el("label", T("at_least"));
    ml.htmlFor = "filter-metric";
    mrow.appendChild(ml);
    mrow.appendChild(mpair);
    filterRows.appendChild(mrow);
    var readMetric = function () {
      state.filters.metric = metricSelect.value;
      state.filters.min = metricMin.value === "" ? null : Number(metricMin.value);
      refresh();
    };
    metricSelect.addEventListener("change", readMetric);
    metricMin.addEventListener("input", readMetric);
  }
  document.getElementById("clear-filters").addEventListener("click", function () {
    state.filters = core.noFilters();
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
    labelSet = new Set(core.suggestions(model, state.view, state.sizeBy));
    labelSet.forEach(function (name) {
      var o = document.createElement("option");
      o.value = name;
      datalist.appendChild(o);
    });
  }

  // ---- network ------------------------------------------------------------
  var container = document.getElementById("network");
  if (typeof vis === "undefined" || !vis.Network) {
    container.appendChild(el("p", T("no_library"), "map-error"));
    document.body.dataset.ready = "error";
    return;
  }
  var options = (payload.options && typeof payload.options === "object") ? payload.options : {};
  if (options.physics === undefined) options.physics = { enabled: false };
  // A node's size goes to vis-network as its value, unchanged, so that its label grows with it
  // (core.labelSize); the largest label is sized for the zoom (core.labelMax, set by sizeLabels).
  options.nodes = options.nodes || {};
  options.nodes.scaling = {
    min: core.MIN_SIZE, max: core.MAX_SIZE,
    customScalingFunction: function (min, max, total, value) { return core.sizeFraction(value); },
    label: core.labelScaling()  // labels from 14 to 30 px until the first fit sizes them for its zoom
  };
  // vis-network sizes the labels but never paints them: drawLabels does, leaving out any that would
  // overlap another (core.placeLabels).
  options.nodes.scaling.label.drawThreshold = 1e9;
  var nodesDataSet = new vis.DataSet([]);
  var edgesDataSet = new vis.DataSet([]);
  var network = new vis.Network(container, { nodes: nodesDataSet, edges: edgesDataSet }, options);

  // ---- drawing --------------------------------------------------------------
  var adjacency = new Map();  // of the current view: id -> [[other id, edge]]
  var viewEdges = [];         // the current view's edges whose two ends are in the view
  var sidesNow = core.activeSides(model, state.filters);
  // On the overview, a link between two communities that share no project in the slider's period is not drawn.
  var linksNow = null;  // the period's projects per community link (edge k -> count), or null
  function edgeDrawn(e, shown) {
    return core.edgeShown(e, shown, state.view, sidesNow) && !(linksNow && linksNow.get(e.k) === 0);
  }

  function loadView() {
    var view = state.view;
    viewEdges = core.viewEdges(model, view, state.sizeBy);
    adjacency = core.adjacency(viewEdges);
    drawnState.clear();
    nodesDataSet.clear();
    edgesDataSet.clear();
    nodesDataSet.add(core.visNodes(model, view, state.sizeBy));
    edgesDataSet.add(core.visEdges(viewEdges, view));
    fillSuggestions();
  }

  // ---- labels ---------------------------------------------------------------
  // Painted after each frame, on screen pixels, sized by core.labels for this zoom, placed without
  // overlap by priority (the focus, its neighbourhood, then the size metric).
  var labelBoxes = [], nearNow = null, widths = new Map(), LABEL_FLOOR = 11;
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, px) {
    var key = px + "|" + text;
    if (!widths.has(key)) {
      if (widths.size > 50000) widths.clear();
      measure.font = px + "px sans-serif";
      widths.set(key, measure.measureText(text).width);
    }
    return widths.get(key);
  }
  function drawLabels(ctx) {
    var canvas = ctx.canvas, bodies = network.body.nodes, scale = network.getScale();
    var origin = network.canvasToDOM({ x: 0, y: 0 });
    var area = { width: canvas.clientWidth, height: canvas.clientHeight };
    var sized = [];
    lastShown.forEach(function (id) {
      var b = bodies[id];
      if (b && !b.options.hidden && str(byId.get(id).label)) sized.push({ id: id, size: b.options.size });
    });
    // Every label is a candidate, never under LABEL_FLOOR px on screen: seen whole, a large map names
    // as many of its main nodes as fit without overlap.
    var candidates = core.labels(sized, scale).map(function (l) {
      var n = byId.get(l.id), b = bodies[l.id], text = str(n.label);
      var px = Math.round(Math.max(LABEL_FLOOR, l.screen) * 10) / 10;
      var width = textWidth(text, px) + 4, x = origin.x + b.x * scale, y = origin.y + b.y * scale;
      return {
        id: l.id, text: text, font: px, dim: !!nearNow && !nearNow.has(l.id),
        x: x - width / 2, y: y + b.options.size * scale + 2, width: width, height: Math.ceil(px * 1.25),
        tier: l.id === state.focus ? 2 : nearNow && nearNow.has(l.id) ? 1 : 0, weight: core.weightOf(n, state.sizeBy)
      };
    });
    labelBoxes = core.placeLabels(candidates, area);
    var ratio = canvas.width / (area.width || canvas.width);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    labelBoxes.forEach(function (box) {
      ctx.font = box.font + "px sans-serif";
      ctx.strokeText(box.text, box.x + box.width / 2, box.y + 1);
      ctx.fillStyle = box.dim ? core.DIM_FONT : core.FONT;
      ctx.fillText(box.text, box.x + box.width / 2, box.y + 1);
    });
    ctx.restore();
  }
  network.on("afterDrawing", drawLabels);

  var countEl = document.getElementById("shown-count");
  var table = window.ecosysTable({
    core: core, ex: ex, model: model, T: T, title: payload.title, save: saveBlob,
    sizeBy: function () { return state.sizeBy; },
    select: function (id) { selectNode(id, true); }
  });
  var drawnState = new Map();  // what vis-network was last given, per view and node (or edge)
  var countsNow = null;  // the overview's period: each community's active partners and projects (id -> counts), or null
  var lastShown = new Set();
  function refresh() {
    var view = state.view;
    sidesNow = core.activeSides(model, state.filters);
    var timed = currentPeriod();  // the period, computed once for the filter and the figures
    var shown = core.visibleIds(model, state, state.time && timed ? timed.active : null);
    lastShown = shown;
    countsNow = state.time && timed && timed.members ? timed.members : null;  // the overview's period
    linksNow = state.time && timed && timed.links ? timed.links : null;
    var near = state.focus !== null && shown.has(state.focus)
      ? core.neighbourhood(adjacency, state.focus, state.depth, function (e) { return edgeDrawn(e, shown); })
      : null;
    nearNow = near;
    var totals = core.viewTotals(model, view, state.sizeBy);
    var fresh = showPeriod(timed);
    // Only what changed goes to vis-network: on a 2,000-node map a focus touches a few nodes.
    var updates = [];
    model.nodes.forEach(function (n) {
      if (!core.inView(n, view, state.sizeBy)) return;
      var look = core.nodeStyle(model, state, n, shown, near, totals.top, fresh, countsNow);
      var key = look.hidden + (typeof look.color === "string" ? look.color : core.DIM) + look.value + "/" + look.borderWidth,
        id = view + n.id;
      if (drawnState.get(id) === key) return;
      drawnState.set(id, key);
      updates.push(look);
    });
    if (updates.length) nodesDataSet.update(updates);
    var edgeUpdates = [];
    var widest = linksNow ? Math.max.apply(null, [0].concat(Array.from(linksNow.values())))  // as visEdges does
      : viewEdges.reduce(function (mx, e) { return Math.max(mx, num(e.weight) || 0); }, 0);
    viewEdges.forEach(function (e) {
      var look = core.edgeStyle(e, view, edgeDrawn(e, shown), near);
      if (linksNow || drawnState.has("timed")) {  // an overview link as wide as the projects it shares (in the period)
        if (num(e.link) !== null) look.width = core.edgeWidth(linksNow ? linksNow.get(e.k) : e.weight, widest) || 1;
      }
      var key = !look.hidden + "/" + (look.color.color === core.DIM_EDGE) + "/" + look.width;
      if (drawnState.get(look.id) === key) return;
      drawnState.set(look.id, key);
      edgeUpdates.push(look);
    });
    if (edgeUpdates.length) edgesDataSet.update(edgeUpdates);
    if (linksNow) drawnState.set("timed", true); else drawnState.delete("timed");
    countEl.textContent = core.shownText(model, shown.size, totals.total);
    table.update(near ? Array.from(shown).filter(function (id) { return near.has(id); }) : shown, near ? state.focus : null);
    buildLegend(shown);
    writeLink();
  }


  // ---- time slider ----------------------------------------------------------
  // Two range inputs on one track (from year, to year), Play stepping the period a year at a time,
  // Cumulative drawing everything up to the year; the nodes keep their stored places, those not
  // active in the period are hidden and the period's newcomers get a ring (core.period).
  var timeline = model.edges.bipartite.length || model.overviewTime ? core.timeline(model) : null;
  var firstYears = timeline && !model.overviewTime ? core.firstYears(model) : null;
  var timePanel = document.getElementById("time");
  var timeFrom = document.getElementById("time-from"), timeTo = document.getElementById("time-to");
  var timeCumulative = document.getElementById("time-cumulative"), timePlay = document.getElementById("time-play");
  var timeText = document.getElementById("time-period"), timeFigures = document.getElementById("time-figures");
  var periodNow = null, playTimer = null, PLAY_MS = 1200;
  if (timeline) {
    timePanel.hidden = false;
    [timeFrom, timeTo].forEach(function (input, i) {
      input.min = timeline[0];
      input.max = timeline[1];
      input.value = timeline[i];
      input.addEventListener("input", function () {
        var a = Number(timeFrom.value), b = Number(timeTo.value);
        if (a > b) { if (i) a = b; else b = a; }  // a handle pushes the other
        stopPlay();
        setPeriod(a, b, timeCumulative.checked);
      });
    });
    timeCumulative.addEventListener("change", function () {
      setPeriod(Number(timeFrom.value), Number(timeTo.value), timeCumulative.checked);
    });
    timePlay.addEventListener("click", function () { if (playTimer) stopPlay(); else startPlay(); });
    document.getElementById("time-all").addEventListener("click", function () {
      stopPlay();
      state.time = null;
      timeFrom.value = timeline[0];
      timeTo.value = timeline[1];
      refresh();
    });
  }
  /** Show the period [a, b] (clamped to the timeline): what is drawn, the newcomers, the figures. */
  function setPeriod(a, b, cumulative) {
    if (!timeline) return;
    a = Math.max(timeline[0], Math.min(timeline[1], Math.round(Number(a))));
    b = Math.max(a, Math.min(timeline[1], Math.round(Number(b))));
    timeFrom.value = a;
    timeTo.value = b;
    timeCumulative.checked = !!cumulative;
    state.time = { from: a, to: b, cumulative: !!cumulative };
    refresh();
  }
  function startPlay() {
    var t = state.time || { from: timeline[0], to: timeline[0], cumulative: timeCumulative.checked };
    if (!core.nextPeriod(t, timeline)) t = { from: timeline[0], to: timeline[0] + (t.to - t.from), cumulative: t.cumulative };
    setPeriod(t.from, t.to, t.cumulative);
    timePlay.setAttribute("aria-pressed", "true");
    timePlay.textContent = T("time_pause");
    playTimer = setInterval(function () {
      var next = core.nextPeriod(state.time, timeline);
      if (next) setPeriod(next.from, next.to, next.cumulative);
      if (!next || !core.nextPeriod(next, timeline)) stopPlay();
    }, PLAY_MS);
  }
  function stopPlay() {
    if (!playTimer) return;
    clearInterval(playTimer);
    playTimer = null;
    timePlay.setAttribute("aria-pressed", "false");
    timePlay.textContent = T("time_play");
  }
  /** The slider's period now (every year when none is chosen), or null without a timeline. */
  function currentPeriod() {
    if (!timeline) return null;
    var t = state.time || { from: timeline[0], to: timeline[1], cumulative: false };
    return core.period(model, t.from, t.to, t.cumulative, firstYears);
  }
  /** Write the period `p` and its figures beside the slider; the Set of newcomers to ring (null: all years). */
  function showPeriod(p) {
    if (!p) return null;
    periodNow = p;
    timeText.textContent = state.time ? core.periodText(model, periodNow)
      : T("time_every", { from: timeline[0], to: timeline[1] });
    empty(timeFigures);
    var shownFigures = state.time ? periodNow : core.allFigures(model);
    core.periodFigures(model, shownFigures).forEach(function (f) {
      timeFigures.appendChild(el("dt", f.label));
      var dd = el("dd", f.value);
      dd.dataset.key = f.key;
      timeFigures.appendChild(dd);
    });
    return state.time ? periodNow.newcomers : null;
  }

  // ---- the link --------------------------------------------------------------
  // The page's state lives in the URL's fragment (core.stateLink), kept up to date after every
  // change, so a link or a bookmark opens the same view; Copy link copies it; #embed=1 hides the
  // panels and the toolbar, for a map shown inside another page.
  var embedded = false, linkBox = document.getElementById("link-box"), linkStatus = document.getElementById("link-status");
  function pageAddress() { return String(location.href).split("#")[0]; }
  function linkNow() {
    var fragment = core.stateLink(model, state, embedded);
    return pageAddress() + (fragment ? "#" + fragment : "");
  }
  function writeLink() {
    var href = linkNow();
    if (href === String(location.href)) return;
    try { history.replaceState(null, "", href); } catch (err) { /* a page that may not change its address */ }
  }
  /** Apply a fragment's state to the page's state and controls (before the first drawing). */
  function applyLink(fragment) {
    var link = core.readLink(model, fragment);
    embedded = link.embed;
    if (embedded) document.body.classList.add("embed");
    var s = link.state, focus = s.focus;
    Object.keys(s).forEach(function (k) { if (k !== "focus") state[k] = s[k]; });
    viewSelect.value = state.view;
    colorSelect.value = state.colorBy;
    sizeSelect.value = state.sizeBy;
    depthSelect.value = String(state.depth);
    var f = state.filters;
    kindBoxes.forEach(function (b) { b.checked = !f.kinds[b.value]; });
    communitySelect.value = f.community;
    categorySelects.forEach(function (sel) { sel.value = f.categories[sel.dataset.key] || ""; });
    if (years) {
      yearFrom.value = f.yearFrom === null ? years[0] : f.yearFrom;
      yearTo.value = f.yearTo === null ? years[1] : f.yearTo;
    }
    metricSelect.value = f.metric;
    metricMin.value = f.min === null ? "" : String(f.min);
    if (timeline && state.time) {
      timeFrom.value = state.time.from;
      timeTo.value = state.time.to;
      timeCumulative.checked = state.time.cumulative;
    }
    return focus;
  }
  document.getElementById("copy-link").addEventListener("click", function () {
    var href = linkNow();
    linkBox.value = href;
    linkBox.hidden = false;
    linkBox.select();
    linkStatus.textContent = T("link_select");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(href).then(function () { linkStatus.textContent = T("link_copied"); }, function () {});
    }
  });

  // ---- legend -------------------------------------------------------------
  var coloursUl = document.getElementById("legend-colors");
  var shapesUl = document.getElementById("legend-shapes");
  var sizeEl = document.getElementById("legend-size");
  function buildLegend(shown) {
    empty(coloursUl);
    core.legend(model, shown, state.colorBy, countsNow).forEach(function (entry) {
      var li = el("li");
      var swatch = el("span", undefined, "swatch");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.backgroundColor = entry.colour;
      li.appendChild(swatch);
      li.appendChild(el("span", entry.label, "legend-label"));
      li.appendChild(el("span", core.count(entry.count, model), "legend-count"));
      li.dataset.colour = entry.colour;
      coloursUl.appendChild(li);
    });
    if (state.time && !model.overviewTime) {  // the ring round the period's newcomers
      var li = el("li", undefined, "newcomer-entry");
      var ring = el("span", undefined, "swatch newcomer");
      ring.setAttribute("aria-hidden", "true");
      li.appendChild(ring);
      li.appendChild(el("span", T("time_newcomer_legend"), "legend-label"));
      li.appendChild(el("span", core.count(periodNow ? periodNow.figures.newcomers : 0, model), "legend-count"));
      coloursUl.appendChild(li);
    }
    coloursUl.hidden = !coloursUl.firstChild;
    sizeEl.textContent = core.sizeNote(model, state.sizeBy);
    sizeEl.hidden = !sizeEl.textContent;
  }
  function buildShapes() {
    empty(shapesUl);
    core.legendShapes(model, state.view).forEach(function (entry) {
      var li = el("li");
      li.appendChild(shapeMarker(entry.shape, null, "shape"));
      li.appendChild(el("span", entry.label));
      shapesUl.appendChild(li);
    });
    shapesUl.hidden = !shapesUl.firstChild;
  }

  // ---- details panel ------------------------------------------------------
  var details = document.getElementById("details");
  function showHint() { empty(details); details.appendChild(el("p", T("hint"), "hint")); }

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
      var counts = countsNow && countsNow.has(n.id) ? countsNow.get(n.id) : n.members || {};
      if (countsNow && periodNow) pair(T("time"), core.periodText(model, periodNow));
      pair(T("partners"), core.fmt(num(counts.partners), model));
      pair(T("projects"), core.fmt(num(counts.projects), model));
    } else {
      pair(T("kind"), T("kind_" + n.kind));
      pair(T("community"), core.communityLabel(model, n.community));
      Object.keys(n.attrs).forEach(function (k) { pair(k, n.attrs[k]); });
      model.metrics.forEach(function (m) {
        if (n.metrics[m.key] !== undefined) pair(m.label, core.fmt(n.metrics[m.key], model), m.about);
      });
    }
    details.appendChild(dl);
    if (n.kind === "community" && core.arr(n.top).length) {
      details.appendChild(el("h3", T("most_central")));
      var ol = el("ol", undefined, "top-list");
      core.arr(n.top).forEach(function (name) { ol.appendChild(el("li", name)); });
      details.appendChild(ol);
    }
    if (typeof n.link === "string" && MAP_LINK.test(n.link)) {
      var a = el("a", T("open_map", { community: n.community }), "open-map");
      a.href = n.link;
      details.appendChild(a);
    } else if (str(n.command)) {
      var how = el("p", T("own_map"), "hint command");
      how.appendChild(el("code", n.command));
      details.appendChild(how);
    }
    var pairs = core.neighbours(model, adjacency, id, lastShown);
    var total = Number(n.degree);
    details.appendChild(el("h3", state.view === "bipartite" && isFinite(total) && total > pairs.length
      ? T("connected_some", { shown: core.count(pairs.length, model), total: core.count(total, model) })
      : T("connected", { shown: core.count(pairs.length, model) })));
    var ul = el("ul");
    ul.id = "neighbors";
    if (!pairs.length) ul.appendChild(el("li", T("no_connections"), "empty"));
    pairs.forEach(function (p) {
      var other = byId.get(p[0]);
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.dataset.nodeId = str(other.id);
      if (str(other.kind)) button.title = T("kind_" + other.kind);
      button.appendChild(shapeMarker(other.shape, core.colourOf(model, other, state.colorBy), "marker"));
      var text = el("span", fullName(other), "neighbour-name");  // name and role flow as one text
      var info = core.edgeInfo(model, p[1], state.view);
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
  // The matches of the last search, best first: the first is selected, the others a click away.
  var resultsList = document.getElementById("search-results"), MAX_RESULTS = 8;
  function showMatches(list) {
    empty(resultsList);
    if (list.length > 1) {
      list.slice(0, MAX_RESULTS).forEach(function (n) {
        var li = el("li"), button = el("button", fullName(n));
        button.type = "button";
        button.dataset.nodeId = str(n.id);
        button.addEventListener("click", function () {
          if (lastShown.has(n.id)) selectNode(n.id, true);
          else status.textContent = T("hidden", { name: fullName(n) });
        });
        li.appendChild(button);
        resultsList.appendChild(li);
      });
      if (list.length > MAX_RESULTS) resultsList.appendChild(el("li", T("more", { count: core.count(list.length - MAX_RESULTS, model) }), "more"));
    }
    resultsList.hidden = !resultsList.firstChild;
  }
  function runSearch(query) {
    if (!query.trim()) { status.textContent = ""; showMatches([]); return; }
    var list = core.search(model, query, state.view, state.sizeBy), n = list[0];
    showMatches(list);
    if (!n) { status.textContent = T("no_match", { query: query.trim() }); return; }
    if (!lastShown.has(n.id)) {
      status.textContent = T("hidden", { name: fullName(n) });
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
  // The whole map in view, with the labels sized for that zoom.
  function fitView() {
    network.fit({ animation: false });
    sizeLabels();
  }
  // Labels are sized for the zoom (core.labelMax), so zooming out keeps the main actors named
  // and zooming in does not blow labels up.
  var labelMax = null, labelTimer = null;
  function sizeLabels() {
    var scaling = core.labelScaling(network.getScale());
    if (scaling.max === labelMax) return;
    labelMax = scaling.max;
    network.setOptions({ nodes: { scaling: { label: { max: scaling.max } } } });
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
    if (model.mode === "overview") {  // other top partners: redraw
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
    relax.textContent = on ? T("stop_relax") : T("relax");
    network.setOptions({ physics: on
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: false, forceAtlas2Based: { gravitationalConstant: -40, springLength: 80 } }
      : { enabled: false } });
  });
  // Save PNG and Save SVG: map-images.js draws what is on screen now.
  var images = window.ecosysImages({
    network: network, edges: edgesDataSet, container: container, core: core, ex: ex, model: model, payload: payload,
    T: T, save: saveBlob,
    now: function () { return { shown: lastShown, labels: labelBoxes, colorBy: state.colorBy, counts: countsNow }; }
  });
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) selectNode(params.nodes[0], false);
    else clearSelection();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") clearSelection();
  });

  var linkFocus = applyLink(location.hash);
  loadView();
  buildShapes();
  refresh();
  window.ecosys = {
    network: network, nodes: nodesDataSet, edges: edgesDataSet, payload: payload, state: state, core: core,
    shown: function () { return Array.from(lastShown).sort(function (a, b) { return a - b; }); },
    labelBoxes: function () {
      return labelBoxes.map(function (b) { return { id: b.id, text: b.text, x: b.x, y: b.y, width: b.width, height: b.height }; });
    },
    select: selectNode, refresh: refresh, svg: images.svg,
    table: function () { return table.rows().map(function (r) { return { id: r.id, cells: r.cells.slice() }; }); },
    timeline: function () { return timeline ? timeline.slice() : null; },
    period: function () {
      if (!periodNow) return null;
      return {
        from: periodNow.from, to: periodNow.to, cumulative: periodNow.cumulative, all: !state.time,
        figures: Object.assign({}, periodNow.figures),
        newcomers: Array.from(periodNow.newcomers).sort(function (a, b) { return a - b; })
      };
    },
    setPeriod: setPeriod,
    link: linkNow,
    search: function (query) {
      return core.search(model, query, state.view, state.sizeBy).map(function (n) { return { id: n.id, name: fullName(n) }; });
    }
  };
  network.once("afterDrawing", function () {
    window.ecosys.firstDrawn = performance.now();
    document.body.dataset.ready = "1";
  });
  fitView();
  if (linkFocus !== null) selectNode(linkFocus, false);
  else if (payload.focus && byId.has(payload.focus.id)) {
    state.depth = Math.min(3, Math.max(1, Number(payload.focus.depth) || 1));
    depthSelect.value = String(state.depth);
    selectNode(payload.focus.id, false);
  }
})();
