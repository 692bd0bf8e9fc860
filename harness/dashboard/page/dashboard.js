// concbench's live page: it follows /events (server-sent events of a
// live.Feed) and draws what they say. Every text from the run goes in
// through textContent, never as markup.
"use strict";

const svgNS = "http://www.w3.org/2000/svg";
const keepSeconds = 20; // rows of the seconds table

let t0 = 0;            // the start event's time, in ms
let seconds = [];      // every second event, in order
let rows = new Map();  // cell key -> table row
let done = false;
let drawPending = false;

const $ = (id) => document.getElementById(id);

function text(el, s) { el.textContent = s; return el; }

function key(l) { return l.workload + "\u0000" + l.strategy + "\u0000" + l.limit; }

function cellName(l) {
  return l.limit ? `${l.workload} ${l.strategy} ${l.limit}` : `${l.workload} ${l.strategy}`;
}

function duration(ns) {
  if (ns >= 1e9) return (ns / 1e9).toFixed(2) + "s";
  if (ns >= 1e6) return (ns / 1e6).toFixed(2) + "ms";
  if (ns >= 1e3) return (ns / 1e3).toFixed(1) + "µs";
  return ns + "ns";
}

function rate(x) { return x >= 100 ? Math.round(x).toString() : x.toFixed(1); }

// row returns the cells table's row for a cell's labels, made on first use.
function row(l) {
  const k = key(l);
  let tr = rows.get(k);
  if (!tr) {
    tr = document.createElement("tr");
    for (let i = 0; i < 9; i++) tr.appendChild(document.createElement("td"));
    text(tr.cells[0], cellName(l));
    tr.dataset.cell = cellName(l);
    tr.dataset.liveCompleted = "0";
    tr.dataset.liveErrors = "0";
    text(tr.cells[8], "");
    $("cell-table").tBodies[0].appendChild(tr);
    rows.set(k, tr);
  }
  return tr;
}

function reset() {
  seconds = [];
  rows = new Map();
  $("cell-table").tBodies[0].replaceChildren();
  $("seconds").tBodies[0].replaceChildren();
}

function onStart(s, time) {
  reset();
  t0 = Date.parse(time);
  text($("command"), s.command);
  text($("run"), s.shard ? `${s.run} (shard ${s.shard})` : s.run);
  status("running", "running");
}

function onProgress(p) {
  let where = `cell ${p.cell}${p.cells ? "/" + p.cells : ""}: ${p.name}`;
  if (p.reps) where += `, repetition ${p.rep}/${p.reps}${p.warmup ? " (warm-up)" : ""}`;
  where += `, ${Math.round(p.elapsed_ns / 1e9)}s in`;
  text($("where"), where);
  for (const tr of rows.values()) tr.classList.remove("running");
  const tr = row(p);
  tr.classList.add("running");
  if (!tr.classList.contains("done")) text(tr.cells[1], p.reps ? `${p.rep}/${p.reps}` : "running");
}

function onSecond(s) {
  $("attack").hidden = false;
  $("cell-table").dataset.live = "yes";
  seconds.push(s);
  const tr = row(s);
  tr.dataset.liveCompleted = String(Number(tr.dataset.liveCompleted) + s.completed);
  tr.dataset.liveErrors = String(Number(tr.dataset.liveErrors) + s.errors);
  text(tr.cells[8], `${tr.dataset.liveCompleted} (${tr.dataset.liveErrors} errors)`);
  const len = s.length_ns / 1e9;
  const line = document.createElement("tr");
  for (const v of [cellName(s), String(s.rep + 1), String(Math.round(s.start_ns / 1e9) + 1), rate(s.scheduled / len),
    rate(s.completed / len), duration(s.p50_ns), duration(s.p99_ns), String(s.errors), String(s.late), String(s.in_flight)]) {
    line.appendChild(text(document.createElement("td"), v));
  }
  const body = $("seconds").tBodies[0];
  body.insertBefore(line, body.firstChild);
  while (body.rows.length > keepSeconds) body.deleteRow(-1);
  if (!drawPending) {
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; drawCharts(); });
  }
}

// fill writes a cell's final figures into its row, and as data attributes
// (raw numbers) for whoever checks them.
function fill(c) {
  const tr = row(c);
  tr.classList.remove("running");
  tr.classList.add("done");
  text(tr.cells[1], c.failed ? "failed" : "done");
  text(tr.cells[2], rate(c.goodput_per_s));
  text(tr.cells[3], duration(c.response_p50_ns));
  text(tr.cells[4], duration(c.response_p90_ns));
  text(tr.cells[5], duration(c.response_p99_ns));
  text(tr.cells[6], String(c.completed));
  text(tr.cells[7], String(c.errors));
  Object.assign(tr.dataset, {
    completed: String(c.completed), errors: String(c.errors), submitted: String(c.submitted),
    p50: String(c.response_p50_ns), p99: String(c.response_p99_ns), goodput: String(c.goodput_per_s),
  });
}

