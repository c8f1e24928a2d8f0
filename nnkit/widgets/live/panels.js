// nnkit's panel view: a grid of plot panels the kernel fills with small arrays (panels.py).
//
// Frames arrive as custom messages {type: "frame", id, session, still, acked, images: [{panel,
// h, w, lut, extent, smooth}], series: [{key, start, n}], titles: {panel: text}, rects?, text?}
// with one binary buffer per image (h·w uint8) and then per series (n·2 float32).  What a frame
// does not carry stays as it was.  Each frame keeps its own snapshot (its images, the length of
// each series, its titles), so the picture shown is exactly the kernel's state at that frame.
// Flow control as in live_view.js: at most one picture per display refresh, at most MAX_QUEUE
// waiting, an ack every `ack_every` frames shown; Pause drops what is queued.
// Readouts on the root element for people and tests: data-playing, data-shown (≤ 10 updates a
// second while playing), and the properties nnkitShown (pictures drawn), nnkitDrawMs,
// nnkitFrame (the frame on screen: {id, text, titles, heads: {key: [x, y]}, lengths}).

const MAX_QUEUE = 3;
const FONT = "DejaVu Sans, Verdana, sans-serif";

function u8(b) {
  if (b instanceof DataView) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  return new Uint8Array(b.buffer, b.byteOffset || 0, b.byteLength);
}
function f32(b) { return new Float32Array(u8(b).slice().buffer); }   // copy: aligned
function css(rgb) { return `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`; }

