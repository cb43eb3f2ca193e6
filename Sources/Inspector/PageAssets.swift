// The inspector's assets, served by the tool itself so the page works offline; no CDN.
enum PageAssets {
    /// The page: one panel per survey shown, filled by inspector.js.
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TokenScope inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/inspector.css">
<script src="/inspector.js" defer></script>
</head>
<body>
<header class="top">
  <h1>TokenScope inspector</h1>
  <p id="status" role="status" aria-live="polite">Loading the surveys…</p>
  <p class="help">Maps: drag to pan, wheel or <kbd>+</kbd>/<kbd>−</kbd> to zoom, arrow keys to pan, <kbd>0</kbd> to reset, <kbd>Enter</kbd> pins the token under the cursor. Hover a point to identify it; click to pin it and list its exact nearest neighbours.</p>
</header>
<main id="panels"></main>
<div id="tooltip" role="tooltip" hidden></div>
<template id="panel-template">
  <section class="panel">
    <div class="panel-head">
      <label>Survey <select class="survey-select"></select></label>
      <label>Colour by <select class="colour-select"><option value="population">population</option><option value="script">script</option></select></label>
      <a class="report-link" hidden>report.html</a>
    </div>
    <p class="figures"></p>
    <form class="search" role="search">
      <label>Search by id or text <input type="search" class="search-input" maxlength="256" autocomplete="off"></label>
      <button type="submit">Search</button>
      <button type="button" class="clear-search">Clear</button>
    </form>
    <div class="maps">
      <figure><figcaption>Sky map: longitude × latitude (degrees)</figcaption>
        <canvas class="map sky" tabindex="0" role="img" aria-label="Sky map of every row; use the search and tables for the tokens"></canvas></figure>
      <figure><figcaption>Equatorial map: radius r by longitude (polar)</figcaption>
        <canvas class="map equatorial" tabindex="0" role="img" aria-label="Equatorial map of every row; use the search and tables for the tokens"></canvas></figure>
    </div>
    <div class="filters">
      <fieldset class="population-filter"><legend>Populations shown</legend></fieldset>
      <fieldset class="script-filter"><legend>Scripts shown</legend>
        <div class="filter-actions"><button type="button" class="scripts-all">All</button><button type="button" class="scripts-none">None</button></div>
        <div class="script-list"></div>
      </fieldset>
    </div>
    <section class="pinned" aria-live="polite" aria-label="Pinned token"><h2>Pinned token</h2><p class="hint">Click a point, a search result or a member to pin it.</p></section>
    <section class="results" aria-live="polite" aria-label="Search results"><h2>Search</h2><p class="hint">No search yet.</p></section>
    <section class="black-holes"><h2>Black holes</h2>
      <table><caption>Groups of identical rows, most populated first</caption>
        <thead><tr><th scope="col">Group</th><th scope="col">Tokens</th><th scope="col">Norm</th><th scope="col">Representative</th><th scope="col">Members</th></tr></thead>
        <tbody></tbody></table>
      <div class="members" aria-live="polite"></div>
    </section>
  </section>
</template>
</body>
</html>
"""#

    /// The page's style sheet.
    static let style = #"""
:root { --bg: #fafafa; --fg: #1b1b1b; --muted: #5a5a5a; --line: #d0d0d0; --accent: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
.top { padding: 8px 16px; border-bottom: 1px solid var(--line); }
.top h1 { font-size: 18px; margin: 0; }
.help, .hint, .figures { color: var(--muted); margin: 4px 0; }
#panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; padding: 12px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px; min-width: 0; }
.panel-head, .search { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.maps { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
figure { margin: 6px 0; min-width: 0; }
figcaption { font-size: 12px; color: var(--muted); }
canvas.map { width: 100%; height: 300px; background: #111; border-radius: 4px; display: block; cursor: crosshair; touch-action: none; }
canvas.map:focus { outline: 3px solid var(--accent); outline-offset: 1px; }
.filters { display: flex; gap: 8px; flex-wrap: wrap; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 4px 0; padding: 4px 8px; }
.script-list { max-height: 110px; overflow: auto; display: flex; flex-wrap: wrap; gap: 2px 10px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
h2 { font-size: 15px; margin: 10px 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 6px; text-align: left; }
.black-holes tbody { display: block; max-height: 240px; overflow: auto; }
.black-holes thead, .black-holes tbody tr { display: table; width: 100%; table-layout: fixed; }
ul.tokens { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px; max-height: 220px; overflow: auto; }
ul.tokens li button { font: 12px ui-monospace, monospace; border: 1px solid var(--line); background: #f4f4f4; border-radius: 3px; padding: 1px 4px; cursor: pointer; }
ul.tokens li.highlighted button { background: #ffe27a; border-color: #c9a400; }
ol.neighbours { margin: 4px 0; padding-left: 22px; font: 12px ui-monospace, monospace; }
ol.neighbours button { font: inherit; background: none; border: none; color: var(--accent); cursor: pointer; padding: 0; text-decoration: underline; }
dl.token { display: grid; grid-template-columns: max-content 1fr; gap: 0 10px; margin: 4px 0; }
dl.token dt { color: var(--muted); }
dl.token dd { margin: 0; font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
#tooltip { position: fixed; pointer-events: none; background: rgba(20,20,20,.92); color: #fff; padding: 6px 8px; border-radius: 4px; font: 12px ui-monospace, monospace; white-space: pre; z-index: 10; max-width: 480px; overflow: hidden; }
button:focus-visible, select:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
kbd { border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; background: #fff; }
"""#

    /// The page's script: maps drawn from /api/points, everything else from the API.
    static let script = #"""
"use strict";
// The TokenScope inspector: every row of each served survey on two canvas maps, drawn from typed
// arrays; hover hit-testing through a fixed grid over data space; everything else from the JSON API.
(function () {
  const POPULATION_COLOURS = ["#ff4d4d", "#ff9f1c", "#b967ff", "#4da3ff", "#2ec4b6", "#9e9e9e", "#f15bb5", "#fee440"];
  const HIGHLIGHT = "#ffe27a", PIN = "#ffffff", MEMBER = "#00e5ff", NEIGHBOUR = "#7CFC00";
  const HIT_RADIUS_PX = 6, GRID = 256;
  const statusLine = document.getElementById("status");
  const tooltip = document.getElementById("tooltip");
  const state = { surveys: [], points: new Map(), tokenCache: new Map(), panels: [], firstDrawMs: null };
  window.tokenscope = state;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) for (const [k, v] of Object.entries(props)) {
      if (k === "text") node.textContent = v; else if (k === "dataset") Object.assign(node.dataset, v); else node.setAttribute(k, v);
    }
    for (const c of children || []) node.append(c);
    return node;
  }
  async function getJSON(url) {
    const response = await fetch(url);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }
  function rgba(hex) {
    const v = parseInt(hex.slice(1), 16);
    return (255 << 24 | (v & 255) << 16 | (v >> 8 & 255) << 8 | v >> 16) >>> 0; // ABGR for a little-endian Uint32Array
  }
  function scriptColour(i) { return "hsl(" + ((i * 137.508) % 360).toFixed(1) + ", 70%, 60%)"; }
  function hslToHex(hsl) {
    const m = /hsl\(([\d.]+), (\d+)%, (\d+)%\)/.exec(hsl); const h = +m[1], s = m[2] / 100, l = m[3] / 100;
    const f = n => { const k = (n + h / 30) % 12; const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      return Math.round(255 * c).toString(16).padStart(2, "0"); };
    return "#" + f(0) + f(8) + f(4);
  }
  function label(token) { return token.readable == null ? "(no token)" : JSON.stringify(token.readable); }

  async function loadPoints(index) {
    if (state.points.has(index)) return state.points.get(index);
    const promise = (async () => {
      const response = await fetch("/api/points?survey=" + index);
      if (!response.ok) throw new Error("points of survey " + index + ": " + response.status);
      const buffer = await response.arrayBuffer();
      const view = new DataView(buffer);
      const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
      if (magic !== "TSP1") throw new Error("unknown points format " + magic);
      const n = view.getUint32(4, true);
      const lon = new Float32Array(buffer, 16, n), lat = new Float32Array(buffer, 16 + 4 * n, n), r = new Float32Array(buffer, 16 + 8 * n, n);
      const population = new Uint8Array(buffer, 16 + 12 * n, n), script = new Uint8Array(buffer, 16 + 13 * n, n);
      const eqX = new Float32Array(n), eqY = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const a = lon[i] * Math.PI / 180;
        eqX[i] = r[i] * Math.cos(a); eqY[i] = r[i] * Math.sin(a);
      }
      return { n, population, script, sky: { x: lon, y: lat }, equatorial: { x: eqX, y: eqY } };
    })();
    state.points.set(index, promise);
    return promise;
  }

  async function token(survey, id, k) {
    const key = survey + ":" + id + ":" + k;
    if (!state.tokenCache.has(key)) state.tokenCache.set(key, getJSON("/api/tokens/" + id + "?survey=" + survey + "&k=" + k));
    return state.tokenCache.get(key);
  }

  // A fixed grid over a map's data extent: cells hold row ids, so hover looks at a few cells only.
  function buildGrid(xs, ys) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i], y = ys[i];
      if (!isFinite(x) || !isFinite(y)) continue;
      if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
    }
    if (!isFinite(minX)) { minX = -1; maxX = 1; minY = -1; maxY = 1; }
    const w = (maxX - minX) || 1, h = (maxY - minY) || 1;
    const cell = new Int32Array(xs.length), counts = new Int32Array(GRID * GRID + 1);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i], y = ys[i];
      if (!isFinite(x) || !isFinite(y)) { cell[i] = -1; continue; }
      const cx = Math.min(GRID - 1, Math.floor((x - minX) / w * GRID)), cy = Math.min(GRID - 1, Math.floor((y - minY) / h * GRID));
      cell[i] = cy * GRID + cx; counts[cell[i] + 1]++;
    }
    for (let c = 0; c < GRID * GRID; c++) counts[c + 1] += counts[c];
    const ids = new Int32Array(counts[GRID * GRID]), fill = counts.slice(0, GRID * GRID);
    for (let i = 0; i < xs.length; i++) if (cell[i] >= 0) ids[fill[cell[i]]++] = i;
    return { minX, maxX, minY, maxY, w, h, start: counts, ids };
  }

  class MapView {
    constructor(panel, canvas, kind) {
      this.panel = panel; this.canvas = canvas; this.kind = kind; this.ctx = canvas.getContext("2d");
      this.hover = -1; this.pending = false;
      canvas.addEventListener("pointermove", e => this.onMove(e));
      canvas.addEventListener("pointerleave", () => { this.hover = -1; hideTooltip(); });
      canvas.addEventListener("pointerdown", e => { this.drag = { x: e.clientX, y: e.clientY, moved: false }; canvas.setPointerCapture(e.pointerId); });
      canvas.addEventListener("pointerup", e => {
        const drag = this.drag; this.drag = null;
        if (drag && !drag.moved) { const hit = this.hitTest(e); if (hit >= 0) panel.pin(hit); }
      });
      canvas.addEventListener("wheel", e => { e.preventDefault(); this.zoomAt(e.offsetX, e.offsetY, e.deltaY < 0 ? 1.25 : 0.8); }, { passive: false });
      canvas.addEventListener("keydown", e => this.onKey(e));
      new ResizeObserver(() => this.resize()).observe(canvas);
    }
    setData(points) {
      this.points = points; this.xs = points[this.kind].x; this.ys = points[this.kind].y;
      this.grid = buildGrid(this.xs, this.ys); this.resize(); this.reset();
    }
    resize() {
      const dpr = window.devicePixelRatio || 1;
      this.canvas.width = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
      this.canvas.height = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
      this.dpr = dpr; if (this.grid && !this.view) this.reset(); this.request();
    }
    reset() {
      if (!this.grid) return;
      const g = this.grid, W = this.canvas.width, H = this.canvas.height;
      const scale = 0.95 * Math.min(W / g.w, H / g.h);
      this.view = { scale, ox: W / 2 - scale * (g.minX + g.w / 2), oy: H / 2 + scale * (g.minY + g.h / 2) };
      this.request();
    }
    toScreen(x, y) { return [x * this.view.scale + this.view.ox, this.view.oy - y * this.view.scale]; }
    toData(px, py) { return [(px - this.view.ox) / this.view.scale, (this.view.oy - py) / this.view.scale]; }
    zoomAt(cssX, cssY, factor) {
      const px = cssX * this.dpr, py = cssY * this.dpr, [x, y] = this.toData(px, py);
      this.view.scale *= factor; this.view.ox = px - x * this.view.scale; this.view.oy = py + y * this.view.scale; this.request();
    }
    onMove(e) {
      if (this.drag) {
        const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 2) this.drag.moved = true;
        if (this.drag.moved) { this.view.ox += dx * this.dpr; this.view.oy += dy * this.dpr; this.drag.x = e.clientX; this.drag.y = e.clientY; this.request(); }
        return;
      }
      const hit = this.hitTest(e);
      this.lastPointer = { x: e.clientX, y: e.clientY };
      if (hit !== this.hover) { this.hover = hit; if (hit >= 0) this.panel.showTooltip(hit, e.clientX, e.clientY); else hideTooltip(); }
      else if (hit >= 0) placeTooltip(e.clientX, e.clientY);
    }
    onKey(e) {
      const step = 40 * this.dpr, cx = this.canvas.clientWidth / 2, cy = this.canvas.clientHeight / 2;
      const actions = {
        ArrowLeft: () => { this.view.ox += step; }, ArrowRight: () => { this.view.ox -= step; },
        ArrowUp: () => { this.view.oy += step; }, ArrowDown: () => { this.view.oy -= step; },
        "+": () => this.zoomAt(cx, cy, 1.25), "=": () => this.zoomAt(cx, cy, 1.25), "-": () => this.zoomAt(cx, cy, 0.8),
        "0": () => this.reset(), Enter: () => { if (this.hover >= 0) this.panel.pin(this.hover); },
      };
      if (actions[e.key] && this.view) { e.preventDefault(); actions[e.key](); this.request(); }
    }
    hitTest(e) {
      if (!this.grid || !this.view) return -1;
      const rect = this.canvas.getBoundingClientRect();
      const px = (e.clientX - rect.left) * this.dpr, py = (e.clientY - rect.top) * this.dpr;
      const [x, y] = this.toData(px, py), g = this.grid, reach = HIT_RADIUS_PX * this.dpr / this.view.scale;
      const c0 = Math.max(0, Math.floor((x - reach - g.minX) / g.w * GRID)), c1 = Math.min(GRID - 1, Math.floor((x + reach - g.minX) / g.w * GRID));
      const r0 = Math.max(0, Math.floor((y - reach - g.minY) / g.h * GRID)), r1 = Math.min(GRID - 1, Math.floor((y + reach - g.minY) / g.h * GRID));
      let best = -1, bestD = reach * reach;
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
        const cell = r * GRID + c;
        for (let k = g.start[cell]; k < g.start[cell + 1]; k++) {
          const i = g.ids[k];
          if (!this.panel.visible(i)) continue;
          const dx = this.xs[i] - x, dy = this.ys[i] - y, d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && i < best)) { bestD = d; best = i; }
        }
      }
      return best;
    }
    request() { if (!this.pending) { this.pending = true; requestAnimationFrame(() => { this.pending = false; this.draw(); }); } }
    draw() {
      if (!this.points || !this.view) return;
      const W = this.canvas.width, H = this.canvas.height, image = this.ctx.createImageData(W, H);
      const pixels = new Uint32Array(image.data.buffer), background = rgba("#111111");
      pixels.fill(background);
      const colours = this.panel.colourTable(), codes = this.panel.colourCodes(), order = this.panel.drawOrder(), { scale, ox, oy } = this.view;
      const size = Math.max(1, Math.round(this.dpr * 1.5)), xs = this.xs, ys = this.ys, n = this.points.n;
      for (let k = 0; k < n; k++) {
        const i = order[k], x = xs[i], y = ys[i];
        if (!(x === x && y === y) || !this.panel.visible(i)) continue;
        const px = (x * scale + ox) | 0, py = (oy - y * scale) | 0;
        if (px < 0 || py < 0 || px + size > W || py + size > H) continue;
        const colour = colours[codes[i]];
        for (let dy = 0; dy < size; dy++) { const row = (py + dy) * W + px; for (let dx = 0; dx < size; dx++) pixels[row + dx] = colour; }
      }
      this.ctx.putImageData(image, 0, 0);
      const ring = (ids, colour, radius) => {
        this.ctx.strokeStyle = colour; this.ctx.lineWidth = this.dpr * 1.5; this.ctx.beginPath();
        for (const i of ids) {
          if (!isFinite(xs[i]) || !isFinite(ys[i])) continue;
          const [px, py] = this.toScreen(xs[i], ys[i]);
          this.ctx.moveTo(px + radius * this.dpr, py); this.ctx.arc(px, py, radius * this.dpr, 0, 2 * Math.PI);
        }
        this.ctx.stroke();
      };
      ring(this.panel.members, MEMBER, 4); ring(this.panel.highlighted, HIGHLIGHT, 5);
      ring(this.panel.neighbourIds, NEIGHBOUR, 4);
      if (this.panel.pinned >= 0) ring([this.panel.pinned], PIN, 8);
      this.panel.drawn();
    }
    // Client coordinates of a row, for tests and for keyboard users' tooltips.
    locate(id) {
      const rect = this.canvas.getBoundingClientRect(), [px, py] = this.toScreen(this.xs[id], this.ys[id]);
      return { x: rect.left + px / this.dpr, y: rect.top + py / this.dpr };
    }
  }

  function placeTooltip(x, y) {
    const w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    tooltip.style.left = Math.min(window.innerWidth - w - 4, x + 14) + "px";
    tooltip.style.top = Math.min(window.innerHeight - h - 4, y + 14) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }
  function tokenLines(t) {
    const hole = t.black_hole ? "group " + t.black_hole.group + " (" + t.black_hole.population + " tokens, representative " + t.black_hole.representative + ")" : "none";
    return [["id", String(t.id)], ["readable", label(t)], ["population", t.population], ["script", t.script],
      ["norm", t.norm == null ? "—" : t.norm.toFixed(6)], ["category", t.category || "—"], ["black hole", hole]];
  }

  class Panel {
    constructor(index, surveyIndex) {
      this.index = index;
      this.root = document.getElementById("panel-template").content.firstElementChild.cloneNode(true);
      document.getElementById("panels").append(this.root);
      this.q = s => this.root.querySelector(s);
      this.pinned = -1; this.highlighted = []; this.highlightSet = new Set(); this.members = []; this.neighbourIds = [];
      this.maps = [new MapView(this, this.q("canvas.sky"), "sky"), new MapView(this, this.q("canvas.equatorial"), "equatorial")];
      const select = this.q(".survey-select");
      state.surveys.forEach((s, i) => select.append(el("option", { value: String(i), text: i + ": " + s.name })));
      select.addEventListener("change", () => this.open(+select.value));
      this.q(".colour-select").addEventListener("change", () => this.redraw());
      this.q(".search").addEventListener("submit", e => { e.preventDefault(); this.search(this.q(".search-input").value); });
      this.q(".clear-search").addEventListener("click", () => { this.q(".search-input").value = ""; this.setHighlighted([]); this.q(".results").replaceChildren(el("h2", { text: "Search" })); });
      this.q(".scripts-all").addEventListener("click", () => this.setAllScripts(true));
      this.q(".scripts-none").addEventListener("click", () => this.setAllScripts(false));
      select.value = String(surveyIndex);
      this.ready = this.open(surveyIndex);
    }
    async open(surveyIndex) {
      this.survey = surveyIndex; const s = state.surveys[surveyIndex];
      this.pinned = -1; this.setHighlighted([]); this.members = []; this.neighbourIds = []; this.drawnOnce = false;
      this.q(".figures").textContent = s.rows.toLocaleString() + " rows × " + s.columns + " (" + s.dtype + "), " +
        (s.tokenizer_ids == null ? "no tokenizer" : s.tokenizer_ids.toLocaleString() + " token ids") + ", " +
        s.black_holes.groups + " black holes holding " + s.black_holes.tokens + " tokens" +
        (s.cluster_tokens == null ? "" : ", cluster of " + s.cluster_tokens + " tokens");
      const link = this.q(".report-link"); link.hidden = !s.report; if (s.report) link.href = s.report;
      this.populationOn = s.populations.map(() => true); this.scriptOn = s.scripts.map(() => true);
      this.buildFilters(s);
      this.points = await loadPoints(surveyIndex); this.orders = {};
      this.visibleMask = new Uint8Array(this.points.n); this.updateMask();
      for (const m of this.maps) m.setData(this.points);
      this.loadBlackHoles();
    }
    buildFilters(s) {
      const pop = this.q(".population-filter"); pop.replaceChildren(el("legend", { text: "Populations shown" }));
      s.populations.forEach((p, i) => pop.append(this.checkbox(p.label + " (" + p.rows.toLocaleString() + ")", POPULATION_COLOURS[i % POPULATION_COLOURS.length],
        on => { this.populationOn[i] = on; this.filtersChanged(); }, "population-" + i)));
      const list = this.q(".script-list"); list.replaceChildren();
      s.scripts.forEach((p, i) => list.append(this.checkbox(p.label + " (" + p.rows.toLocaleString() + ")", hslToHex(scriptColour(i)),
        on => { this.scriptOn[i] = on; this.filtersChanged(); }, "script-" + i)));
    }
    checkbox(text, colour, onChange, name) {
      const box = el("input", { type: "checkbox", name }); box.checked = true;
      box.addEventListener("change", () => onChange(box.checked));
      const swatch = el("span", { class: "swatch", "aria-hidden": "true" }); swatch.style.background = colour;
      return el("label", {}, [box, swatch, text]);
    }
    setAllScripts(on) {
      this.q(".script-list").querySelectorAll("input").forEach(b => { b.checked = on; });
      this.scriptOn = this.scriptOn.map(() => on); this.filtersChanged();
    }
    filtersChanged() { this.updateMask(); this.redraw(); }
    updateMask() {
      const p = this.points; if (!p) return;
      for (let i = 0; i < p.n; i++) this.visibleMask[i] = this.populationOn[p.population[i]] && this.scriptOn[p.script[i]] ? 1 : 0;
    }
    visible(i) { return this.visibleMask[i] === 1; }
    colourBy() { return this.q(".colour-select").value; }
    colourCodes() { return this.colourBy() === "script" ? this.points.script : this.points.population; }
    colourTable() {
      const s = state.surveys[this.survey];
      return this.colourBy() === "script" ? s.scripts.map((_, i) => rgba(hslToHex(scriptColour(i))))
        : s.populations.map((_, i) => rgba(POPULATION_COLOURS[i % POPULATION_COLOURS.length]));
    }
    redraw() { for (const m of this.maps) m.request(); }
    // Rows sorted so the commonest colour is drawn first and rare ones (the cluster) stay on top.
    drawOrder() {
      const mode = this.colourBy();
      this.orders = this.orders || {};
      if (this.orders[mode]) return this.orders[mode];
      const codes = this.colourCodes(), n = this.points.n, counts = new Int32Array(256);
      for (let i = 0; i < n; i++) counts[codes[i]]++;
      const ranked = [...counts.keys()].sort((a, b) => counts[b] - counts[a] || a - b), start = new Int32Array(256);
      let next = 0;
      for (const code of ranked) { start[code] = next; next += counts[code]; }
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[start[codes[i]]++] = i;
      return (this.orders[mode] = order);
    }
    drawn() {
      if (this.drawnOnce || !this.maps.every(m => m.view)) return;
      this.drawnOnce = true;
      if (state.firstDrawMs == null) state.firstDrawMs = performance.now();
      if (state.panels.every(p => p.drawnOnce)) { document.body.dataset.ready = "true"; statusLine.textContent = "Ready."; }
    }
    async showTooltip(id, x, y) {
      const survey = this.survey;
      tooltip.textContent = "id " + id + " …"; tooltip.hidden = false; placeTooltip(x, y);
      try {
        const t = await token(survey, id, 0);
        if (this.maps.some(m => m.hover === id)) { tooltip.textContent = tokenLines(t).map(([k, v]) => k.padEnd(11) + v).join("\n"); placeTooltip(x, y); }
      } catch (error) { tooltip.textContent = "id " + id + ": " + error.message; }
    }
    async pin(id) {
      this.pinned = id; this.redraw();
      const section = this.q(".pinned");
      section.replaceChildren(el("h2", { text: "Pinned token " + id }), el("p", { class: "hint", text: "Computing the exact nearest neighbours…" }));
      try {
        const t = await token(this.survey, id, 10);
        if (this.pinned !== id) return;
        this.neighbourIds = t.neighbours.map(n => n.id);
        const details = el("dl", { class: "token" });
        for (const [k, v] of tokenLines(t)) details.append(el("dt", { text: k }), el("dd", { text: v }));
        const list = el("ol", { class: "neighbours", "aria-label": "Nearest neighbours by exact L2 distance" });
        for (const n of t.neighbours) {
          const button = el("button", { type: "button", text: n.id + " " + label(n) });
          button.addEventListener("click", () => this.pin(n.id));
          list.append(el("li", {}, [button, " " + n.distance.toPrecision(7)]));
        }
        section.replaceChildren(el("h2", { text: "Pinned token " + id }), details, el("h3", { text: "Exact nearest neighbours (L2 on W, ties by id)" }), list);
        this.redraw();
      } catch (error) { section.replaceChildren(el("h2", { text: "Pinned token " + id }), el("p", { text: error.message })); }
    }
    setHighlighted(ids) { this.highlighted = ids; this.highlightSet = new Set(ids); this.redraw(); }
    tokenList(entries, cls) {
      const list = el("ul", { class: "tokens " + (cls || "") });
      for (const e of entries) {
        const button = el("button", { type: "button", text: e.id + " " + label(e) });
        button.addEventListener("click", () => this.pin(e.id));
        list.append(el("li", { class: this.highlightSet.has(e.id) ? "highlighted" : "", dataset: { id: String(e.id) } }, [button]));
      }
      return list;
    }
    async search(text) {
      const section = this.q(".results");
      if (!text) return;
      try {
        const r = await getJSON("/api/search?survey=" + this.survey + "&q=" + encodeURIComponent(text));
        const ids = new Set();
        if (r.id) ids.add(r.id.id);
        for (const e of r.encoding || []) ids.add(e.id);
        for (const e of r.matches) ids.add(e.id);
        this.setHighlighted([...ids]);
        const parts = [el("h2", { text: "Search: " + JSON.stringify(r.query) })];
        if (r.id) parts.push(el("p", { text: "Token id " + r.id.id + ":" }), this.tokenList([r.id], "id-match"));
        if (r.encoding) parts.push(el("p", { text: "Encoded by the model's tokenizer into " + r.encoding.length + " tokens:" }), this.tokenList(r.encoding, "encoding"));
        else parts.push(el("p", { class: "hint", text: "This survey records no tokenizer: the text is not encoded." }));
        parts.push(el("p", { text: r.match_count + " vocabulary entries contain the text" + (r.truncated ? " (first " + r.matches.length + " listed)" : "") + ":" }), this.tokenList(r.matches, "matches"));
        section.replaceChildren(...parts);
        statusLine.textContent = ids.size + " tokens highlighted.";
      } catch (error) { section.replaceChildren(el("h2", { text: "Search" }), el("p", { text: error.message })); }
    }
    async loadBlackHoles() {
      const body = this.q(".black-holes tbody"); body.replaceChildren();
      const r = await getJSON("/api/blackholes?survey=" + this.survey);
      for (const g of r.groups) {
        const button = el("button", { type: "button", class: "show-members", "aria-label": "Show the " + g.population + " members of group " + g.group, text: "Show" });
        button.addEventListener("click", () => this.showMembers(g.group));
        body.append(el("tr", { dataset: { group: String(g.group) } }, [el("td", { text: String(g.group) }), el("td", { text: String(g.population) }),
          el("td", { text: g.norm.toFixed(6) }), el("td", { text: g.representative + " " + label(g) }), el("td", {}, [button])]));
      }
      if (r.groups.length === 0) body.append(el("tr", {}, [el("td", { text: "No two rows of W are identical." })]));
    }
    async showMembers(group) {
      const box = this.q(".members");
      const r = await getJSON("/api/blackholes/" + group + "?survey=" + this.survey);
      this.members = r.members.map(m => m.id); this.redraw();
      box.replaceChildren(el("h3", { text: "Group " + group + ": " + r.population + " tokens at norm " + r.norm.toFixed(6) + (r.truncated ? " (first " + r.members.length + " listed)" : "") }),
        this.tokenList(r.members, "member-list"));
      box.dataset.group = String(group);
    }
  }

  async function start() {
    try {
      const r = await getJSON("/api/surveys");
      state.surveys = r.surveys;
      const count = Math.min(2, state.surveys.length);
      for (let i = 0; i < count; i++) state.panels.push(new Panel(i, i));
      await Promise.all(state.panels.map(p => p.ready));
      statusLine.textContent = "Drawing " + state.surveys.map(s => s.rows.toLocaleString()).join(" and ") + " rows…";
    } catch (error) { statusLine.textContent = "Could not load: " + error.message; }
  }
  start();
})();
"""#

    /// The API described in OpenAPI 3, served at /api/openapi.yaml.
    static let openAPI = #"""
