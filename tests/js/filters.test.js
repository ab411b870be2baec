// Filtering: kind, community, categories, role, years, minimum metric, and the rule that a filter
// on one side keeps only the other side's nodes linked to what passes.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup, ids } = require("./fixture.js");

function shown(filters, view) {
  const { m, state } = setup(filters, view);
  return ids(core.visibleIds(m, state));
}

test("the model keeps real nodes and edges whose ends exist, in payload order", () => {
  const { m } = setup();
  assert.deepEqual(m.nodes.map((n) => n.id), [0, 1, 2, 4, 5, 6]);
  assert.deepEqual(m.edges.bipartite.map((e) => [e.from, e.to, e.k]), [[0, 4, 0], [1, 4, 1], [0, 5, 2], [2, 5, 3], [2, 6, 4]]);
  assert.deepEqual(m.kinds.map((k) => k.key), ["partner", "project"]);  // no community node: no such box
  assert.deepEqual(core.communities(m), [1, 2]);
});

test("without filters every node is shown", () => {
  assert.deepEqual(shown({}), [0, 1, 2, 4, 5, 6]);
});

test("kind and community filters hide exactly their nodes", () => {
  assert.deepEqual(shown({ kinds: { project: true } }), [0, 1, 2]);
  assert.deepEqual(shown({ kinds: { partner: true } }), [4, 5, 6]);
  assert.deepEqual(shown({ community: "2" }), [2, 5, 6]);
});

test("a partner attribute keeps the projects of the partners that have it", () => {
  // municipality: Comune di Torino (0), and its projects Orti Urbani (4) and Scuola Aperta (5)
  assert.deepEqual(shown({ categories: { type: "municipality" } }), [0, 4, 5]);
  assert.deepEqual(shown({ categories: { type: "foundation" } }), [2, 5, 6]);
});

test("a role keeps the partners and projects of the participations that have it", () => {
  assert.deepEqual(shown({ categories: { role: "coordinator" } }), [0, 2, 4, 5]);
  const { m, state } = setup({ categories: { role: "coordinator" } });
  const visible = core.visibleIds(m, state), sides = core.activeSides(m, state.filters);
  assert.deepEqual(sides, { partner: false, project: false, role: [["role", "coordinator"]] });
  const drawn = m.edges.bipartite.filter((e) => core.edgeShown(e, visible, "bipartite", sides));
  assert.deepEqual(drawn.map((e) => [e.from, e.to]), [[0, 4], [2, 5]]);  // 0-5 is a "partner" participation
});

test("a year range keeps the partners of the projects in it", () => {
  assert.deepEqual(shown({ yearFrom: 2020 }), [0, 2, 5, 6]);
  assert.deepEqual(shown({ yearTo: 2019 }), [0, 1, 4]);
  assert.deepEqual(shown({ yearFrom: 2019, yearTo: 2020 }), [2, 6]);
  // the full range restricts nothing
  assert.deepEqual(shown({ yearFrom: 2018, yearTo: 2021 }), [0, 1, 2, 4, 5, 6]);
});

test("a minimum metric value filters each node on its own", () => {
  assert.deepEqual(shown({ metric: "degree", min: 2 }), [0, 2, 4, 5]);
  assert.deepEqual(shown({ metric: "degree", min: 3 }), []);
  assert.deepEqual(shown({ metric: "degree", min: null }), [0, 1, 2, 4, 5, 6]);
});

test("filters on both sides combine", () => {
  // a foundation's projects from 2021: Fondazione Ponte (2) and Scuola Aperta (5), not Lab (2020)
  assert.deepEqual(shown({ categories: { type: "foundation" }, yearFrom: 2021 }), [2, 5]);
});

test("the partner view shows partners only, filtered on their own side", () => {
  assert.deepEqual(shown({}, "projection"), [0, 1, 2]);
  assert.deepEqual(shown({ categories: { type: "municipality" } }, "projection"), [0]);
  const { m } = setup();
  assert.deepEqual(core.viewEdges(m, "projection", "degree").map((e) => [e.from, e.to]), [[0, 1], [0, 2]]);
});

test("attribute names and values that are names of object properties are plain data", () => {
  const { m, state } = setup({}, "bipartite", {
    nodes: [{ id: 0, name: "A", kind: "partner", attrs: JSON.parse('{"__proto__": "constructor"}') },
            { id: 1, name: "B", kind: "partner", attrs: {} }],
    edges: [],
    categories: [{ key: "__proto__", label: "proto", scope: "partner", values: ["constructor"],
                   colors: JSON.parse('{"constructor": "#123456"}') }],
  });
  state.filters.categories.__proto__ = "constructor";
  assert.deepEqual(ids(core.visibleIds(m, state)), [0]);
  assert.equal(core.colourOf(m, m.byId.get(0), "attr:__proto__"), "#123456");
  assert.equal(core.colourOf(m, m.byId.get(1), "attr:__proto__"), "#F0F0F0");  // no value: missing
  assert.equal(core.colourOf(m, m.byId.get(0), "attr:toString"), "#F0F0F0");  // not an attribute: missing
});
