// Search: which node a query selects, and the suggestions offered.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup } = require("./fixture.js");

const names = (list) => list.map((n) => core.fullName(n));
const CANDIDATES = ["Camera di commercio di Torino", "Comune di Torino", "comune di torino", "Torino", "Milano"]
  .map((name, id) => ({ id, name }));

test("the exact name first, then the name in any case, then names containing the query", () => {
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "comune di torino")), ["comune di torino", "Comune di Torino"]);
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "COMUNE DI TORINO")), ["Comune di Torino", "comune di torino"]);
  // Today a query inside several names takes them in payload order: "Torino" itself first, then
  // the Camera before the Comune (issue 15 will rank by where the query falls and by size).
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "Torino")),
                   ["Torino", "Camera di commercio di Torino", "Comune di Torino", "comune di torino"]);
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "torino")),
                   ["Torino", "Camera di commercio di Torino", "Comune di Torino", "comune di torino"]);
});

test("spaces around the query are ignored; an empty query or no match finds nothing", () => {
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "  Milano ")), ["Milano"]);
  assert.deepEqual(core.rankMatches(CANDIDATES, "   "), []);
  assert.deepEqual(core.rankMatches(CANDIDATES, "Roma"), []);
  assert.deepEqual(core.rankMatches(CANDIDATES, null), []);
});

test("a node without a name is found by its label", () => {
  assert.deepEqual(core.rankMatches([{ id: 0, label: "Only a label" }], "only").map((n) => n.id), [0]);
});

test("a search looks only among the nodes of the view", () => {
  const { m } = setup();
  assert.equal(core.findNode(m, "orti", "bipartite", "degree").id, 4);
  assert.equal(core.findNode(m, "orti", "projection", "degree"), null);  // projects are not in the partner view
  assert.equal(core.findNode(m, "Torino", "projection", "degree").id, 0);  // both contain it: payload order
  assert.equal(core.findNode(m, "camera di commercio di torino", "projection", "degree").id, 1);
});

test("suggestions: each name of the view once, in payload order", () => {
  const { m } = setup({}, "bipartite", {
    nodes: [{ id: 0, name: "B", kind: "partner", px: 0, py: 0 }, { id: 1, name: "A", kind: "project" },
            { id: 2, name: "B", kind: "partner" }, { id: 3, name: "", kind: "partner", px: 1, py: 1 }],
  });
  assert.deepEqual(core.suggestions(m, "bipartite", "degree"), ["B", "A"]);
  assert.deepEqual(core.suggestions(m, "projection", "degree"), ["B"]);
});
