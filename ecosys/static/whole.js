/*
 * The whole-graph page: every node and link of a large graph drawn by sigma.js (WebGL) over a
 * graphology graph, with search, a details panel, a legend and labels that never overlap.
 *
 * The data is the JSON in #ecosys-data (ecosys/whole.py); names reach the document only through
 * textContent and the labels canvas, never as markup. sigma draws the nodes and links; its own labels
 * are off: after each frame this page draws the names on a canvas above it, the largest nodes first,
 * each only where it overlaps no name already drawn (map-core.js placeLabels, as the map does), so
 * names never pile up at any zoom. Tests and embedders use `window.ecosys`; `document.body.dataset.ready`
 * becomes "1" after the first frame ("error" if the page cannot draw).
 */
(function () {
  "use strict";
  var core = window.ecosysCore, whole = window.ecosysWhole;
  var $ = function (id) { return document.getElementById(id); };
  var LABEL_PX = 12, LABEL_CANDIDATES = 1500, RESULTS = 30, NEIGHBOURS = 60;
  var DIM = "#E6E8EA", DIM_EDGE = "#F0F1F2", EDGE = "#C9CDD2", EDGE_NEAR = "#555B61";

  var timings = { start: performance.now() };
  var m = whole.model(JSON.parse($("ecosys-data").textContent));
  timings.model = performance.now();
  var say = function (key, values) { return core.say(m, key, values); };
  var count = function (v) { return core.count(v, m); };
  var payloadTitle = JSON.parse($("ecosys-data").textContent);
  $("whole-title").textContent = core.str(payloadTitle.title);
  $("whole-subtitle").textContent = core.str(payloadTitle.subtitle);
  if (core.str(payloadTitle.back) && /^[A-Za-z0-9._\/-]+\.html$/.test(payloadTitle.back)) {
    $("whole-back").href = payloadTitle.back;
    $("whole-back").hidden = false;
  }
  payloadTitle = null;
  $("whole-status").textContent = say("drawing", { nodes: count(m.n) });

  var keys = null, order = whole.byWeight(m), selected = null, near = null, linked = [], labelBoxes = [];
  var labelOf = [];  // each node's label text, cut once (labelText), not on every frame
  var graph, renderer;

  function build() {
    // multi: no check for an existing link on each addition (twice as fast; the payload has each pair once)
    graph = new window.graphology.Graph({ type: "undirected", multi: true, allowSelfLoops: false });
    for (var i = 0; i < m.n; i++) {
      graph.addNode(i, { x: m.x[i], y: -m.y[i], size: m.size[i], color: whole.colourOf(m, i), label: "" });
    }
    for (var k = 0; k < m.source.length; k++) {
      graph.addEdge(m.source[k], m.target[k]);
    }
    renderer = new window.Sigma(graph, $("graph"), {
      renderLabels: false,
      renderEdgeLabels: false,
      enableEdgeEvents: false,
      hideEdgesOnMove: m.source.length > 20000,
      defaultEdgeType: "line",
      defaultEdgeColor: EDGE,
      edgeProgramClasses: { line: window.Sigma.rendering.EdgeLineProgram },
      zIndex: false,
      minCameraRatio: 0.002,
      maxCameraRatio: 3,
      zoomToSizeRatioFunction: function (ratio) { return Math.pow(ratio, 0.8); },  // zoomed in, discs grow slowly
      defaultDrawNodeHover: function () {},
      nodeReducer: function (key, attrs) {
        if (!near) return attrs;
        var i = +key;
        if (i === selected) return Object.assign({}, attrs, { highlighted: false, zIndex: 2 });
        return near.has(i) ? attrs : Object.assign({}, attrs, { color: DIM });
      },
      edgeReducer: function (key, attrs) {
        if (!near) return attrs;
        var ends = graph.extremities(key), a = +ends[0], b = +ends[1];
        return a === selected || b === selected ? Object.assign({}, attrs, { color: EDGE_NEAR }) : Object.assign({}, attrs, { color: DIM_EDGE });
      }
    });
    renderer.on("afterRender", drawLabels);
    renderer.on("clickNode", function (e) { select(+e.node, false); });
    renderer.on("clickStage", function () { select(null, false); });
    renderer.on("enterNode", function (e) { $("graph").title = m.names[+e.node]; });
    renderer.on("leaveNode", function () { $("graph").title = ""; });
  }

  // ---- labels ------------------------------------------------------------------------------------
  var measure = document.createElement("canvas").getContext("2d");
  var widths = new Map();
  function textWidth(text, px) {
    var key = px + "|" + text;
    if (!widths.has(key)) {
      if (widths.size > 20000) widths.clear();
      measure.font = px + "px sans-serif";
      widths.set(key, measure.measureText(text).width);
    }
    return widths.get(key);
  }
  function drawLabels() {
    var canvas = $("labels"), box = $("graph"), width = box.clientWidth, height = box.clientHeight;
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
    }
    var candidates = [], cameraRatio = renderer.getCamera().getState().ratio;
    function candidate(i, tier) {
      var at = renderer.graphToViewport({ x: m.x[i], y: -m.y[i] });
      if (at.x < 0 || at.y < 0 || at.x > width || at.y > height) return false;
      var r = renderer.scaleSize(m.size[i], cameraRatio), text = labelOf[i] || (labelOf[i] = whole.labelText(m.names[i]));
      var px = tier ? LABEL_PX + 1 : LABEL_PX, w = textWidth(text, px) + 4, h = Math.ceil(px * 1.3);
      candidates.push({ id: i, text: text, font: px, x: at.x + r + 2, y: at.y - h / 2, width: w, height: h,
                        tier: tier, weight: m.weight[i], dim: !!near && !near.has(i) });
      return true;
    }
    if (selected !== null) {
      candidate(selected, 2);
      linked.slice(0, NEIGHBOURS).forEach(function (i) { candidate(i, 1); });
    }
    for (var k = 0, found = 0; k < order.length && found < LABEL_CANDIDATES; k++) {
      if (order[k] !== selected && candidate(order[k], 0)) found++;
    }
    labelBoxes = core.placeLabels(candidates, { width: width, height: height });
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    labelBoxes.forEach(function (b) {
      ctx.font = (b.tier === 2 ? "bold " : "") + b.font + "px sans-serif";
      ctx.strokeText(b.text, b.x + 2, b.y + 1);
      ctx.fillStyle = b.dim ? "#9AA0A6" : "#1f2328";
      ctx.fillText(b.text, b.x + 2, b.y + 1);
    });
  }

  // ---- details, search, legend -------------------------------------------------------------------
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function nodeButton(i) {
    var b = el("button", m.names[i], "link");
    b.type = "button";
    b.addEventListener("click", function () { select(i, true); });
    return b;
  }
  function communityText(c) {
    var name = core.str(m.communityNames[String(c)]);
    return name ? say("community_named", { community: c, name: name }) : say("community_n", { community: c });
  }
  function details(i) {
    var box = $("details");
    clear(box);
    if (i === null) { box.appendChild(el("p", say("hint"), "hint")); return; }
    box.appendChild(el("h3", m.names[i]));
    var dl = el("dl");
    function row(term, text) { dl.appendChild(el("dt", term)); dl.appendChild(el("dd", text)); }
    row(say("kind"), say("kind_" + whole.kindOf(m, i)));
    row(say("community"), communityText(m.community[i]));
    m.categories.forEach(function (c) { if (c.index[i] >= 0) row(c.label, c.values[c.index[i]]); });
    m.metrics.forEach(function (metric) {
      var v = metric.values[i];
      if (isFinite(v)) row(metric.label, core.fmt(v, m));
    });
    box.appendChild(dl);
    box.appendChild(el("h3", say("neighbours", { count: count(linked.length) })));
    var list = el("ul");
    linked.slice(0, NEIGHBOURS).forEach(function (j) { var li = el("li"); li.appendChild(nodeButton(j)); list.appendChild(li); });
    box.appendChild(list);
    if (linked.length > NEIGHBOURS) box.appendChild(el("p", say("neighbours_more", { count: count(linked.length - NEIGHBOURS) }), "hint"));
  }
  function select(i, move) {
    selected = i;
    near = null;
    linked = i === null ? [] : whole.neighbours(m, i);  // sorted once per selection: details and every frame's labels
    if (i !== null) {
      near = new Set(linked);
      near.add(i);
    }
    details(i);
    renderer.refresh({ skipIndexation: true });
    if (i !== null && move) {
      var at = renderer.getNodeDisplayData(String(i));
      if (at) renderer.getCamera().animate({ x: at.x, y: at.y, ratio: Math.min(renderer.getCamera().getState().ratio, 0.08) }, { duration: 300 });
    }
  }
  function ranked(query, most) {
    if (keys === null) keys = whole.searchKeys(m);
    return whole.search(m, keys, query, most);
  }
  function showResults(query) {
    var list = $("search-results"), status = $("search-status");
    clear(list);
    if (!core.str(query).trim()) { list.hidden = true; status.textContent = ""; return []; }
    var hits = ranked(query);
    status.textContent = hits.length === 0 ? say("no_match", { query: query })
      : hits.length === 1 ? say("match_one") : say("matches", { count: count(hits.length) });
    hits.slice(0, RESULTS).forEach(function (i) { var li = el("li"); li.appendChild(nodeButton(i)); list.appendChild(li); });
    if (hits.length > RESULTS) list.appendChild(el("li", say("more", { count: count(hits.length - RESULTS) }), "hint"));
    list.hidden = hits.length === 0;
    return hits;
  }
  function legend() {
    var list = $("legend-colors");
    whole.legend(m).forEach(function (entry) {
      var li = el("li"), sw = el("span", undefined, "swatch");
      sw.style.background = entry.colour;
      li.appendChild(sw);
      li.appendChild(el("span", entry.community === null ? say("other_communities") : communityText(entry.community)));
      li.appendChild(el("span", say("community_count", { count: count(entry.count) }), "count"));
      list.appendChild(li);
    });
    var metric = m.sizeMetric;
    $("legend-size").textContent = metric ? (metric.about ? say("size_about", { label: metric.label, about: metric.about })
      : say("size", { label: metric.label })) : say("sizes");
  }

  var timer = null;
  $("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    var q = e.target.value;
    timer = setTimeout(function () { showResults(q); }, 150);
  });
  $("search").addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    var hits = showResults(e.target.value);
    if (hits.length) select(hits[0], true);
  });
  function zoomBy(factor) {
    var camera = renderer.getCamera();
    return camera.animate({ ratio: camera.getState().ratio / factor }, { duration: 200 });
  }
  $("zoom-in").addEventListener("click", function () { zoomBy(1.5); });
  $("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.5); });
  $("zoom-reset").addEventListener("click", function () { renderer.getCamera().animatedReset({ duration: 300 }); });

  // ---- the first frame ---------------------------------------------------------------------------
  function nextFrame() {
    return new Promise(function (resolve) {
      renderer.once("afterRender", function () { requestAnimationFrame(function () { resolve(); }); });
    });
  }
  legend();
  try {
    build();
    timings.built = performance.now();
  } catch (err) {
    $("whole-status").textContent = say("no_webgl");
    document.body.dataset.ready = "error";
    return;
  }
  window.ecosys = {
    /** The names drawn in the current frame: [{id, text, x, y, width, height}] in page pixels of #graph. */
    labelBoxes: function () {
      return labelBoxes.map(function (b) { return { id: b.id, text: b.text, x: b.x, y: b.y, width: b.width, height: b.height }; });
    },
    /** The nodes a search finds, best first: [{id, name}]. */
    search: function (query) { return ranked(query).map(function (i) { return { id: i, name: m.names[i] }; }); },
    /** The ids of the nodes drawn (every node: this page hides none). */
    shown: function () { var out = []; graph.forEachNode(function (key, a) { if (!a.hidden) out.push(+key); }); return out; },
    /** Select a node (id) or nothing (null), as a click does; the camera moves to it. */
    select: function (i) { select(i === null ? null : +i, true); },
    /** Zoom by `factor` at once and resolve, after the next frame, with the milliseconds it took. */
    zoom: function (factor) {
      var t0 = performance.now(), camera = renderer.getCamera(), done = nextFrame();
      camera.setState({ ratio: camera.getState().ratio / factor });
      return done.then(function () { return performance.now() - t0; });
    },
    firstDrawn: null,
    /** When each step of the first frame ended (performance.now() milliseconds): start, model, built, drawn. */
    timings: timings
  };
  nextFrame().then(function () {
    window.ecosys.firstDrawn = timings.drawn = performance.now();
    $("whole-status").textContent = say("drawn", { nodes: count(m.n), links: count(m.source.length) });
    document.body.dataset.ready = "1";
  });
  renderer.refresh();
}());