function onDone(d) {
  done = true;
  for (const c of d.summary.cells) fill(c);
  const list = $("recommendations");
  list.replaceChildren();
  for (const line of d.answer || []) list.appendChild(text(document.createElement("li"), line.trim()));
  $("recommendation").hidden = list.children.length === 0;
  text($("results-dir"), d.summary.results);
  $("final").hidden = false;
  text($("where"), "finished");
  if (d.report) $("report").src = "report";
  status(d.summary.complete ? "done" : "incomplete", d.summary.complete ? "done" : "incomplete: interrupted");
  drawCharts();
}

function status(state, words) {
  const el = $("status");
  el.dataset.state = state;
  text(el, words);
}

// chart draws lines (each {points: [[x, y]], cls}) in an SVG with a y
// axis from 0 to the highest point, labelled in units of fmt.
function chart(svg, lines, fmt) {
  svg.replaceChildren();
  const w = 800, h = 220, left = 60, bottom = 20, top = 10;
  let xmax = 1, ymax = 0;
  for (const l of lines) for (const [x, y] of l.points) { xmax = Math.max(xmax, x); ymax = Math.max(ymax, y); }
  if (ymax === 0) ymax = 1;
  const X = (x) => left + (x / xmax) * (w - left - 10);
  const Y = (y) => h - bottom - (y / ymax) * (h - bottom - top);
  const el = (name, attrs) => {
    const e = document.createElementNS(svgNS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    svg.appendChild(e);
    return e;
  };
  for (const f of [0, 0.5, 1]) {
    el("line", { x1: left, x2: w - 10, y1: Y(ymax * f), y2: Y(ymax * f), stroke: "#eee" });
    text(el("text", { x: left - 4, y: Y(ymax * f) + 4, "text-anchor": "end", "font-size": 11 }), fmt(ymax * f));
  }
  text(el("text", { x: w - 10, y: h - 4, "text-anchor": "end", "font-size": 11 }), `${Math.round(xmax)}s`);
  const colours = { asked: "#999", achieved: "#06c", p50: "#080", p99: "#c60", errors: "#c00" };
  for (const l of lines) {
    if (l.points.length === 0) continue;
    if (l.bars) {
      for (const [x, y] of l.points) if (y > 0) el("rect", { class: l.cls, x: X(x) - 1, y: Y(y), width: 2, height: Y(0) - Y(y), fill: colours[l.cls] });
      continue;
    }
    el("polyline", { class: l.cls, points: l.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(" "),
      fill: "none", stroke: colours[l.cls], "stroke-width": 1.5 });
  }
}

// drawCharts draws every second so far, a line for each attack (a
// cell's repetition), against the time since the start.
function drawCharts() {
  if (seconds.length === 0) return;
  const attacks = new Map();
  for (const s of seconds) {
    const k = key(s) + "\u0000" + s.rep;
    if (!attacks.has(k)) attacks.set(k, []);
    attacks.get(k).push(s);
  }
  const x = (s) => (Date.parse(s.end) - t0) / 1000;
  const len = (s) => s.length_ns / 1e9;
  const lines = (cls, y, bars) => [...attacks.values()].map((ss) => ({ cls, bars, points: ss.map((s) => [x(s), y(s)]) }));
  chart($("rate-chart"), [
    ...lines("asked", (s) => s.scheduled / len(s)),
    ...lines("achieved", (s) => s.completed / len(s)),
  ], rate);
  const p99max = Math.max(...seconds.map((s) => s.p99_ns), 1);
  const errmax = Math.max(...seconds.map((s) => s.errors), 1);
  chart($("latency-chart"), [
    ...lines("p50", (s) => s.p50_ns),
    ...lines("p99", (s) => s.p99_ns),
    // errors scaled onto the latency axis: a bar's height is its share of the worst second's
    ...lines("errors", (s) => (s.errors / errmax) * p99max, true),
  ], duration);
}

function connect() {
  const es = new EventSource("events");
  es.addEventListener("start", (m) => { const e = JSON.parse(m.data); onStart(e.start, e.time); });
  es.addEventListener("progress", (m) => onProgress(JSON.parse(m.data).progress));
  es.addEventListener("second", (m) => onSecond(JSON.parse(m.data).second));
  es.addEventListener("cell", (m) => fill(JSON.parse(m.data).cell));
  es.addEventListener("done", (m) => { es.close(); onDone(JSON.parse(m.data).done); });
  es.onerror = () => {
    if (done) return;
    if (es.readyState === EventSource.CLOSED) status("lost", "the run's process has gone");
    else status("connecting", "reconnecting…");
  };
}

connect();
