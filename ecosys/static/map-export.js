/*
 * What the map page exports, as plain values: the table of the nodes shown, its CSV, and the SVG
 * of the current view. No DOM is read here and nothing is fetched; the page (map.js, map-table.js)
 * gathers what is drawn and hands it in. Tested in Node (tests/js/export.test.js).
 *
 * In the page this file defines one global, `ecosysExport`; in Node, `require` returns it.
 *
 * The CSV follows the rule of every table ecosys writes (ecosys/safe.py, guard_formula): a cell
 * starting with = + - @, a tab or a carriage return gets an apostrophe in front, unless it holds
 * only digits, spaces and the punctuation of numbers (-3.70, +39 011 123), which no spreadsheet
 * runs. The file starts with a byte-order mark, so Excel reads its accents as UTF-8.
 *
 * The SVG is a tree of plain objects { tag, attrs, text, children }; toXml() turns it into elements
 * of an XML document with setAttribute and textContent only, so a name is always text.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else root.ecosysExport = api;
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  // Python's rule (ecosys/safe.py): _FORMULA_FIRST and _NUMBER_LIKE, where \d is any decimal digit and
  // \s any character str.isspace() accepts (JavaScript's \s, with \x1c-\x1f and \x85, without \ufeff).
  var FORMULA_FIRST = "=+-@\t\r";
  var NUMBER_LIKE = /^(?:(?!\ufeff)[\p{Nd}\s\x1c-\x1f\x85.,()\/%+-])*$/u;
  // Besides the size metric, the metrics the table shows when the map has them.
  var MAIN_METRICS = ["degree", "pagerank", "betweenness"];

  function str(value) { return value === null || value === undefined ? "" : String(value); }
  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }

  /** `value` with an apostrophe in front when a spreadsheet would run it as a formula (as guard_formula). */
  function guardFormula(value) {
    if (typeof value === "string" && value.length && FORMULA_FIRST.indexOf(value.charAt(0)) >= 0 && !NUMBER_LIKE.test(value)) {
      return "'" + value;
    }
    return value;
  }
  /** A number as the CSV writes it: at most 6 significant digits ("" when missing). */
  function csvNumber(v) {
    return num(v) === null ? "" : String(Number(v.toPrecision(6)));
  }
  /** One CSV field: guarded, then quoted when it holds a comma, a quote or a line break. */
  function csvField(value) {
    var text = typeof value === "number" ? csvNumber(value) : str(guardFormula(str(value)));
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  /** A table as CSV text with a byte-order mark: `header` (strings) then `rows` (arrays of strings and numbers). */
  function csvText(header, rows) {
    var lines = [header.map(csvField).join(",")];
    rows.forEach(function (r) { lines.push(r.map(csvField).join(",")); });
    return "\ufeff" + lines.join("\n") + "\n";
  }

  /**
   * The table's columns: name, kind, community, the size metric, then the main metrics the map has.
   * Each is { key, label, numeric } (a metric's key is "metric:" and its name).
   */
  function tableColumns(core, m, sizeBy) {
    var cols = [
      { key: "name", label: core.say(m, "table_name"), numeric: false },
      { key: "kind", label: core.say(m, "kind"), numeric: false },
      { key: "community", label: core.say(m, "community"), numeric: false }
    ];
    var keys = [sizeBy].concat(MAIN_METRICS).filter(function (k, i, all) {
      return m.metricByKey.has(k) && all.indexOf(k) === i;
    });
    keys.forEach(function (k) { cols.push({ key: "metric:" + k, label: str(m.metricByKey.get(k).label), numeric: true }); });
    return cols;
  }
  /** One node's row: { id, cells } with the cells in the columns' order (texts, or numbers or null). */
  function tableRow(core, m, n, cols) {
    return {
      id: n.id,
      cells: cols.map(function (c) {
        if (c.key === "name") return core.fullName(n);
        if (c.key === "kind") return core.say(m, "kind_" + str(n.kind));
        if (c.key === "community") return n.kind === "community" ? "" : core.communityLabel(m, n.community);
        return num(n.metrics[c.key.slice(7)]);
      })
    };
  }
  /** The rows of the nodes in `ids` (any iterable), in the page's model order. */
  function tableRows(core, m, ids, cols) {
    var keep = new Set(ids);
    return m.nodes.filter(function (n) { return keep.has(n.id); }).map(function (n) { return tableRow(core, m, n, cols); });
  }
  /**
   * The rows sorted by column `k`: numbers largest first when `descending`, missing values last
   * either way; texts in the page's language order, case and accents aside. Stable.
   */
  function sortRows(rows, k, descending, locale) {
    var collator = typeof Intl !== "undefined" ? new Intl.Collator(locale || undefined, { sensitivity: "base", numeric: true }) : null;
    var order = rows.map(function (r, i) { return [r, i]; });
    order.sort(function (a, b) {
      var x = a[0].cells[k], y = b[0].cells[k];
      var xm = x === null || x === "", ym = y === null || y === "";
      if (xm || ym) return xm === ym ? a[1] - b[1] : xm ? 1 : -1;
      var c = typeof x === "number" && typeof y === "number" ? x - y
        : collator ? collator.compare(str(x), str(y)) : (str(x) < str(y) ? -1 : str(x) > str(y) ? 1 : 0);
      return (descending ? -c : c) || a[1] - b[1];
    });
    return order.map(function (p) { return p[0]; });
  }
  /** The table as CSV text (the header's labels, then the rows' cells). */
  function tableCsv(cols, rows) {
    return csvText(cols.map(function (c) { return c.label; }), rows.map(function (r) { return r.cells; }));
  }

  // ---- SVG ------------------------------------------------------------------------------------------
  function round(v) { return Math.round(v * 10) / 10; }
  function node(tag, attrs, text, children) { return { tag: tag, attrs: attrs || {}, text: text, children: children || [] }; }
  /** The points of a regular polygon of `sides` round (x, y) with radius r, a corner at the top. */
  function polygon(x, y, r, sides, turn) {
    var pts = [];
    for (var k = 0; k < sides; k++) {
      var a = (turn || 0) + 2 * Math.PI * k / sides - Math.PI / 2;
      pts.push(round(x + r * Math.cos(a)) + "," + round(y + r * Math.sin(a)));
    }
    return pts.join(" ");
  }
  /** A node's shape as an SVG element: dot (circle), square (rect), triangle, diamond or hexagon (polygon). */
  function shapeElement(n) {
    var paint = { fill: n.fill, stroke: n.stroke, "stroke-width": round(n.strokeWidth || 1) };
    var x = round(n.x), y = round(n.y), r = round(n.r), el;
    if (n.shape === "square" || n.shape === "box") el = node("rect", { x: round(n.x - n.r), y: round(n.y - n.r), width: round(2 * n.r), height: round(2 * n.r) });
    else if (n.shape === "hexagon") el = node("polygon", { points: polygon(n.x, n.y, n.r, 6, Math.PI / 6) });
    else if (n.shape === "triangle") el = node("polygon", { points: polygon(n.x, n.y, n.r, 3) });
    else if (n.shape === "diamond") el = node("polygon", { points: polygon(n.x, n.y, n.r, 4) });
    else el = node("circle", { cx: x, cy: y, r: r });
    Object.keys(paint).forEach(function (k) { el.attrs[k] = paint[k]; });
    el.attrs["data-id"] = str(n.id);
    return el;
  }
  /**
   * The SVG of a view as a tree: `view` is { width, height, title, subtitle, credit, font, muted,
   * edges: [{x1, y1, x2, y2, colour, width, dashed}], nodes: [{id, x, y, r, shape, fill, stroke,
   * strokeWidth}], labels: [{id, x, y, width, height, text, font, colour}] (label boxes: x, y their
   * top left), legend: [{colour, label, count}] }, all in screen pixels of the map. The title
   * and subtitle go above the map, the legend and the credit below it, wrapped to its width.
   */
  function svgTree(view) {
    var pad = 16, top = pad + 26 + (str(view.subtitle) ? 20 : 0), line = 20;
    var rows = [], x = 0;
    (view.legend || []).forEach(function (e) {
      var w = 22 + 7 * (str(e.label).length + str(e.count).length + 2) + 18;
      if (!rows.length || x + w > view.width - 2 * pad) { rows.push([]); x = 0; }
      rows[rows.length - 1].push({ entry: e, x: x });
      x += w;
    });
    var height = top + view.height + pad + rows.length * line + line + pad;
    var font = "sans-serif";
    var head = node("g", { "class": "header", "font-family": font, fill: view.font }, undefined, [
      node("text", { x: pad, y: pad + 20, "font-size": 20, "font-weight": "bold" }, str(view.title))
    ]);
    if (str(view.subtitle)) head.children.push(node("text", { x: pad, y: pad + 42, "font-size": 13, fill: view.muted }, str(view.subtitle)));
    var edges = node("g", { "class": "edges", "stroke-linecap": "round" }, undefined, view.edges.map(function (e) {
      var a = { x1: round(e.x1), y1: round(e.y1), x2: round(e.x2), y2: round(e.y2), stroke: e.colour, "stroke-width": round(e.width || 1) };
      if (e.dashed) a["stroke-dasharray"] = "5 5";
      return node("line", a);
    }));
    var nodes = node("g", { "class": "nodes" }, undefined, view.nodes.map(shapeElement));
    var labels = node("g", { "class": "labels", "font-family": font, "text-anchor": "middle", stroke: "#ffffff", "stroke-width": 3,
                             "stroke-opacity": 0.9, "paint-order": "stroke", "stroke-linejoin": "round" }, undefined,
      view.labels.map(function (b) {
        return node("text", { x: round(b.x + b.width / 2), y: round(b.y + 1 + b.font), "font-size": b.font, fill: b.colour, "data-id": str(b.id) }, str(b.text));
      }));
    var map = node("g", { "class": "map", transform: "translate(0," + top + ")" }, undefined, [
      node("rect", { width: view.width, height: view.height, fill: "#ffffff" }), edges, nodes, labels
    ]);
    var y = top + view.height + pad / 2;
    var legend = node("g", { "class": "legend", "font-family": font, "font-size": 13, fill: view.font });
    rows.forEach(function (r) {
      r.forEach(function (c) {
        legend.children.push(node("rect", { x: pad + c.x, y: y + 2, width: 12, height: 12, fill: c.entry.colour }));
        legend.children.push(node("text", { x: pad + c.x + 18, y: y + 13 }, str(c.entry.label) + "  " + str(c.entry.count)));
      });
      y += line;
    });
    var credit = node("text", { "class": "credit", x: pad, y: y + line / 2 + 12, "font-family": font, "font-size": 12, fill: view.muted }, str(view.credit));
    var w = Math.ceil(view.width), h = Math.ceil(height);
    return node("svg", { xmlns: SVG_NS, width: w, height: h, viewBox: "0 0 " + w + " " + h }, undefined, [
      node("title", {}, str(view.title)),
      node("rect", { width: w, height: h, fill: "#ffffff" }), head, map, legend, credit
    ]);
  }
  /** The tree as elements of the XML document `doc` (namespaced SVG): attributes and text set, never parsed. */
  function toXml(doc, tree) {
    var el = doc.createElementNS(SVG_NS, tree.tag);
    Object.keys(tree.attrs).forEach(function (k) { if (k !== "xmlns") el.setAttribute(k, str(tree.attrs[k])); });
    if (tree.text !== undefined) el.textContent = tree.text;
    tree.children.forEach(function (c) { el.appendChild(toXml(doc, c)); });
    return el;
  }
  /** A file name for an export: the title's letters, digits, dots, dashes and underscores, and `ext`. */
  function fileName(title, ext) {
    var plain = str(title).normalize("NFD").replace(/[\u0300-\u036f]/g, "");  // Città -> Citta
    return (plain.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "ecosys-map") + "." + ext;
  }

  return Object.freeze({
    SVG_NS: SVG_NS, MAIN_METRICS: MAIN_METRICS,
    guardFormula: guardFormula, csvField: csvField, csvText: csvText,
    tableColumns: tableColumns, tableRow: tableRow, tableRows: tableRows, sortRows: sortRows, tableCsv: tableCsv,
    svgTree: svgTree, toXml: toXml, fileName: fileName
  });
}));