function build({ model, el }) {
  const L = model.get("layout_info"), fs = L.font || 15, W = L.width, H = L.height;
  const panels = L.panels || [], seriesInfo = L.series || {}, marks = L.marks || [];
  const luts = {};
  // the bar's words, translated in Python (panels.py's PANEL_LABELS); English when absent
  const T = (key, english) => (model.get("labels") || {})[key] || english;
  const lutBytes = u8(model.get("luts"));
  model.get("lut_names").forEach((name, k) => {
    const t = lutBytes.subarray(768 * k, 768 * (k + 1)), out = new Uint32Array(256);
    for (let i = 0; i < 256; i++) out[i] = (255 << 24) | (t[3 * i + 2] << 16) | (t[3 * i + 1] << 8) | t[3 * i];
    luts[name] = out;
  });

  // ---- the page: a bar (Play, status) over one canvas ----------------------------------------
  const root = document.createElement("div"); root.className = "nnkit-panels";
  root.style.setProperty("--nnkit-panels-font", `${fs}px`);
  const bar = document.createElement("div"); bar.className = "nnkit-panels-bar";
  const playBtn = document.createElement("button"); playBtn.className = "nnkit-panels-play";
  playBtn.textContent = T("play", "Play");
  const text = document.createElement("span"); text.className = "nnkit-panels-text";
  const status = document.createElement("span"); status.className = "nnkit-panels-status";
  bar.append(playBtn, text, status);
  const dpr = window.devicePixelRatio || 1;
  const cv = document.createElement("canvas"); cv.className = "nnkit-panels-canvas";
  cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
  cv.style.width = `${W}px`; cv.style.height = `${H}px`;
  const ctx = cv.getContext("2d"); ctx.scale(dpr, dpr);
  root.append(bar, cv);
  el.append(root);

  // data → canvas pixels, per panel
  const px = (p, x) => p.box[0] + (x - p.xlim[0]) / (p.xlim[1] - p.xlim[0]) * p.box[2];
  const py = (p, y) => p.box[1] + (p.ylim[1] - y) / (p.ylim[1] - p.ylim[0]) * p.box[3];

  // ---- what never changes: ticks, labels, titles, legends, colour bars (drawn once) ----------
  const base = document.createElement("canvas");
  base.width = cv.width; base.height = cv.height;
  const b = base.getContext("2d"); b.scale(dpr, dpr);
  b.fillStyle = "#fff"; b.fillRect(0, 0, W, H);
  const tickFont = `${Math.round(fs * 0.85)}px ${FONT}`;
  for (const p of panels) {
    const [x, y, w, h] = p.box;
    b.fillStyle = "#464646"; b.font = tickFont;
    b.textAlign = "center"; b.textBaseline = "top";
    for (const [v, label] of p.xticks || []) {
      const u = px(p, v); b.fillRect(u, y + h, 1, 4); b.fillText(label, u, y + h + 5);
    }
    b.textAlign = "right"; b.textBaseline = "middle";
    for (const [v, label] of p.yticks || []) {
      const t = py(p, v); b.fillRect(x - 5, t, 4, 1); b.fillText(label, x - 7, t);
    }
    b.fillStyle = "#141414"; b.font = `${fs}px ${FONT}`;
    if (p.xlabel) { b.textAlign = "center"; b.textBaseline = "top"; b.fillText(p.xlabel, x + w / 2, y + h + fs + 8); }
    if (p.ylabel) {
      b.save(); b.translate(x - (p.ylabel_gap || 2.6 * fs), y + h / 2); b.rotate(-Math.PI / 2);
      b.textAlign = "center"; b.textBaseline = "middle"; b.fillText(p.ylabel, 0, 0); b.restore();
    }
    if (p.title) {
      b.font = `bold ${Math.round(fs * 1.1)}px ${FONT}`; b.fillStyle = p.title_color ? css(p.title_color) : "#141414";
      b.textAlign = p.title_align || "center"; b.textBaseline = "bottom";
      const tx = b.textAlign === "left" ? x : x + w / 2;
      b.fillText(p.title, tx, y - (p.subtitle ? fs + 8 : 4));
    }
    if (p.legend) {
      b.font = `${fs}px ${FONT}`; b.textAlign = "right"; b.textBaseline = "middle";
      let lx = x + w - 8; const ly = y + fs;
      for (const [name, rgb, dash] of p.legend.slice().reverse()) {
        b.fillStyle = "#222"; b.fillText(name, lx, ly); lx -= b.measureText(name).width + 6;
        b.strokeStyle = css(rgb); b.lineWidth = 3; b.setLineDash(dash || []);
        b.beginPath(); b.moveTo(lx - 24, ly); b.lineTo(lx, ly); b.stroke(); b.setLineDash([]);
        lx -= 36;
      }
    }
    const bar = p.colorbar;
    if (bar && luts[bar.lut]) {               // a vertical bar right of the panel, top = 255
      const bx = x + w + 8, bw = Math.max(8, Math.round(fs * 0.7)), lut = luts[bar.lut];
      for (let i = 0; i < h; i++) {
        const c = lut[Math.round(255 * (1 - i / Math.max(h - 1, 1)))];
        b.fillStyle = `rgb(${c & 255},${(c >> 8) & 255},${(c >> 16) & 255})`;
        b.fillRect(bx, y + i, bw, 1);
      }
      b.strokeStyle = "#646464"; b.lineWidth = 1; b.strokeRect(bx - 0.5, y - 0.5, bw + 1, h + 1);
      b.fillStyle = "#464646"; b.font = tickFont; b.textAlign = "left"; b.textBaseline = "middle";
      for (const [t, label] of bar.ticks || []) b.fillText(label, bx + bw + 4, y + h - t * h);
    }
  }

  // ---- state: the newest of everything, and each frame's snapshot of it ----------------------
  const images = {}, series = {}, titles = {};
  let rects = [], statusText = "";
  for (const key in seriesInfo) series[key] = { xy: new Float32Array(256), n: 0 };
  const grids = new Map();
  function paint(img, p) {
    const key = `${img.w}x${img.h}`;
    let g = grids.get(key);
    if (!g) {
      const c = document.createElement("canvas"); c.width = img.w; c.height = img.h;
      const cx = c.getContext("2d"), data = cx.createImageData(img.w, img.h);
      g = { c, cx, data, out: new Uint32Array(data.data.buffer) };
      grids.set(key, g);
    }
    const lut = luts[img.lut], v = img.values, out = g.out;
    for (let i = 0; i < v.length; i++) out[i] = lut[v[i]];
    g.cx.putImageData(g.data, 0, 0);
    const [x0, x1, yb, yt] = img.extent, u0 = px(p, x0), u1 = px(p, x1), v0 = py(p, yt), v1 = py(p, yb);
    ctx.imageSmoothingEnabled = !!img.smooth;
    ctx.drawImage(g.c, Math.min(u0, u1), Math.min(v0, v1), Math.abs(u1 - u0), Math.abs(v1 - v0));
  }
  function star(x, y, r) {
    ctx.beginPath();
    for (let k = 0; k < 10; k++) {
      const a = -Math.PI / 2 + k * Math.PI / 5, q = k % 2 ? r * 0.45 : r;
      k ? ctx.lineTo(x + q * Math.cos(a), y + q * Math.sin(a)) : ctx.moveTo(x + q * Math.cos(a), y + q * Math.sin(a));
    }
    ctx.closePath();
  }

  function show(f) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(base, 0, 0, W, H);
    panels.forEach((p, k) => {
      const [x, y, w, h] = p.box;
      ctx.save(); ctx.beginPath(); ctx.rect(x, y, w, h); ctx.clip();
      if (f.images[k]) paint(f.images[k], p);
      ctx.restore();
      if (p.grid) {                                  // light lines at the y ticks
        ctx.fillStyle = "rgba(0,0,0,0.12)";
        for (const [v] of p.yticks || []) ctx.fillRect(x, Math.round(py(p, v)), w, 1);
      }
      ctx.strokeStyle = "#464646"; ctx.lineWidth = 1; ctx.strokeRect(x - 0.5, y - 0.5, w + 1, h + 1);
      const sub = f.titles[k];
      if (sub) {
        ctx.font = `${fs}px ${FONT}`; ctx.fillStyle = "#262626"; ctx.textAlign = p.title_align || "center";
        ctx.textBaseline = "bottom"; ctx.fillText(sub, ctx.textAlign === "left" ? x : x + w / 2, y - 4);
      }
    });
    const heads = {};
    for (const key in seriesInfo) {                  // polylines, clipped to their panel
      const s = seriesInfo[key], p = panels[s.panel], xy = series[key].xy, n = f.lengths[key] || 0;
      if (!n) continue;
      const [x, y, w, h] = p.box;
      ctx.save(); ctx.beginPath(); ctx.rect(x, y, w, h); ctx.clip();
      ctx.strokeStyle = css(s.color); ctx.lineWidth = s.width || 2; ctx.setLineDash(s.dash || []);
      ctx.lineJoin = "round"; ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i++) {
        const a = xy[2 * i], c = xy[2 * i + 1];
        if (!isFinite(a) || !isFinite(c)) { pen = false; continue; }
        const u = px(p, a), v = py(p, c);
        pen ? ctx.lineTo(u, v) : ctx.moveTo(u, v); pen = true;
      }
      ctx.stroke(); ctx.setLineDash([]);
      if (s.dot && n <= 400) {
        ctx.fillStyle = css(s.color);
        for (let i = 0; i < n; i++) {
          ctx.beginPath(); ctx.arc(px(p, xy[2 * i]), py(p, xy[2 * i + 1]), s.dot, 0, 2 * Math.PI); ctx.fill();
        }
      }
      const hx = xy[2 * n - 2], hy = xy[2 * n - 1];
      heads[key] = [hx, hy];
      if (s.head && isFinite(hx) && isFinite(hy)) {
        ctx.beginPath(); ctx.arc(px(p, hx), py(p, hy), s.head, 0, 2 * Math.PI);
        ctx.fillStyle = css(s.color); ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke();
      }
      ctx.restore();
    }
    for (const m of marks) {                         // minima (stars), the start (a ring)
      const p = panels[m.panel], r = m.size || 9;
      ctx.save(); ctx.beginPath(); ctx.rect(...p.box); ctx.clip();
      for (const [x, y] of m.xy) {
        const u = px(p, x), v = py(p, y);
        if (m.shape === "star") { star(u, v, r); ctx.fillStyle = css(m.color || [255, 215, 0]); ctx.fill(); }
        else { ctx.beginPath(); ctx.arc(u, v, r, 0, 2 * Math.PI); ctx.fillStyle = "#fff"; ctx.fill(); }
        ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke();
      }
      ctx.restore();
    }
    for (const r of f.rects) {                       // outlines: a step, a unit
      const p = panels[r.panel], [a, c, d, e] = r.xy;
      const u0 = px(p, a), u1 = px(p, d), v0 = py(p, c), v1 = py(p, e);
      ctx.strokeStyle = css(r.color || [0, 0, 0]); ctx.lineWidth = r.width || 2;
      ctx.strokeRect(Math.min(u0, u1), Math.min(v0, v1), Math.abs(u1 - u0), Math.abs(v1 - v0));
    }
    shown += 1;
    root.nnkitShown = shown;
    root.nnkitFrame = { id: f.id, text: f.text, titles: f.titles, heads, lengths: f.lengths };
    const now = performance.now();     // DOM text changes the page's layout: ≤ 10 times a second
    if (!playing || queue.length === 0 && now - textAt > 100) {
      textAt = now;
      text.textContent = f.text;
      root.dataset.shown = shown;
    }
  }

  // ---- frames in (merged at once, shown one per display refresh) ----------------------------
  let playing = false, minSession = 0, maxSession = 0, lastAck = 0, ackSession = -1;
  let handledId = 0, handledSession = -1, lastFrameAt = 0, textAt = 0, drawMs = 0;
  let queue = [], shown = 0, last = null, rafId = 0, alive = true;
  function onMessage(msg, buffers) {
    if (msg.type === "error") { status.textContent = msg.text; setPlaying(false); return; }
    if (msg.type !== "frame") return;
    let k = 0;
    for (const im of msg.images) images[im.panel] = { ...im, values: u8(buffers[k++]).slice() };
    for (const s of msg.series) {
      const st = series[s.key];
      if (!st) { k++; continue; }
      const add = f32(buffers[k++]), n = Math.min(s.start, st.n) + s.n;
      if (2 * n > st.xy.length) { const g = new Float32Array(Math.max(4 * n, 256)); g.set(st.xy.subarray(0, 2 * st.n)); st.xy = g; }
      st.xy.set(add, 2 * Math.min(s.start, st.n)); st.n = n;
    }
    Object.assign(titles, msg.titles);
    if (msg.rects) rects = msg.rects;
    if (msg.text !== undefined) statusText = msg.text;
    const lengths = {};
    for (const key in series) lengths[key] = series[key].n;
    const f = { id: msg.id, session: msg.session, still: msg.still, acked: msg.acked,
                images: { ...images }, lengths, titles: { ...titles }, rects, text: statusText };
    if (!msg.still) lastFrameAt = performance.now();
    maxSession = Math.max(maxSession, msg.session);
    if (msg.still) {
      if (!playing) queue = [f]; else queue.push(f);
    } else if (playing && msg.session >= minSession) {
      queue.push(f);
      while (queue.length > MAX_QUEUE) queue.shift();   // dropped: the next ack covers it
    }
  }
  function tick() {
    if (!alive) return;
    rafId = requestAnimationFrame(tick);
    if (!queue.length) return;
    const f = queue.shift(), t0 = performance.now();
    show(f);
    drawMs = 0.9 * drawMs + 0.1 * (performance.now() - t0);
    root.nnkitDrawMs = drawMs;
    last = f;
    if (!f.still) acknowledge(f.id, f.session, f.acked);
  }
  function acknowledge(id, session, kernelAcked) {   // cumulative, every ack_every frames
    if (ackSession !== session) { ackSession = session; lastAck = 0; }
    handledId = id; handledSession = session;
    if (id - Math.max(lastAck, kernelAcked) >= (model.get("ack_every") || 4)) {
      lastAck = id;
      model.send({ type: "ack", id, session });
    }
  }
  const nudge = setInterval(() => {                  // an ack lost on the way: say it again
    if (alive && playing && handledId > 0 && performance.now() - lastFrameAt > 500) {
      lastFrameAt = performance.now();
      model.send({ type: "ack", id: handledId, session: handledSession });
    }
  }, 500);

  function setPlaying(on) {
    playing = on;
    playBtn.textContent = on ? T("pause", "Pause") : T("play", "Play");
    playBtn.classList.toggle("nnkit-playing", on);
    root.dataset.playing = on ? "1" : "0";
    if (!on) {
      queue = queue.filter(f => f.still);            // drop queued pictures at once
      minSession = maxSession + 1;
      if (last) { text.textContent = last.text; root.dataset.shown = shown; }
    }
  }
  playBtn.onclick = () => {
    if (playing) { setPlaying(false); model.send({ type: "pause" }); }
    else { status.textContent = ""; setPlaying(true); model.send({ type: "play" }); }
  };
  const onPlaying = () => { const on = model.get("playing"); if (on !== playing) setPlaying(on); };
  model.on("change:playing", onPlaying);
  model.on("msg:custom", onMessage);
  setPlaying(model.get("playing"));
  rafId = requestAnimationFrame(tick);
  model.send({ type: "hello" });

  return () => {
    alive = false;
    cancelAnimationFrame(rafId);
    clearInterval(nudge);
    model.off("msg:custom", onMessage);
    model.off("change:playing", onPlaying);
  };
}

// New panels or colour tables (a setting changed the picture's shape): build the view again.
function render({ model, el }) {
  let cleanup = build({ model, el });
  const rebuild = () => { cleanup(); el.replaceChildren(); cleanup = build({ model, el }); };
  model.on("change:layout_info", rebuild);
  return () => { model.off("change:layout_info", rebuild); cleanup(); };
}

export default { render };
