// Focus: the nodes within 1, 2 or 3 steps of a node, along the edges drawn; the neighbour list.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup, ids } = require("./fixture.js");

function near(id, depth, filters = {}, view = "bipartite") {
  const { m, state } = setup(filters, view);
  const visible = core.visibleIds(m, state), sides = core.activeSides(m, state.filters);
  const adj = core.adjacency(core.viewEdges(m, view, state.sizeBy));
  return ids(core.neighbourhood(adj, id, depth, (e) => core.edgeShown(e, visible, view, sides)));
}

test("each step adds the next ring of the bipartite graph", () => {
  // Camera (1) - Orti Urbani (4) - Comune di Torino (0) - Scuola Aperta (5) - Fondazione Ponte (2) - Lab (6)
  assert.deepEqual(near(1, 1), [1, 4]);
  assert.deepEqual(near(1, 2), [0, 1, 4]);
  assert.deepEqual(near(1, 3), [0, 1, 4, 5]);
  assert.deepEqual(near(6, 3), [0, 2, 5, 6]);
});

test("the neighbourhood follows only the edges drawn", () => {
  // coordinators only: 0-4 and 2-5 are drawn; 0-5 (a partner role) is not, so 0 never reaches 5
  assert.deepEqual(near(0, 3, { categories: { role: "coordinator" } }), [0, 4]);
  // hidden nodes are not reached: at degree 2 or more, Camera (1) and Lab (6) are hidden
  assert.deepEqual(near(0, 3), [0, 1, 2, 4, 5, 6]);
  assert.deepEqual(near(0, 3, { metric: "degree", min: 2 }), [0, 2, 4, 5]);
  // nor what lies behind them: from 2019, Orti Urbani (4) is hidden and Camera (1) with it
  assert.deepEqual(near(2, 3, { yearFrom: 2019 }), [0, 2, 5, 6]);
});

test("the partner view links partners that share projects", () => {
  assert.deepEqual(near(1, 1, {}, "projection"), [0, 1]);
  assert.deepEqual(near(1, 2, {}, "projection"), [0, 1, 2]);
});

test("a node without links is its own neighbourhood", () => {
  assert.deepEqual(ids(core.neighbourhood(new Map(), 7, 3, () => true)), [7]);
});

test("neighbours are listed by name, case and accents aside, numbers in order", () => {
  const { m } = setup({}, "bipartite", {
    nodes: ["Ente 10", "Ente 9", "Ábaco", "abaco", "Centro"].map((name, id) => ({ id, name, kind: "partner" }))
      .concat([{ id: 9, name: "Progetto", kind: "project" }]),
    edges: [0, 1, 2, 3, 4].map((id) => ({ from: id, to: 9, attrs: { role: "partner" } })),
  });
  const adj = core.adjacency(m.edges.bipartite);
  const all = new Set([0, 1, 2, 3, 4, 9]);
  assert.deepEqual(core.neighbours(m, adj, 9, all).map((p) => m.byId.get(p[0]).name),
                   ["abaco", "Ábaco", "Centro", "Ente 9", "Ente 10"]);
  assert.deepEqual(core.neighbours(m, adj, 9, new Set([1, 4, 9])).map((p) => p[0]), [4, 1]);  // shown only
  assert.equal(core.edgeInfo(m, adj.get(9)[0][1], "bipartite"), "role: partner");
});

test("what the details panel says of a link", () => {
  const { m } = setup();
  assert.equal(core.edgeInfo(m, { attrs: { role: "coordinator", cost: 5 } }, "bipartite"), "role: coordinator, cost: 5");
  assert.equal(core.edgeInfo(m, { attrs: {}, weight: 1 }, "projection"), "1 shared project");
  assert.equal(core.edgeInfo(m, { attrs: {}, weight: 3 }, "projection"), "3 shared projects");
  assert.equal(core.edgeInfo(m, { attrs: {} }, "projection"), "");
});
