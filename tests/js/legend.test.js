// Colours, the legend, and what vis-network is given to draw.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const vm = require("node:vm");
const fs = require("node:fs");
const path = require("node:path");
const { core, setup, payload } = require("./fixture.js");

function legendOf(filters, colorBy, changes) {
  const { m, state } = setup(filters, "bipartite", changes);
  return core.legend(m, core.visibleIds(m, state), colorBy).map((e) => [e.colour, e.label, e.count]);
}

test("by community: one entry per community drawn, counting the nodes shown", () => {
  assert.deepEqual(legendOf({}, "community"), [["#CC6677", "Community 1", 3], ["#332288", "Community 2", 3]]);
  assert.deepEqual(legendOf({ categories: { type: "municipality" } }, "community"),
                   [["#CC6677", "Community 1", 2], ["#332288", "Community 2", 1]]);
  assert.deepEqual(legendOf({ community: "2" }, "community"), [["#332288", "Community 2", 3]]);
});

test("communities without a colour of their own share the last entry", () => {
  assert.deepEqual(legendOf({}, "community", { community_colors: { 2: "#332288" } }),
                   [["#332288", "Community 2", 3], ["#BBBBBB", "Other communities", 3]]);
});

test("by attribute: values in their order, then other values, then the nodes without one", () => {
  // the foundation's colour is not a colour: "other"; projects cannot have a type (a partner
  // attribute): an entry of their own, not "No type"
  assert.deepEqual(legendOf({}, "attr:type"), [
    ["#111111", "municipality", 1], ["#222222", "chamber", 1], ["#BBBBBB", "Other values", 1],
    ["#D6D6D6", "Projects (type applies to partners)", 3],
  ]);
  // "No type" counts the partners without one, only
  const untyped = core.model(payload({ nodes: payload().nodes.map((n) => n && n.id === 1 ? { ...n, attrs: {} } : n) }));
  assert.deepEqual(core.legend(untyped, new Set([0, 1, 2, 4]), "attr:type").map((e) => [e.label, e.count]), [
    ["municipality", 1], ["Other values", 1], ["No type", 1], ["Projects (type applies to partners)", 1],
  ]);
  assert.deepEqual(legendOf({ kinds: { project: true } }, "attr:type"), [
    ["#111111", "municipality", 1], ["#222222", "chamber", 1], ["#BBBBBB", "Other values", 1],
  ]);
});

test("communities are named; the overview's legend counts each community's members", () => {
  const { m } = setup({}, "bipartite", { community_names: { 1: "Comune di Torino · municipality 50%" } });
  assert.equal(core.communityLabel(m, 1), "Community 1: Comune di Torino · municipality 50%");
  assert.equal(core.communityLabel(m, 2), "Community 2");
  assert.deepEqual(core.legend(m, new Set([0, 1, 2]), "community").map((e) => [e.label, e.count]),
                   [["Community 1: Comune di Torino · municipality 50%", 2], ["Community 2", 1]]);
  const o = core.model(payload({
    mode: "overview",
    nodes: [{ id: 0, kind: "community", community: 1, members: { partners: 914 } },
            { id: 1, kind: "community", community: 2, members: { partners: 40 } },
            { id: 2, kind: "partner", community: 1, top_by: { degree: [0, 0] } }],
    edges: [],
  }));
  assert.deepEqual(core.legend(o, new Set([0, 1, 2]), "community").map((e) => [e.label, e.count]),
                   [["Community 1", 914], ["Community 2", 40]]);
});

test("shapes, the size note and the shown count", () => {
  const { m } = setup();
  assert.deepEqual(core.legendShapes(m, "bipartite").map((s) => s.label), ["Partner (organisation)", "Project"]);
  assert.deepEqual(core.legendShapes(m, "projection").map((s) => s.label), ["Partner (organisation)"]);
  assert.equal(core.sizeNote(m, "degree"), "Size: Degree \u2014 how many links");
  assert.equal(core.sizeNote(m, ""), "");
  assert.equal(core.shownText(m, 1234, 56789), "Showing 1,234 of 56,789 nodes");
  // in Italian, from the Italian texts, numbers as Italian writes them
  const it = core.model(payload({ text: require("../../ecosys/lang/it/map.json").page, decimal: ",", thousands: "." }));
  assert.equal(core.shownText(it, 1234, 56789), "Mostrati 1.234 nodi su 56.789");
  assert.equal(core.fmt(0.123456, it), "0,1235");
  assert.equal(core.fmt(1234567, it), "1.234.567");
  assert.equal(core.edgeInfo(it, { attrs: {}, weight: 1234 }, "projection"), "1.234 progetti in comune");
  assert.equal(core.say(it, "no such key"), "no such key");
});

