// A small map payload, shaped like the one ecosys/maps.py writes, checked by hand in the tests.
//
//   partners                              projects
//   0 Comune di Torino (municipality, c1)  4 Orti Urbani   (2018, c1)
//   1 Camera di commercio di Torino (c1)   5 Scuola Aperta (2021, c2)
//   2 Fondazione Ponte (foundation, c2)    6 Lab           (2020, c2)
//
//   participations (role): 0-4 coordinator, 1-4 partner, 0-5 partner, 2-5 coordinator, 2-6 partner
//   partner view: 0-1 (1 shared project), 0-2 (1 shared project)
"use strict";

const path = require("node:path");

const core = require(path.join(__dirname, "..", "..", "ecosys", "static", "map-core.js"));
// The page's English texts, as ecosys/maps.py puts them in every payload.
const TEXT = require(path.join(__dirname, "..", "..", "ecosys", "lang", "en", "map.json")).page;

function partner(id, name, type, community, degree, px, py) {
  return {
    id, name, label: name, kind: "partner", shape: "dot", community, degree,
    attrs: type === null ? {} : { type }, metrics: { degree }, x: 10 * id, y: 0, px, py,
  };
}

function project(id, name, year, community, degree) {
  return {
    id, name, label: name, kind: "project", shape: "square", community, degree, year,
    attrs: { start: `${year}-01-01` }, metrics: { degree }, x: 10 * id, y: 50,
  };
}

function role(from, to, value) { return { from, to, attrs: { role: value } }; }

/** A fresh payload, through JSON as the page reads it. */
function payload(changes = {}) {
  const p = {
    title: "Fixture",
    text: TEXT,
    locale: "en-US",
    mode: "map",
    nodes: [
      partner(0, "Comune di Torino", "municipality", 1, 2, 0, 0),
      partner(1, "Camera di commercio di Torino", "chamber", 1, 1, 10, 0),
      partner(2, "Fondazione Ponte", "foundation", 2, 2, 20, 0),
      null,  // not a node: ignored
      project(4, "Orti Urbani", 2018, 1, 2),
      project(5, "Scuola Aperta", 2021, 2, 2),
      project(6, "Lab", 2020, 2, 1),
    ],
    edges: [role(0, 4, "coordinator"), role(1, 4, "partner"), role(0, 5, "partner"),
            role(2, 5, "coordinator"), role(2, 6, "partner"), role(2, 99, "partner")],  // 99: no such node
    projection: [{ from: 0, to: 1, weight: 1, attrs: {} }, { from: 0, to: 2, weight: 1, attrs: {} }],
    views: [{ key: "bipartite", label: "Partners and projects" }, { key: "projection", label: "Partners" }],
    metrics: [{ key: "degree", label: "Degree", about: "how many links" }],
    categories: [
      { key: "type", label: "type", scope: "partner", values: ["municipality", "chamber", "foundation"],
        colors: { municipality: "#111111", chamber: "#222222", foundation: "not a colour" } },
      { key: "role", label: "role", scope: "participation", values: ["coordinator", "partner"], colors: {} },
    ],
    kinds: [{ key: "partner", label: "Partners" }, { key: "project", label: "Projects" }, { key: "community", label: "Communities" }],
    community_colors: { 1: "#CC6677", 2: "#332288" },
    other_color: "#BBBBBB",
    missing_color: "#F0F0F0",
    years: [2018, 2021],
    legend: { shapes: [{ shape: "dot", label: "Partner (organisation)" }, { shape: "square", label: "Project" }] },
    defaults: { size_by: "degree" },
  };
  return JSON.parse(JSON.stringify(Object.assign(p, changes)));
}

/** The model of the fixture and a state with the given filters and view. */
function setup(filters = {}, view = "bipartite", changes = {}) {
  const m = core.model(payload(changes));
  const state = core.initialState(m);
  state.view = view;
  Object.assign(state.filters, filters);
  return { m, state };
}

/** A Set of ids as a sorted array, for exact comparisons. */
function ids(set) { return Array.from(set).sort((a, b) => a - b); }

module.exports = { core, payload, setup, ids, TEXT };
