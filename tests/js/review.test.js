// The review page's pure functions (ecosys/static/review.js), run with `node --test tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const r = require(path.join(__dirname, "..", "..", "ecosys", "static", "review.js"));

test("csvField guards formulas and quotes separators", () => {
  assert.equal(r.csvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  assert.equal(r.csvField("+39 02"), "'+39 02");
  assert.equal(r.csvField("-1"), "'-1");
  assert.equal(r.csvField("@x"), "'@x");
  assert.equal(r.csvField("Comune di Prato"), "Comune di Prato");
  assert.equal(r.csvField("a, b"), "\"a, b\"");
  assert.equal(r.csvField("line\nbreak"), "\"line\nbreak\"");
  assert.equal(r.csvField(null), "");
});

test("toCSV writes the header and the accepted rows only", () => {
  const rows = [
    { project: "Orti", partner: "Comune di Prato", role: "coordinator", accepted: true },
    { project: "Orti", partner: "Rifiutato", role: "partner", accepted: false },
    { project: "Orti", partner: "=cmd", role: "partner", accepted: true },
  ];
  assert.equal(r.toCSV(rows, ["project", "partner", "role"]),
    "project,partner,role\nOrti,Comune di Prato,coordinator\nOrti,'=cmd,partner\n");
});

test("segments cut the text around marks, first mark winning an overlap", () => {
  const text = "Il Comune di Prato e la Fondazione Aurora.";
  const marks = [{ id: 2, start: 24, end: 41 }, { id: 1, start: 3, end: 18 }, { id: 3, start: 10, end: 20 }];
  assert.deepEqual(r.segments(text, marks), [
    { text: "Il ", id: null }, { text: "Comune di Prato", id: 1 }, { text: " e la ", id: null },
    { text: "Fondazione Aurora", id: 2 }, { text: ".", id: null },
  ]);
  assert.deepEqual(r.segments("abc", [{ id: 1, start: 2, end: 9 }]), [{ text: "abc", id: null }]);
});

test("sentenceAround and lineOf", () => {
  const text = "Prima frase. Il progetto è del Comune di Prato.\nAltra riga";
  assert.equal(r.sentenceAround(text, 31, 46), "Il progetto è del Comune di Prato.");
  assert.equal(r.lineOf(text, 50), 2);
  assert.equal(r.lineOf(text, 0), 1);
});

test("candidateFromSelection trims the selection and fills the row", () => {
  const doc = { index: 0, name: "a.txt", text: "Partner: “Cooperativa Aurora” e altri.\n" };
  const c = r.candidateFromSelection(doc, 8, 30, { project: "Orti", role: "partner" }, 7);
  assert.equal(c.partner, "Cooperativa Aurora");
  assert.equal(c.mention, "“Cooperativa Aurora”");
  assert.equal(c.start, 9);
  assert.equal(c.project, "Orti");
  assert.equal(c.where, "line 1");
  assert.equal(c.rule, "added by hand");
  assert.equal(c.id, 7);
  assert.equal(r.candidateFromSelection(doc, 3, 3, {}, 8), null);
});

test("counts", () => {
  assert.deepEqual(r.counts([{ accepted: true }, { accepted: false }]), { accepted: 1, total: 2 });
});
