// The whole-graph page's pure logic (ecosys/static/whole-core.js), on a small payload checked by hand.
//
//   partners 0 "Comune di Torino" (c1), 1 "Università di Pisa" (c2), 2 "Torino Nord" (c12)
//   projects 3 "Orti" (c1), 4 "Lab" (c2)
//   participations 0-3, 1-3, 1-4, 2-4 (and junk the model drops)
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const core = require(path.join(__dirname, "..", "..", "ecosys", "static", "map-core.js"));
const whole = require(path.join(__dirname, "..", "..", "ecosys", "static", "whole-core.js"));

function payload() {
  return {
    names: ["Comune di Torino", "Università di Pisa", "Torino Nord", "Orti", "Lab"],
    partners: 3,
    x: [0, 10, 20, 5, 15], y: [0, 0, 0, 10, 10], size: [4, 9, 2, 3, 3],
    community: [1, 2, 12, 1, 2],
    community_names: { 1: "Torino" },
    size_by: "pagerank",
    metrics: [{ key: "pagerank", label: "PageRank", values: [0.2, 0.4, 0.1, 0.15, 0.15] }],
    categories: [{ key: "type", label: "type", values: ["PUB", "HES"], index: [0, 1, -1, 7, -1] }],
    palette: ["#CC6677", "#332288"], other_color: "#BBBBBB",
    source: [0, 1, 1, 2, 2, 9, 0], target: [3, 3, 4, 4, 2, 1, "x"],
    text: { other_communities: "Other communities" }, decimal: ",", thousands: "."
  };
}

test("the model keeps the links whose ends exist, and lists each node's neighbours", () => {
  const m = whole.model(payload());
  assert.equal(m.n, 5);
  assert.deepEqual(Array.from(m.source), [0, 1, 1, 2]);
  assert.deepEqual(Array.from(m.target), [3, 3, 4, 4]);
  assert.deepEqual(whole.neighbours(m, 3), [1, 0]);  // the larger PageRank first
  assert.deepEqual(whole.neighbours(m, 4), [1, 2]);
  assert.deepEqual(whole.neighbours(m, 0), [3]);
  assert.equal(whole.kindOf(m, 2), "partner");
  assert.equal(whole.kindOf(m, 3), "project");
  assert.deepEqual(Array.from(m.categories[0].index), [0, 1, -1, 0, -1]);  // out of range: 0, not undefined
});

test("colours: communities 1 and 2 take the palette, later ones share the other colour", () => {
  const m = whole.model(payload());
  assert.deepEqual([0, 1, 2].map((i) => whole.colourOf(m, i)), ["#CC6677", "#332288", "#BBBBBB"]);
  const bad = whole.model(Object.assign(payload(), { palette: ["red", "#12345G"], other_color: "url(x)" }));
  assert.equal(whole.colourOf(bad, 0), "#BBBBBB");
});

test("the legend: each coloured community with its node count and name, then the others", () => {
  assert.deepEqual(whole.legend(whole.model(payload())), [
    { community: 1, colour: "#CC6677", count: 2, name: "Torino" },
    { community: 2, colour: "#332288", count: 2, name: "" },
    { community: null, colour: "#BBBBBB", count: 1, communities: 1, name: "" }
  ]);
});

test("search ranks as the map's rankMatches does: tier, the text typed, then the size metric", () => {
  const m = whole.model(payload()), keys = whole.searchKeys(m);
  assert.deepEqual(whole.search(m, keys, "torino"), [2, 0]);  // starts with it, then a word starts with it
  assert.deepEqual(whole.search(m, keys, "universita di pisa"), [1]);  // accents aside
  assert.deepEqual(whole.search(m, keys, "  "), []);
  assert.deepEqual(whole.search(m, keys, "o", 2), [3, 0]);
  for (const q of ["torino", "o", "di", "TORINO NORD", "lab", "i"]) {
    const nodes = m.names.map((name, id) => ({ id, name, w: m.weight[id] }));
    const expected = core.rankMatches(nodes, q, (n) => n.w).map((n) => n.id);
    assert.deepEqual(whole.search(m, keys, q), expected, q);
  }
});

test("labels: names cut in the middle past 40 characters; nodes in label order by weight", () => {
  assert.equal(whole.labelText("  Comune \n di  Torino "), "Comune di Torino");
  const long = "Consiglio Nazionale delle Ricerche - Istituto di Scienze Marine";
  const cut = whole.labelText(long);
  assert.ok(cut.length <= 40 && cut.length >= 38, cut);
  assert.ok(cut.startsWith("Consiglio Nazionale") && cut.endsWith("Marine") && cut.includes("…"));
  assert.deepEqual(Array.from(whole.byWeight(whole.model(payload()))), [1, 0, 3, 4, 2]);
});

test("a hostile payload is only data", () => {
  const m = whole.model({ names: ["<img src=x onerror=alert(1)>", null], community_names: { __proto__: "x" }, x: "no" });
  assert.equal(m.n, 2);
  assert.equal(m.names[1], "");
  assert.equal(m.x[0], 0);
  assert.equal(whole.model(null).n, 0);
});
