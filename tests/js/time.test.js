// The time slider's logic: which nodes are active in a period, the newcomers, the figures, play.
// The fixture's projects: 4 Orti Urbani 2018 (here running to 2020), 5 Scuola Aperta 2021, 6 Lab 2020;
// participations 0-4, 1-4, 0-5, 2-5, 2-6. So partners 0 and 1 first appear in 2018, partner 2 in 2020.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, payload, ids } = require("./fixture.js");

function model(end = 2020, changes = {}) {
  const p = payload(changes);
  if (end !== null) p.nodes[4].end = end;  // Orti Urbani runs 2018-2020
  return core.model(p);
}
function figures(m, from, to, cumulative = false) {
  const p = core.period(m, from, to, cumulative);
  return [ids(p.active), ids(p.newcomers), p.figures];
}

test("a project's years: its start to its end, or its start alone", () => {
  const m = model();
  assert.deepEqual(core.span(m.byId.get(4)), [2018, 2020]);
  assert.deepEqual(core.span(m.byId.get(6)), [2020, 2020]);
  assert.equal(core.span(m.byId.get(0)), null);  // a partner
  assert.deepEqual(core.timeline(m), [2018, 2021]);
  assert.deepEqual(core.timeline(model(null)), [2018, 2021]);
  assert.deepEqual(Array.from(core.firstYears(m)).sort(), [[0, 2018], [1, 2018], [2, 2020]]);
});

test("a project is active when its years overlap the period, a partner when one of its projects is", () => {
  const m = model();
  assert.deepEqual(figures(m, 2019, 2019), [[0, 1, 4], [], { partners: 2, projects: 1, participations: 2, newcomers: 0 }]);
  assert.deepEqual(figures(m, 2020, 2020), [[0, 1, 2, 4, 6], [2], { partners: 3, projects: 2, participations: 3, newcomers: 1 }]);
  assert.deepEqual(figures(m, 2021, 2021), [[0, 2, 5], [], { partners: 2, projects: 1, participations: 2, newcomers: 0 }]);
  assert.deepEqual(figures(m, 2018, 2021), [[0, 1, 2, 4, 5, 6], [0, 1, 2], { partners: 3, projects: 3, participations: 5, newcomers: 3 }]);
  assert.deepEqual(figures(m, 2022, 2030), [[], [], { partners: 0, projects: 0, participations: 0, newcomers: 0 }]);
  // Without an end, a project is active in its start year only.
  assert.deepEqual(figures(model(null), 2019, 2019)[0], []);
});

test("cumulative: everything up to the year, the newcomers those of the window", () => {
  const m = model(null);
  assert.deepEqual(figures(m, 2021, 2021, true), [[0, 1, 2, 4, 5, 6], [], { partners: 3, projects: 3, participations: 5, newcomers: 0 }]);
  assert.deepEqual(figures(m, 2019, 2020, true), [[0, 1, 2, 4, 6], [2], { partners: 3, projects: 2, participations: 3, newcomers: 1 }]);
});

test("the period restricts what is drawn, together with the filters", () => {
  const m = model();
  const state = core.initialState(m);
  assert.equal(state.time, null);
  assert.deepEqual(ids(core.visibleIds(m, state)), [0, 1, 2, 4, 5, 6]);
  state.time = { from: 2021, to: 2021, cumulative: false };
  assert.deepEqual(ids(core.visibleIds(m, state)), [0, 2, 5]);
  state.filters.categories.type = "foundation";
  assert.deepEqual(ids(core.visibleIds(m, state)), [2, 5]);
  state.view = "projection";
  assert.deepEqual(ids(core.visibleIds(m, state)), [2]);
});

test("play steps the window one year, keeping its width, and stops at the last year", () => {
  const line = [2018, 2021];
  assert.deepEqual(core.nextPeriod({ from: 2018, to: 2019, cumulative: false }, line), { from: 2019, to: 2020, cumulative: false });
  assert.deepEqual(core.nextPeriod({ from: 2020, to: 2020, cumulative: true }, line), { from: 2021, to: 2021, cumulative: true });
  assert.equal(core.nextPeriod({ from: 2020, to: 2021, cumulative: false }, line), null);
  assert.equal(core.nextPeriod({ from: 2020, to: 2021, cumulative: false }, null), null);
});

test("the period and its figures in the page's language, numbers as the language writes them", () => {
  const m = model();
  assert.equal(core.periodText(m, core.period(m, 2019, 2020, false)), "2019–2020");
  assert.equal(core.periodText(m, core.period(m, 2020, 2020, false)), "2020");
  assert.equal(core.periodText(m, core.period(m, 2020, 2021, true)), "Up to 2021 (newcomers: 2020–2021)");
  const italian = model(2020, { decimal: ",", thousands: "." });
  const big = { figures: { partners: 12326, projects: 3, participations: 1000, newcomers: 0 } };
  assert.deepEqual(core.periodFigures(italian, big).map((f) => [f.key, f.label, f.value]),
    [["partners", "Partners", "12.326"], ["projects", "Projects", "3"], ["participations", "Participations", "1.000"],
     ["newcomers", "Newcomers", "0"]]);
});

test("a newcomer is drawn with a thick dark ring, unless dimmed by the focus", () => {
  const m = model();
  const state = core.initialState(m);
  const shown = new Set([0, 2]), fresh = new Set([2]);
  const look = core.nodeStyle(m, state, m.byId.get(2), shown, null, 2, fresh);
  assert.deepEqual([look.color.border, look.color.background, look.borderWidth], [core.NEW_RING, "#332288", core.NEW_RING_WIDTH]);
  assert.equal(core.nodeStyle(m, state, m.byId.get(0), shown, null, 2, fresh).borderWidth, 1);
  assert.equal(core.nodeStyle(m, state, m.byId.get(2), shown, new Set([0]), 2, fresh).borderWidth, 1);
});

test("with no period picked the figures count every project, those without a date too, and no newcomers", () => {
  const undated = core.model(payload({ nodes: payload().nodes.map((n) => n && n.id === 5 ? { ...n, year: null } : n) }));
  assert.deepEqual(core.period(undated, 2018, 2021, false).figures,
    { partners: 3, projects: 2, participations: 3, newcomers: 3 });  // Scuola Aperta has no year: left out
  assert.deepEqual(core.allFigures(undated).figures, { partners: 3, projects: 3, participations: 5 });
  assert.deepEqual(core.periodFigures(undated, core.allFigures(undated)).map((f) => [f.key, f.value]),
    [["partners", "3"], ["projects", "3"], ["participations", "5"]]);
});