openapi: 3.0.3
info:
  title: TokenScope inspector API
  description: 'Read-only JSON API of `tokenscope serve` over one or more survey folders. Errors are 4xx (503 when the neighbour queue is full) with a body {"error": "one line"}.'
  version: "1"
paths:
  /api/surveys:
    get:
      summary: The served surveys and their key figures.
      responses:
        "200": { description: "Surveys, limits and the points format.", content: { application/json: { schema: { $ref: "#/components/schemas/Surveys" } } } }
  /api/points:
    get:
      summary: "Every row's map coordinates and codes, binary: magic TSP1, UInt32 n, 8 reserved bytes, Float32 longitude[n], latitude[n], r[n], UInt8 population[n], UInt8 script[n], little-endian."
      parameters: [ { $ref: "#/components/parameters/survey" } ]
      responses:
        "200": { description: "The points (cached; ETag).", content: { application/octet-stream: { schema: { type: string, format: binary } } } }
        "304": { description: "Not modified." }
        "400": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
  /api/tokens/{id}:
    get:
      summary: One row of W, with its k exact nearest neighbours (L2 on the stored values, ties by id, the row itself left out).
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer, minimum: 0 } }
        - { $ref: "#/components/parameters/survey" }
        - { name: k, in: query, schema: { type: integer, minimum: 0, maximum: 1000, default: 10 } }
      responses:
        "200": { description: "The token.", content: { application/json: { schema: { $ref: "#/components/schemas/Token" } } } }
        "400": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
        "503": { $ref: "#/components/responses/Error" }
  /api/search:
    get:
      summary: The token id q (when it is one), the tokenizer's encoding of q, and the vocabulary entries whose readable form contains q.
      parameters:
        - { name: q, in: query, required: true, schema: { type: string, minLength: 1, maxLength: 256 } }
        - { $ref: "#/components/parameters/survey" }
      responses:
        "200": { description: "The matches.", content: { application/json: { schema: { $ref: "#/components/schemas/Search" } } } }
        "400": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
  /api/blackholes:
    get:
      summary: Every group of two or more identical rows of W, most populated first (at most 1,000 listed).
      parameters: [ { $ref: "#/components/parameters/survey" } ]
      responses:
        "200": { description: "The groups.", content: { application/json: { schema: { type: object } } } }
        "400": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
  /api/blackholes/{group}:
    get:
      summary: One group's members (at most 10,000 listed).
      parameters:
        - { name: group, in: path, required: true, schema: { type: integer, minimum: 0 } }
        - { $ref: "#/components/parameters/survey" }
      responses:
        "200": { description: "The members.", content: { application/json: { schema: { type: object } } } }
        "400": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
  /surveys/{survey}/{file}:
    get:
      summary: A file directly inside a served survey folder (report.html, the SVG maps), at most 32 MiB; nothing outside the folder.
      parameters:
        - { name: survey, in: path, required: true, schema: { type: integer, minimum: 0 } }
        - { name: file, in: path, required: true, schema: { type: string, pattern: "^[A-Za-z0-9_-][A-Za-z0-9._-]*$" } }
      responses:
        "200": { description: "The file." }
        "400": { $ref: "#/components/responses/Error" }
        "403": { $ref: "#/components/responses/Error" }
        "404": { $ref: "#/components/responses/Error" }
