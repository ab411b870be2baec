/* ecosys extract: the review page. Pure functions first (tested with node --test), then the page.
   Every name, project and sentence comes from untrusted documents: it is placed with textContent or
   as an input's value, never as markup. */
"use strict";

const FORMULA_FIRST = ["=", "+", "-", "@", "\t", "\r"];
const COLUMNS = ["project", "partner", "role", "type", "city", "programme", "source", "where", "evidence", "rule",
                 "mention"];

/* A CSV field: formula-guarded (a leading apostrophe, as ecosys's tables) and quoted when needed. */
function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (text && FORMULA_FIRST.includes(text[0])) text = "'" + text;
  if (/[",\n\r]/.test(text)) text = '"' + text.replace(/"/g, '""') + '"';
  return text;
}

/* The accepted candidates as CSV text with a header, one line each, LF line ends. */
function toCSV(candidates, columns = COLUMNS) {
  const lines = [columns.map(csvField).join(",")];
  for (const c of candidates) {
    if (c.accepted) lines.push(columns.map((col) => csvField(c[col])).join(","));
  }
  return lines.join("\n") + "\n";
}

/* The text cut into pieces, each either plain or one candidate's mention: [{text, id|null}].
   Overlapping marks: the first (by start) wins. */
function segments(text, marks) {
  const sorted = marks.filter((m) => m.start >= 0 && m.end <= text.length && m.start < m.end)
    .slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let at = 0;
  for (const m of sorted) {
    if (m.start < at) continue;
    if (m.start > at) out.push({ text: text.slice(at, m.start), id: null });
    out.push({ text: text.slice(m.start, m.end), id: m.id });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), id: null });
  return out;
}

/* The sentence around characters start..end: from the last sentence end or line break before to the next after. */
function sentenceAround(text, start, end) {
  let a = start;
  while (a > 0 && !/[.!?\n]/.test(text[a - 1])) a--;
  let b = end;
  while (b < text.length && !/[.!?\n]/.test(text[b])) b++;
  if (b < text.length && text[b] !== "\n") b++;
  return text.slice(a, b).replace(/\s+/g, " ").trim();
}

