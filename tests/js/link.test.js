// The page's state in the URL's fragment: written by stateLink, read back by readLink.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { core, setup } = require("./fixture.js");

test("the first state is an empty fragment, and reads back as the first state", () => {
  const { m, state } = setup();
  assert.equal(core.stateLink(m, state, false), "");
  assert.deepEqual(core.readLink(m, ""), { state: core.initialState(m), embed: false });
});

test("every part of the state makes the round trip", () => {
  const { m, state } = setup({ community: "2", yearFrom: 2019, yearTo: 2021, metric: "degree", min: 1.5 }, "projection");
  state.filters.kinds.project = true;
  state.filters.categories.type = "foundation";
  state.filters.categories.role = "partner";
  state.colorBy = "attr:type";
  state.focus = 2;
  state.depth = 3;
  state.time = { from: 2019, to: 2020, cumulative: true };
  const link = core.stateLink(m, state, true);
  assert.equal(link, "view=projection&colour=attr%3Atype&focus=2&depth=3&hide=project&community=2&attr.role=partner" +
    "&attr.type=foundation&years=2019-2021&min=degree%3A1.5&time=2019-2020&cumulative=1&embed=1");
  const back = core.readLink(m, "#" + link);
  assert.equal(back.embed, true);
  assert.deepEqual(JSON.parse(JSON.stringify(back.state)), JSON.parse(JSON.stringify(state)));
});

test("names the page does not have are left out, whatever the fragment says", () => {
  const { m } = setup();
  const back = core.readLink(m, "#view=nope&colour=attr%3Arole&size=__proto__&focus=99&depth=7&hide=constructor" +
    "&community=9&attr.type=%3Cimg%20src%3Dx%3E&attr.__proto__=x&years=abc-&min=degree%3Aoops&time=2030-2010&%E0%A4%A=1&embed=0");
  assert.deepEqual(JSON.parse(JSON.stringify(back.state)), JSON.parse(JSON.stringify(core.initialState(m))));
  assert.equal(back.embed, false);
  // a period is clamped to the years the projects run
  assert.deepEqual(core.readLink(m, "time=1990-2019").state.time, { from: 2018, to: 2019, cumulative: false });
});

test("cumulative is read as any other part: decoded, in any order, 1 or not", () => {
  const { m } = setup();
  const time = (text) => core.readLink(m, text).state.time;
  assert.deepEqual(time("cumulative=1&time=2019-2020"), { from: 2019, to: 2020, cumulative: true });
  assert.deepEqual(time("#time=2019-2020&cum%75lative=1"), { from: 2019, to: 2020, cumulative: true });
  assert.deepEqual(time("time=2019-2020&cumulative=0"), { from: 2019, to: 2020, cumulative: false });
  assert.equal(time("cumulative=1"), null);
});
