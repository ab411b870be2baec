// The exports: the CSV guard (the same rule as ecosys/safe.py), the table of the nodes shown, the SVG tree.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { core, setup } = require("./fixture.js");

const ex = require(path.join(__dirname, "..", "..", "ecosys", "static", "map-export.js"));
// [text, what Python's guard_formula makes of it]: tests/test_js.py checks the second column against Python.
const CASES = require("./formula-cases.json");

test("the formula guard gives what Python's guard_formula gives, on every case", () => {
  assert.ok(CASES.length > 30);
  CASES.forEach(([text, expected]) => assert.equal(ex.guardFormula(text), expected, JSON.stringify(text)));
  assert.equal(ex.guardFormula(3), 3);
  assert.equal(ex.guardFormula(null), null);
});

test("CSV: a byte-order mark, guarded and quoted fields, numbers to 6 significant digits", () => {
  const text = ex.csvText(["name", "=share"], [["=cmd|' /C calc'!A0", 0.1234567], ["Città, \"Roma\"", null], ["-1,5", 2]]);
  assert.equal(text, "\ufeffname,'=share\n'=cmd|' /C calc'!A0,0.123457\n\"Città, \"\"Roma\"\"\",\n\"-1,5\",2\n");
});

test("the table: name, kind, community, the size metric, then the main metrics the map has", () => {
  const { m } = setup({}, "bipartite", {
    metrics: [{ key: "pagerank", label: "PageRank" }, { key: "degree", label: "Degree" }, { key: "closeness", label: "Closeness" }],
  });
  m.nodes.forEach((n) => { n.metrics.pagerank = n.id / 10; });
  const cols = ex.tableColumns(core, m, "pagerank");
  assert.deepEqual(cols.map((c) => c.key), ["name", "kind", "community", "metric:pagerank", "metric:degree"]);
  assert.deepEqual(cols.map((c) => c.label), ["Name", "Kind", "Community", "PageRank", "Degree"]);
  const rows = ex.tableRows(core, m, new Set([5, 0, 2]), cols);
  assert.deepEqual(rows.map((r) => r.id), [0, 2, 5]);
  assert.deepEqual(rows[0].cells, ["Comune di Torino", "partner", "Community 1", 0, 2]);
  assert.deepEqual(rows[2].cells, ["Scuola Aperta", "project", "Community 2", 0.5, 2]);
  // by PageRank, largest first; by name, in alphabetical order
  assert.deepEqual(ex.sortRows(rows, 3, true).map((r) => r.id), [5, 2, 0]);
  assert.deepEqual(ex.sortRows(rows, 0, false).map((r) => r.cells[0]), ["Comune di Torino", "Fondazione Ponte", "Scuola Aperta"]);
  assert.equal(ex.tableCsv(cols, rows),
    "\ufeffName,Kind,Community,PageRank,Degree\nComune di Torino,partner,Community 1,0,2\n" +
    "Fondazione Ponte,partner,Community 2,0.2,2\nScuola Aperta,project,Community 2,0.5,2\n");
});

test("sorting keeps missing values last both ways and is stable", () => {
  const rows = [[3], [null], [1], [3], [""]].map((cells, id) => ({ id, cells }));
  assert.deepEqual(ex.sortRows(rows, 0, true).map((r) => r.id), [0, 3, 2, 1, 4]);
  assert.deepEqual(ex.sortRows(rows, 0, false).map((r) => r.id), [2, 0, 3, 1, 4]);
  const names = ["zeta", "Àlfa", "beta"].map((name, id) => ({ id, cells: [name] }));
  assert.deepEqual(ex.sortRows(names, 0, false, "it").map((r) => r.cells[0]), ["Àlfa", "beta", "zeta"]);
});

function flat(tree, out = []) {
  out.push(tree);
  tree.children.forEach((c) => flat(c, out));
  return out;
}

test("the SVG tree: one shape per node, one line per edge, one text per label, the header, legend and credit", () => {
  const tree = ex.svgTree({
    width: 400, height: 300, title: "<b>Map</b>", subtitle: "sub", credit: "Data: x", font: "#111111", muted: "#555555",
    edges: [{ x1: 0, y1: 0, x2: 10, y2: 10, colour: "#9AA0A6", width: 2 }, { x1: 1, y1: 1, x2: 5, y2: 5, colour: "#9AA0A6", dashed: true }],
    nodes: [{ id: 1, x: 10, y: 10, r: 5, shape: "dot", fill: "#CC6677", stroke: "#CC6677" },
            { id: 2, x: 20, y: 20, r: 4, shape: "square", fill: "#332288", stroke: "#332288" },
            { id: 3, x: 30, y: 30, r: 8, shape: "hexagon", fill: "#332288", stroke: "#332288" }],
    labels: [{ id: 1, x: 0, y: 16, width: 40, height: 15, text: "</text><script>x</script>", font: 12, colour: "#1f2328" }],
    legend: [{ colour: "#CC6677", label: "Community 1", count: "3" }],
  });
  assert.equal(tree.tag, "svg");
  assert.deepEqual(tree.attrs.viewBox, "0 0 400 " + tree.attrs.height);
  const all = flat(tree);
  const group = (name) => all.find((e) => e.attrs.class === name);
  assert.deepEqual(group("edges").children.map((e) => e.tag), ["line", "line"]);
  assert.equal(group("edges").children[1].attrs["stroke-dasharray"], "5 5");
  assert.deepEqual(group("nodes").children.map((e) => e.tag), ["circle", "rect", "polygon"]);
  assert.deepEqual(group("nodes").children[1].attrs, { x: 16, y: 16, width: 8, height: 8, fill: "#332288", stroke: "#332288", "stroke-width": 1, "data-id": "2" });
  assert.equal(group("nodes").children[2].attrs.points.split(" ").length, 6);
  assert.deepEqual(group("labels").children.map((e) => [e.tag, e.text, e.attrs.x, e.attrs.y]), [["text", "</text><script>x</script>", 20, 29]]);
  assert.deepEqual(all.filter((e) => e.tag === "title").map((e) => e.text), ["<b>Map</b>"]);
  assert.deepEqual(group("legend").children.map((e) => e.text || e.tag), ["rect", "Community 1  3"]);
  assert.equal(group("credit").text, "Data: x");
});

test("toXml sets attributes and text, never parses them", () => {
  const made = [];
  const doc = {
    createElementNS(ns, tag) {
      const el = { ns, tag, attrs: {}, kids: [], setAttribute(k, v) { this.attrs[k] = v; }, appendChild(c) { this.kids.push(c); } };
      made.push(el);
      return el;
    },
  };
  const el = ex.toXml(doc, { tag: "svg", attrs: { xmlns: ex.SVG_NS, width: 3 }, children: [{ tag: "text", attrs: { x: 1 }, text: "<a>", children: [] }] });
  assert.deepEqual([el.ns, el.tag, el.attrs], [ex.SVG_NS, "svg", { width: "3" }]);
  assert.deepEqual([el.kids[0].tag, el.kids[0].attrs, el.kids[0].textContent], ["text", { x: "1" }, "<a>"]);
  assert.equal(ex.fileName("Mappa: Città 2024", "svg"), "Mappa-Citta-2024.svg");  // accents folded, not dropped
  assert.equal(ex.fileName("Italian <social> innovation!", "png"), "Italian-social-innovation.png");
  assert.equal(ex.fileName("\u00e0\u00e8", "png"), "ae.png");
  assert.equal(ex.fileName("<>", "png"), "ecosys-map.png");
});