components:
  parameters:
    survey: { name: survey, in: query, description: "Index into /api/surveys (default 0).", schema: { type: integer, minimum: 0, default: 0 } }
  responses:
    Error: { description: "A refused request.", content: { application/json: { schema: { type: object, required: [error], properties: { error: { type: string } } } } } }
  schemas:
    Surveys:
      type: object
      properties:
        surveys: { type: array, items: { type: object, properties: { index: { type: integer }, name: { type: string }, rows: { type: integer }, columns: { type: integer }, dtype: { type: string }, populations: { type: array, items: { type: object } }, scripts: { type: array, items: { type: object } } } } }
        limits: { type: object }
        points_format: { type: string }
    Neighbour: { type: object, properties: { id: { type: integer }, distance: { type: number }, readable: { type: string, nullable: true } } }
    Token:
      type: object
      required: [id, population, script, neighbours]
      properties:
        id: { type: integer }
        readable: { type: string, nullable: true }
        population: { type: string }
        script: { type: string }
        category: { type: string, nullable: true }
        norm: { type: number, nullable: true }
        black_hole: { type: object, nullable: true, properties: { group: { type: integer }, population: { type: integer }, representative: { type: integer }, norm: { type: number } } }
        longitude: { type: number, nullable: true }
        latitude: { type: number, nullable: true }
        r: { type: number, nullable: true }
        neighbours: { type: array, items: { $ref: "#/components/schemas/Neighbour" } }
    Entry: { type: object, properties: { id: { type: integer }, readable: { type: string, nullable: true }, population: { type: string } } }
    Search:
      type: object
      properties:
        query: { type: string }
        id: { allOf: [ { $ref: "#/components/schemas/Entry" } ], nullable: true }
        encoding: { type: array, nullable: true, items: { $ref: "#/components/schemas/Entry" } }
        matches: { type: array, items: { $ref: "#/components/schemas/Entry" } }
        match_count: { type: integer }
        truncated: { type: boolean }
"""#
}
