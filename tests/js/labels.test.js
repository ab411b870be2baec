// Sizes and labels: node radius by the size metric, label size by node size and zoom, and which
// labels are drawn at a zoom.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup } = require("./fixture.js");

test("nodes are sized by the square root of their metric over the largest", () => {
  const { m } = setup();
  assert.deepEqual(core.viewTotals(m, "bipartite", "degree"), { top: 2, total: 6 });
  assert.deepEqual(core.viewTotals(m, "projection", "degree"), { top: 2, total: 3 });
  const size = (id) => core.sizeOf(m, m.byId.get(id), "degree", 2);
  assert.equal(size(0), 36);          // degree 2, the largest
  assert.equal(size(1), 27.8);        // degree 1: 8 + 28 * sqrt(1/2) = 27.80
  assert.equal(core.sizeOf(m, m.byId.get(0), "no such metric", 2), 10);
  assert.equal(core.sizeOf(m, m.byId.get(0), "degree", 0), 10);
  assert.equal(core.sizeFraction(8), 0);
  assert.equal(core.sizeFraction(36), 1);
  assert.equal(core.sizeFraction(22), 0.5);
});

test("a community node is sized by its partners", () => {
  const { m } = setup({}, "overview", {
    mode: "overview",
    nodes: [{ id: 0, kind: "community", members: { partners: 100 } }, { id: 1, kind: "community", members: { partners: 25 } }],
    edges: [],
  });
  assert.equal(core.sizeOf(m, m.byId.get(0), "degree", 0), 50);   // 16 + 34
  assert.equal(core.sizeOf(m, m.byId.get(1), "degree", 0), 33);   // 16 + 34 * sqrt(1/4)
});

test("the largest label is 18 px on screen, between 18 and 60 px on the canvas", () => {
  assert.equal(core.labelMax(1), 18);
  assert.equal(core.labelMax(2), 18);     // zoomed in: never under 18 on the canvas
  assert.equal(core.labelMax(0.5), 36);
  assert.equal(core.labelMax(0.4), 45);
  assert.equal(core.labelMax(0.25), 60);  // 72, capped
  assert.deepEqual(core.labelScaling(0.5), { enabled: true, min: 14, max: 36, drawThreshold: 9 });
  assert.deepEqual(core.labelScaling(), { enabled: true, min: 14, max: 30, drawThreshold: 9 });
});

test("a label grows with its node from 14 px", () => {
  assert.equal(core.labelSize(8, 18), 14);
  assert.equal(core.labelSize(36, 18), 18);
  assert.equal(core.labelSize(22, 36), 25);
});

test("which labels are drawn at a zoom, and how large on screen", () => {
  const nodes = [{ id: "small", size: 8 }, { id: "large", size: 36 }, { id: "middle", size: 22 }];
  const at = (scale) => core.labels(nodes, scale).map((l) => [l.id, l.font, l.screen, l.shown]);
  // zoom 1: fonts 14, 18, 16 (canvas px) = screen px; all drawn
  assert.deepEqual(at(1), [["small", 14, 14, true], ["large", 18, 18, true], ["middle", 16, 16, true]]);
  // zoom 0.5: fonts 14, 36, 25 -> 7, 18, 12.5 px on screen; under 8 px is not drawn
  assert.deepEqual(at(0.5), [["small", 14, 7, false], ["large", 36, 18, true], ["middle", 25, 12.5, true]]);
  // zoom 0.2: fonts 14, 60, 37 -> 2.8, 12, 7.4 px: only the largest node is named
  const far = core.labels(nodes, 0.2);
  assert.deepEqual(far.map((l) => l.shown), [false, true, false]);
  assert.deepEqual(far.map((l) => l.font), [14, 60, 37]);
  // exactly 8 px on screen is drawn: zoom 1/3, largest label 54 px, a node of size 15 has a 24 px font
  assert.deepEqual(core.labels([{ id: "edge", size: 15 }], 1 / 3).map((l) => [l.font, l.screen, l.shown]), [[24, 8, true]]);
  assert.deepEqual(core.labels([{ id: "under", size: 15 }], 0.3125).map((l) => [l.font, l.screen, l.shown]), [[25, 7.8125, false]]);
  // zoom 2: fonts 14, 18, 16 -> 28, 36, 32 px, no label over 30 px on screen
  assert.deepEqual(at(2).map((l) => l[2]), [28, 30, 30]);
});

test("labels are placed without overlap, the most important first", () => {
  const box = (id, x, y, weight, tier) => ({ id, x, y, width: 100, height: 20, weight, tier });
  const placed = core.placeLabels([
    box("small", 50, 10, 1),        // overlaps "large": left out
    box("large", 0, 0, 5),
    box("apart", 0, 40, 0.5),       // clear of both
    box("touching", 100, 0, 0.1),   // shares an edge with "large": not an overlap
    box("focus", 60, 45, 0, 1),     // the focus wins over any size
    box("outside", 500, 500, 9),    // wholly outside the area
    box("cut", 250, 150, 8),        // partly outside: it would be cut
    { id: "empty", x: 0, y: 80, width: 0, height: 20, weight: 9 },
  ], { width: 300, height: 200 });
  assert.deepEqual(placed.map((b) => b.id), ["focus", "large", "touching"]);
});

test("placed labels never overlap, whatever their number", () => {
  let seed = 7;
  const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const boxes = Array.from({ length: 2000 }, (_, id) => ({
    id, x: rand() * 1000, y: rand() * 700, width: 20 + rand() * 150, height: 12 + rand() * 10, weight: rand(),
  }));
  const placed = core.placeLabels(boxes, { width: 1000, height: 700 });
  assert.ok(placed.length > 50 && placed.length < 2000);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i], b = placed[j];
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      assert.ok(!overlap, `${a.id} and ${b.id}`);
    }
  }
  // ties in weight: the lower id first, so a redraw places the same labels
  const again = core.placeLabels(boxes.slice().reverse(), { width: 1000, height: 700 });
  assert.deepEqual(again.map((b) => b.id), placed.map((b) => b.id));
});
