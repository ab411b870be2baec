// Search: which node a query selects, and the suggestions offered.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup } = require("./fixture.js");

const names = (list) => list.map((n) => core.fullName(n));
const CANDIDATES = ["Camera di commercio di Torino", "Comune di Torino", "comune di torino", "Torino", "Milano"]
  .map((name, id) => ({ id, name }));

test("the same name first (the very text typed before other cases), then names in any case", () => {
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "comune di torino")), ["comune di torino", "Comune di Torino"]);
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "COMUNE DI TORINO")), ["Comune di Torino", "comune di torino"]);
  // "Torino" itself, then the names with a word starting with it; equal weights: payload order
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "Torino")),
                   ["Torino", "Camera di commercio di Torino", "Comune di Torino", "comune di torino"]);
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "torino")),
                   ["Torino", "Camera di commercio di Torino", "Comune di Torino", "comune di torino"]);
});

test("the same name, then names starting with the query, then a word starting with it, then anywhere", () => {
  const list = ["Politorino", "Torino Nord", "Città di Torino", "Torino", "Ateneo"].map((name, id) => ({ id, name }));
  assert.deepEqual(names(core.rankMatches(list, "torino")), ["Torino", "Torino Nord", "Città di Torino", "Politorino"]);
  assert.deepEqual([0, 1, 2, 3].map((k) => core.matchTier(core.searchKey(["torino", "torino nord", "citta di torino", "politorino"][k]), "torino")),
                   [0, 1, 2, 3]);
  assert.equal(core.matchTier("pisa", "roma"), -1);
  assert.equal(core.matchTier("l'universita", "universita"), 2);  // after an apostrophe: a word
});

test("ties go to the largest by the size metric", () => {
  const weight = { "Camera di commercio di Torino": 0.01, "Comune di Torino": 0.2, "comune di torino": 0.05 };
  assert.deepEqual(names(core.rankMatches(CANDIDATES, "torino", (n) => weight[n.name])),
                   ["Torino", "Comune di Torino", "comune di torino", "Camera di commercio di Torino"]);
});

test("accents and case do not matter", () => {
  const list = [{ id: 0, name: "Università di Pisa" }, { id: 1, name: "ÉCOLE Polytechnique" }];
  assert.deepEqual(names(core.rankMatches(list, "universita di pisa")), ["Università di Pisa"]);
  assert.deepEqual(names(core.rankMatches(list, "ecole")), ["ÉCOLE Polytechnique"]);
  assert.deepEqual(names(core.rankMatches(list, "UNIVERSITÀ   DI")), ["Università di Pisa"]);
  assert.equal(core.searchKey("  Città\u0300  di  Torino "), "citta di torino");
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
  assert.equal(core.findNode(m, "Torino", "projection", "degree").id, 0);  // both have a word "Torino": the larger (degree 2)
  assert.deepEqual(core.search(m, "torino", "projection", "degree").map((n) => n.id), [0, 1]);
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