test("vis-network items: shapes it draws itself, stored positions, tooltips as text", () => {
  const { m } = setup({}, "bipartite", {
    nodes: [{ id: 0, name: "<b>A</b>", label: "A", kind: "partner", community: 1, shape: "image", x: 1, y: 2 },
            { id: 1, name: "P", kind: "project", community: 1, shape: "square", x: "3" }],
    edges: [{ from: 0, to: 1, attrs: { role: "lead" } }],
  });
  assert.deepEqual(core.visNodes(m, "bipartite", "degree"), [
    { id: 0, label: "A", shape: "dot", x: 1, y: 2, title: "<b>A</b>\npartner \u00b7 community 1" },
    { id: 1, label: "", shape: "square", title: "P\nproject \u00b7 community 1" },
  ]);
  assert.deepEqual(core.visEdges(m.edges.bipartite, "bipartite"), [{ id: "b0", from: 0, to: 1, title: "role: lead" }]);
});

test("edge widths follow the log of the weight", () => {
  const edges = [1, 4, 16].map((weight, k) => ({ from: 0, to: k + 1, weight, attrs: {}, k }));
  assert.deepEqual(core.visEdges(edges, "projection").map((e) => [e.id, e.width]), [["p0", 1], ["p1", 3.5], ["p2", 6]]);
  assert.equal(core.edgeWidth(1, 1), null);  // all weigh 1: vis-network's default width
});

test("focus: the nodes and edges outside the neighbourhood are dimmed, hidden ones hidden", () => {
  const { m, state } = setup();
  const shown = new Set([0, 4]), near = new Set([0, 4]);
  assert.deepEqual(core.nodeStyle(m, state, m.byId.get(0), shown, near, 2),
                   { id: 0, hidden: false, color: "#CC6677", borderWidth: 1, font: { color: "#1f2328" }, value: 36 });
  assert.deepEqual(core.nodeStyle(m, state, m.byId.get(5), shown, near, 2),
                   { id: 5, hidden: true, color: { background: "#E4E6E8", border: "#E4E6E8" }, borderWidth: 1, font: { color: "#B8BCC0" }, value: 36 });
  const edge = m.edges.bipartite[2];  // 0-5
  assert.deepEqual(core.edgeStyle(edge, "bipartite", false, near), { id: "b2", hidden: true, color: { color: "#EEF0F2" } });
  assert.deepEqual(core.edgeStyle(edge, "bipartite", true, null),
                   { id: "b2", hidden: false, color: { color: "#9AA0A6", highlight: "#333333" } });
});

test("numbers", () => {
  assert.equal(core.fmt(12326), "12,326");
  assert.equal(core.fmt(0.727123), "0.7271");
  assert.equal(core.fmt("n/a"), "n/a");
  assert.equal(core.fmt(null), "");
});

test("in a page the module defines one global, ecosysCore, and needs no DOM", () => {
  const source = fs.readFileSync(path.join(__dirname, "..", "..", "ecosys", "static", "map-core.js"), "utf8");
  const sandbox = {};  // no window, no document, no module
  vm.runInNewContext(source, sandbox);
  assert.deepEqual(Object.keys(sandbox), ["ecosysCore"]);
  assert.deepEqual(Object.keys(sandbox.ecosysCore), Object.keys(core));
  assert.ok(Object.isFrozen(sandbox.ecosysCore));
});

test("a payload may open coloured by a partner attribute; anything else falls back to community", () => {
  const state = (color_by) => core.initialState(core.model(payload({ defaults: { size_by: "degree", color_by } }))).colorBy;
  assert.equal(state("attr:type"), "attr:type");
  assert.equal(state("attr:role"), "community");   // a participation attribute colours no node
  assert.equal(state("attr:nope"), "community");
  assert.equal(state(undefined), "community");
});