/* The line number (1-based) of character offset in text. */
function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/* A new candidate from the characters start..end of a document a person selected; null for an empty selection. */
function candidateFromSelection(doc, start, end, defaults, id) {
  let a = Math.max(0, Math.min(start, end));
  let b = Math.min(doc.text.length, Math.max(start, end));
  while (a < b && /\s/.test(doc.text[a])) a++;
  while (b > a && /\s/.test(doc.text[b - 1])) b--;
  if (a >= b) return null;
  const mention = doc.text.slice(a, b);
  return {
    id: id, doc: doc.index, start: a, end: b, accepted: true, added: true,
    project: defaults.project || "", partner: mention.replace(/\s+/g, " ").replace(/["“”«»]/g, "").trim(),
    role: defaults.role || "partner", type: defaults.type || "", city: "", programme: defaults.programme || "",
    source: doc.name, where: "line " + lineOf(doc.text, a), evidence: sentenceAround(doc.text, a, b),
    rule: "added by hand", mention: mention,
  };
}

/* How many candidates are accepted, of how many. */
function counts(candidates) {
  return { accepted: candidates.filter((c) => c.accepted).length, total: candidates.length };
}

if (typeof module !== "undefined") {
  module.exports = { csvField, toCSV, segments, sentenceAround, lineOf, candidateFromSelection, counts, COLUMNS };
}

/* ---- the page ---------------------------------------------------------------------------------- */
if (typeof document !== "undefined") {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const docs = data.documents.map((d, i) => Object.assign({ index: i }, d));
  const candidates = data.candidates;
  let current = 0;
  let nextId = candidates.reduce((m, c) => Math.max(m, c.id), 0) + 1;

  const el = (tag, props = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) node.appendChild(child);
    return node;
  };

  const docList = document.getElementById("documents");
  const textBox = document.getElementById("text");
  const table = document.getElementById("candidates");
  const status = document.getElementById("status");
  const addButton = document.getElementById("add");

  function showCounts() {
    const n = counts(candidates);
    status.textContent = `${n.accepted} of ${n.total} candidates accepted`;
  }

  function drawDocuments() {
    docList.replaceChildren();
    docs.forEach((d) => {
      const mine = candidates.filter((c) => c.doc === d.index);
      const kept = mine.filter((c) => c.accepted).length;
      const button = el("button", { type: "button", class: d.index === current ? "doc current" : "doc",
        onclick: () => { current = d.index; draw(); } }, [
        el("span", { class: "doc-name", text: d.name }),
        el("span", { class: "doc-count", text: `${kept}/${mine.length}` }),
      ]);
      docList.appendChild(button);
    });
  }

  function drawText() {
    const d = docs[current];
    const marks = candidates.filter((c) => c.doc === current);
    textBox.replaceChildren();
    textBox.appendChild(el("h2", { text: d.name }));
    const body = el("div", { class: "body", id: "body" });
    for (const piece of segments(d.text, marks)) {
      if (piece.id === null) {
        body.appendChild(document.createTextNode(piece.text));
      } else {
        const c = candidates.find((x) => x.id === piece.id);
        body.appendChild(el("mark", { class: c.accepted ? "accepted" : "rejected", "data-id": String(c.id),
          title: `${c.partner} — ${c.role}`, text: piece.text,
          onclick: () => focusRow(c.id) }));
      }
    }
    textBox.appendChild(body);
  }

  /* A correction changes the mark's tooltip only: redrawing the text would drop a selection being made. */
  function updateMark(c) {
    const mark = textBox.querySelector(`mark[data-id="${c.id}"]`);
    if (mark) mark.title = `${c.partner} — ${c.role}`;
  }

  function focusRow(id) {
    const row = table.querySelector(`tr[data-id="${id}"]`);
    if (row) { row.scrollIntoView({ block: "nearest" }); row.classList.add("flash");
      setTimeout(() => row.classList.remove("flash"), 800); }
  }

  function field(c, name, list) {
    const props = { value: c[name], "aria-label": name, onchange: (e) => { c[name] = e.target.value; updateMark(c); } };
    if (list) props.list = list;
    const input = el("input", props);
    input.value = c[name];
    return input;
  }

  function roleSelect(c) {
    const select = el("select", { "aria-label": "role", onchange: (e) => { c.role = e.target.value; updateMark(c); } });
    const roles = data.roles.includes(c.role) ? data.roles : data.roles.concat([c.role]);
    for (const r of roles) select.appendChild(el("option", { value: r, text: r }));
    select.value = c.role;
    return select;
  }

  function drawTable() {
    const rows = candidates.filter((c) => c.doc === current);
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const c of rows) {
      const tick = el("input", { type: "checkbox", "aria-label": "accept", onchange: (e) => {
        c.accepted = e.target.checked; draw(); } });
      tick.checked = c.accepted;
      body.appendChild(el("tr", { "data-id": String(c.id), class: c.accepted ? "" : "off" }, [
        el("td", {}, [tick]),
        el("td", {}, [field(c, "partner")]),
        el("td", {}, [roleSelect(c)]),
        el("td", {}, [field(c, "type", "types")]),
        el("td", {}, [field(c, "project", "projects")]),
        el("td", { class: "evidence" }, [el("span", { text: c.evidence, title: `${c.where} · ${c.rule}` })]),
      ]));
    }
    if (!rows.length) body.appendChild(el("tr", {}, [el("td", { colspan: "6", class: "none",
      text: "No candidate in this document: select a name in the text to add one." })]));
  }

  function draw() { drawDocuments(); drawText(); drawTable(); showCounts(); }

  function selectionOffsets() {
    const sel = window.getSelection();
    const body = document.getElementById("body");
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !body) return null;
    const range = sel.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return null;
    const offset = (node, off) => {
      const pre = document.createRange();
      pre.selectNodeContents(body);
      pre.setEnd(node, off);
      return pre.toString().length;
    };
    return [offset(range.startContainer, range.startOffset), offset(range.endContainer, range.endOffset)];
  }

  document.addEventListener("selectionchange", () => { addButton.disabled = selectionOffsets() === null; });
  addButton.addEventListener("click", () => {
    const at = selectionOffsets();
    if (!at) return;
    const mine = candidates.filter((c) => c.doc === current);
    const defaults = mine.length ? { project: mine[0].project, programme: mine[0].programme }
                                 : { project: docs[current].project || "" };
    const c = candidateFromSelection(docs[current], at[0], at[1], defaults, nextId++);
    if (!c) return;
    candidates.push(c);
    window.getSelection().removeAllRanges();
    draw();
    focusRow(c.id);
  });

  document.getElementById("download").addEventListener("click", () => {
    const blob = new Blob([toCSV(candidates, data.columns)], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: data.download });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });

  document.getElementById("all").addEventListener("click", () => {
    const mine = candidates.filter((c) => c.doc === current);
    const value = !mine.every((c) => c.accepted);
    mine.forEach((c) => { c.accepted = value; });
    draw();
  });

  const types = document.getElementById("types");
  for (const t of data.types) types.appendChild(el("option", { value: t }));
  const projects = document.getElementById("projects");
  for (const p of [...new Set(candidates.map((c) => c.project))]) projects.appendChild(el("option", { value: p }));
  draw();
}
