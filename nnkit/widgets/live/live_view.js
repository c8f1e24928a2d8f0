// nnkit's live view: the kernel sends small arrays, this module colours and draws them.
//
// Frames arrive as custom messages {type: "frame", id, session, epoch, R, n, r, lut,
// loss_start, replay, still} with four binary buffers: grid (R·R uint8, row 0 at the top),
// thumbs (n·r·r uint8), weights (float32: per layer W row-major then b), losses (float32 pairs:
// training, test — only the new ones, the first for epoch loss_start).  Colours come from the
// `luts` trait (boundary 256×3, then diverging 256×3), built in Python from nnkit.plots.style.
//
// Flow control: at most one picture per display refresh (requestAnimationFrame), at most
// MAX_QUEUE waiting; every `ack_every` frames shown (or dropped) the kernel is told, so it stays
// at most a few frames ahead.  Pause drops what is queued at once.
// Readouts for people and tests on the root element: data-epoch, data-shown (pictures drawn;
// while playing at most 10 updates a second, as the epoch text), data-replay, data-focus,
// data-points; and, updated with every picture, the properties nnkitShown and nnkitDrawMs
// (properties, not attributes: an attribute change makes JupyterLab's page recompute styles).

const MAX_QUEUE = 3;
const CHART_MS = 100;      // while playing the loss chart is redrawn at most every 100 ms
const FONT = "DejaVu Sans, Verdana, sans-serif";

function u8(b) {
  if (b instanceof DataView) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  return new Uint8Array(b.buffer, b.byteOffset || 0, b.byteLength);
}
function f32(b) {   // copy: a DataView's offset need not be a multiple of 4
  const bytes = u8(b);
  return new Float32Array(bytes.slice().buffer);
}
function rgba32(lut) {   // 256×3 uint8 → 256 packed RGBA (little-endian ImageData order)
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++)
    out[i] = (255 << 24) | (lut[3 * i + 2] << 16) | (lut[3 * i + 1] << 8) | lut[3 * i];
  return out;
}
function css(rgb) { return `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`; }
function niceCeiling(v) {
  if (!(v > 0) || !isFinite(v)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const s of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (s * p >= v * (1 - 1e-12)) return s * p;
  return 10 * p;
}
function ticks(lo, hi) {
  const span = hi - lo, raw = span / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(s => s * p).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(+t.toFixed(6));
  return out;
}
// The words shown come from the `labels` trait (translated in Python with nnkit.i18n, see
// view.py's LIVE_LABELS); a label missing there is shown in English.  "{k}" → vars.k.
function words(model) {
  return (key, english, vars = {}) => {
    const text = (model.get("labels") || {})[key] || english;
    return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  };
}
function canvas(w, h, cls) {
  const c = document.createElement("canvas");
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
  c.style.width = `${w}px`; c.style.height = `${h}px`;
  if (cls) c.className = cls;
  const ctx = c.getContext("2d");
  ctx.scale(dpr, dpr);
  return [c, ctx];
}

function build({ model, el }) {
  const info = model.get("layout_info");
  const S = info.sizes, fs = S.font;
  const layers = info.layers, nNodes = layers.reduce((a, b) => a + b, 0);
  const [xmin, xmax, ymin, ymax] = info.extent;
  let luts = u8(model.get("luts"));
  let lutB = rgba32(luts.subarray(0, 768)), lutD = rgba32(luts.subarray(768, 1536));
  let lutBrgb = luts.slice(0, 768), lutDrgb = luts.slice(768, 1536);
  const colors = model.get("class_colors");
  const T = words(model);

  // ---- the page -------------------------------------------------------------------------
  const root = document.createElement("div");
  root.className = "nnkit-live";
  root.style.setProperty("--nnkit-live-font", `${fs}px`);
  const bar = document.createElement("div"); bar.className = "nnkit-live-bar";
  const playBtn = document.createElement("button"); playBtn.className = "nnkit-live-play";
  playBtn.textContent = T("play", "Play");
  const epochText = document.createElement("span"); epochText.className = "nnkit-live-epoch";
  epochText.textContent = T("epoch", "Epoch {epoch}", { epoch: 0 });
  const classBox = document.createElement("span"); classBox.className = "nnkit-live-classes";
  classBox.append(T("click_adds", "Click adds:") + " ");
  let chosen = 1;
  const classBtns = colors.map((c, k) => {
    const b = document.createElement("button");
    b.className = "nnkit-live-class"; b.dataset.cls = k;
    b.innerHTML = `<span style="color:${css(c)}">●</span> ` + T("class", "class {k}", { k });
    b.title = T("class_tip", "A click on the picture adds a point of class {k}; shift-click or drag removes", { k });
    b.onclick = () => { chosen = k; classBtns.forEach((x, j) => x.classList.toggle("nnkit-on", j === k)); };
    classBox.append(b);
    return b;
  });
  classBtns[chosen].classList.add("nnkit-on");
  const status = document.createElement("span"); status.className = "nnkit-live-status";
  bar.append(playBtn, epochText, classBox, status);
  if (info.play_button === false) playBtn.style.display = "none";   // the host has its own

  // boundary: a canvas of the plot area only (the grid, redrawn every picture) under an overlay
  // (axes, points: redrawn only when they change) — every changed canvas pixel costs the page
  const tickFont = `${Math.round(fs * 0.9)}px ${FONT}`;
  const left = Math.round(fs * 3.6), top = 8, right = 10, bottom = Math.round(fs * 2.6);
  const side = S.plot, BW = left + side + right, BH = top + side + bottom;
  const plotBox = document.createElement("div"); plotBox.className = "nnkit-live-plot";
  plotBox.style.width = `${BW}px`; plotBox.style.height = `${BH}px`;
  const [bg, bgx] = canvas(side, side, "nnkit-live-boundary");
  bg.style.left = `${left}px`; bg.style.top = `${top}px`;
  const [ov, ovx] = canvas(BW, BH, "nnkit-live-overlay");
  plotBox.append(bg, ov);
  bg.dataset.plot = `0,0,${side}`;                  // where the plot area is (CSS px)

  const [NW, NH] = S.network;
  const [net, netx] = canvas(NW, NH, "nnkit-live-network");
  const [CW, CH] = S.chart;
  const [chart, chartx] = canvas(CW, CH, "nnkit-live-chart");

  const timeline = document.createElement("div"); timeline.className = "nnkit-live-timeline";
  const slider = document.createElement("input");
  slider.type = "range"; slider.min = 0; slider.max = 0; slider.value = 0; slider.step = 1;
  slider.className = "nnkit-live-slider"; slider.style.width = `${side}px`;
  slider.title = T("timeline", "Timeline: drag back to see how the network learned");
  const sliderText = document.createElement("span"); sliderText.className = "nnkit-live-when";
  sliderText.textContent = T("live", "live");
  timeline.append(slider, sliderText);
  timeline.style.marginLeft = `${left}px`;

  const row = document.createElement("div"); row.className = "nnkit-live-row";
  const leftCol = document.createElement("div"); leftCol.className = "nnkit-live-col";
  leftCol.append(plotBox, timeline);
  const rightCol = document.createElement("div"); rightCol.className = "nnkit-live-col";
  rightCol.append(net, chart);
  row.append(leftCol, rightCol);
  root.append(bar, row);
  const hidden = info.hide || [];
  if (hidden.includes("network")) net.style.display = "none";
  if (hidden.includes("curves")) chart.style.display = "none";
  el.append(root);

  // ---- state ------------------------------------------------------------------------------
  let playing = false, minSession = 0, maxSession = 0, lastAck = 0, ackSession = -1;
  let handledId = 0, handledSession = -1, lastFrameAt = 0, textAt = 0, chartAt = 0, drawMs = 0;
  let queue = [], shown = 0, last = null, focus = -1, rafId = 0, alive = true;
  let trainLoss = [], testLoss = [], liveEpoch = 0, replayEpoch = null;
  let scrubInFlight = false, scrubWanted = null, scrubRequest = 0;
  let points = { xy: new Float32Array(0), label: new Uint8Array(0) };
  let testPoints = { xy: new Float32Array(0), label: new Uint8Array(0) };

  // ---- drawing ------------------------------------------------------------------------------
  const px = x => left + (x - xmin) / (xmax - xmin) * side;
  const py = y => top + (ymax - y) / (ymax - ymin) * side;
  const dataX = u => xmin + (u - left) / side * (xmax - xmin);
  const dataY = v => ymax - (v - top) / side * (ymax - ymin);

  const grids = new Map();     // side → a small canvas and its pixels, reused every frame
  function paintGrid(ctx, values, R, lut, x, y, w, h, smooth = true) {
    let g = grids.get(R);
    if (!g) {
      const c = document.createElement("canvas"); c.width = R; c.height = R;
      const cx = c.getContext("2d"), img = cx.createImageData(R, R);
      g = { c, cx, img, out: new Uint32Array(img.data.buffer) };
      grids.set(R, g);
    }
    const out = g.out;
    for (let i = 0; i < R * R; i++) out[i] = lut[values[i]];
    g.cx.putImageData(g.img, 0, 0);
    ctx.imageSmoothingEnabled = smooth;
    ctx.drawImage(g.c, x, y, w, h);
  }

  function drawOverlay() {
    const ctx = ovx;
    ctx.clearRect(0, 0, BW, BH);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, BW, top); ctx.fillRect(0, 0, left, BH);
    ctx.fillRect(left + side, 0, right, BH); ctx.fillRect(0, top + side, BW, bottom);
    ctx.strokeStyle = "#464646"; ctx.lineWidth = 1;
    ctx.strokeRect(left - 0.5, top - 0.5, side + 1, side + 1);
    ctx.fillStyle = "#464646"; ctx.font = tickFont;
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (const t of ticks(xmin, xmax)) {
      const x = px(t); ctx.fillRect(x, top + side, 1, 5); ctx.fillText(String(t), x, top + side + 6);
    }
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (const t of ticks(ymin, ymax)) {
      const y = py(t); ctx.fillRect(left - 6, y, 5, 1); ctx.fillText(String(t), left - 8, y);
    }
    ctx.fillStyle = "#141414"; ctx.font = `${fs}px ${FONT}`;
    ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.fillText(info.xlabel || "x₁", left + side / 2, BH - 2);
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillText(info.ylabel || "x₂", 2, top + side / 2);
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top, side, side); ctx.clip();
    const r = S.point, { xy, label } = points;
    for (let i = 0; i < label.length; i++) {
      ctx.beginPath();
      ctx.arc(px(xy[2 * i]), py(xy[2 * i + 1]), r, 0, 2 * Math.PI);
      ctx.fillStyle = css(colors[label[i]] || [0, 0, 0]); ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#fff"; ctx.stroke();
    }
    const t = testPoints;                  // test data: hollow rings in the class colour
    ctx.lineWidth = Math.max(1.5, r / 2.5);
    for (let i = 0; i < t.label.length; i++) {
      ctx.beginPath();
      ctx.arc(px(t.xy[2 * i]), py(t.xy[2 * i + 1]), r, 0, 2 * Math.PI);
      ctx.strokeStyle = css(colors[t.label[i]] || [0, 0, 0]); ctx.stroke();
    }
    ctx.restore();
    root.dataset.testPoints = t.label.length;
    root.dataset.points = label.length;
  }

  // focus: a hovered neuron's picture, large; an output unit's in the boundary's colours
  function drawBoundary(f) {
    const out = f.n ? f.n - 1 : -1, firstOut = f.n - layers[layers.length - 1];
    const thumb = q => f.thumbs.subarray(q * f.r * f.r, (q + 1) * f.r * f.r);
    if (focus >= 0) {                  // (a single output unit is never the focus: setFocus)
      if (f.lut === "diverging") paintGrid(bgx, f.grid, f.R, lutD, 0, 0, side, side);
      else if (f.n) paintGrid(bgx, thumb(focus), f.r, focus >= firstOut ? lutB : lutD, 0, 0, side, side);
    } else if (f.lut === "boundary") {
      paintGrid(bgx, f.grid, f.R, lutB, 0, 0, side, side);
    } else if (f.n) {
      paintGrid(bgx, thumb(out), f.r, lutB, 0, 0, side, side);
    }
  }

  // the network: columns of neuron pictures joined by a line per weight
  const netFont = `${fs}px ${FONT}`;
  netx.font = netFont;
  const labelRoom = 6 + Math.max(...(info.labels || ["x"]).map(t => netx.measureText(t).width));
  const netTop = fs + 12, room = NH - netTop - 6, most = Math.max(...layers);
  const node = Math.max(6, Math.floor(Math.min(S.node, room / most * 0.8)));
  const spacing = Math.min(room / most, node * 1.35);
  const pitch = (NW - labelRoom) / layers.length;
  const centres = [];          // per node: [x, y]
  layers.forEach((n, c) => {
    const x = labelRoom + pitch * (c + 0.5);
    for (let j = 0; j < n; j++) centres.push([x, netTop + room / 2 + (j - (n - 1) / 2) * spacing]);
  });
  net.dataset.nodes = JSON.stringify(centres.map(([x, y]) => [Math.round(x), Math.round(y)]));
  net.dataset.node = node;                            // the side of a neuron's picture
  const firstOf = layers.map((_, c) => layers.slice(0, c).reduce((a, b) => a + b, 0));

  // − n + per hidden layer, centred over that layer's column of the network picture
  // (layout_info.unit_buttons = [fewest, most] neurons; a click sends {type: "units"})
  if (info.unit_buttons && !hidden.includes("network") && !hidden.includes("hidden_layers")) {
    const [fewest, most] = info.unit_buttons;
    const row = document.createElement("div"); row.className = "nnkit-live-units";
    row.style.width = `${NW}px`;
    layers.slice(1, -1).forEach((n, l) => {
      const box = document.createElement("span"); box.className = "nnkit-live-unit";
      box.style.left = `${centres[firstOf[l + 1]][0]}px`;
      box.dataset.layer = l;
      const button = (text, delta, off, title) => {
        const b = document.createElement("button");
        b.textContent = text; b.disabled = off; b.title = title;
        b.onclick = () => model.send({ type: "units", layer: l, delta });
        return b;
      };
      const count = document.createElement("b"); count.textContent = n;
      box.append(button("−", -1, n <= fewest, T("less", "One neuron less in layer {n}", { n: l + 1 })), count,
                 button("+", +1, n >= most, T("more", "One neuron more in layer {n}", { n: l + 1 })));
      row.append(box);
    });
    rightCol.prepend(row);
  }

  function divColor(v, scale) {
    const t = Math.max(-1, Math.min(1, v / scale)), i = Math.round(127.5 * (t + 1));
    return `rgb(${lutDrgb[3 * i]},${lutDrgb[3 * i + 1]},${lutDrgb[3 * i + 2]})`;
  }

  // titles and input labels never change: drawn once, copied under every frame
  const [netBase, baseCtx] = canvas(NW, NH);
  baseCtx.fillStyle = "#fff"; baseCtx.fillRect(0, 0, NW, NH);
  baseCtx.fillStyle = "#282828"; baseCtx.font = netFont; baseCtx.textAlign = "center";
  baseCtx.textBaseline = "top";
  (info.titles || []).forEach((t, c) => baseCtx.fillText(t, centres[firstOf[c]][0], 2));
  baseCtx.textAlign = "right"; baseCtx.textBaseline = "middle"; baseCtx.fillStyle = "#141414";
  (info.labels || []).forEach((t, j) => baseCtx.fillText(t, centres[j][0] - node / 2 - 5, centres[j][1]));

  function drawNetwork(f) {
    const ctx = netx, half = node / 2;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(netBase, 0, 0, NW, NH);
    const w = f.weights, lines = [], biases = [];
    let k = 0, scale = 0;
    for (let c = 0; c + 1 < layers.length && k < w.length; c++) {
      const nIn = layers[c], nOut = layers[c + 1];
      for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) {
        const v = w[k++]; scale = Math.max(scale, Math.abs(v));
        lines.push([firstOf[c] + i, firstOf[c + 1] + j, v]);
      }
      for (let j = 0; j < nOut; j++) biases.push([firstOf[c + 1] + j, w[k++]]);
    }
    scale = scale > 0 ? scale : 1;
    lines.sort((a, b) => Math.abs(a[2]) - Math.abs(b[2]));       // weakest first
    for (const [a, b, v] of lines) {
      ctx.beginPath();
      ctx.moveTo(centres[a][0] + half, centres[a][1]); ctx.lineTo(centres[b][0] - half, centres[b][1]);
      ctx.strokeStyle = divColor(v, scale);
      ctx.lineWidth = 1 + Math.round(7 * Math.min(Math.abs(v) / scale, 1));
      ctx.stroke();
    }
    const r = f.r, firstOut = f.n - layers[layers.length - 1];   // output units: boundary table
    for (let q = 0; q < f.n && q < centres.length; q++) {
      const [x, y] = centres[q];
      paintGrid(ctx, f.thumbs.subarray(q * r * r, (q + 1) * r * r), r, q >= firstOut ? lutB : lutD,
                Math.round(x - half), Math.round(y - half), node, node);
      ctx.lineWidth = q === focus ? 3 : 1;
      ctx.strokeStyle = q === focus ? "#000" : "#5a5a5a";
      ctx.strokeRect(Math.round(x - half) - 0.5, Math.round(y - half) - 0.5, node + 1, node + 1);
    }
    const sq = Math.max(5, Math.floor(node / 5));
    ctx.lineWidth = 1; ctx.strokeStyle = "#3c3c3c";
    for (const [q, v] of biases) {
      const x0 = Math.round(centres[q][0] - half) - sq / 2, y1 = Math.round(centres[q][1] + half) + sq / 2;
      ctx.fillStyle = divColor(v, scale);
      ctx.fillRect(x0, y1 - sq, sq, sq); ctx.strokeRect(x0, y1 - sq, sq, sq);
    }
  }

  // The loss per epoch (point i is epoch i + 1), up to epoch `upto` (the picture shown).
  // Axes, labels and legend change only with the y range: drawn then, copied every frame.
  const [chartBase, chartBaseCtx] = canvas(CW, CH);
  const series = [[() => trainLoss, [0, 114, 178], T("training", "training"), []],
                  [() => testLoss, [213, 94, 0], T("test", "test"), [8, 5]]];
  let chartKey = null, box = null;
  function drawChartAxes(topV) {
    const ctx = chartBaseCtx;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, CW, CH);
    ctx.font = `${fs}px ${FONT}`;
    const labels = [0, topV / 2, topV].map(v => String(+v.toPrecision(3)));
    const x0 = 8 + Math.max(...labels.map(t => ctx.measureText(t).width));
    const y0 = fs + 10, x1 = CW - 10, y1 = CH - fs - 10;
    box = { x0, y0, x1, y1 };
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    labels.forEach((t, i) => {
      const y = y1 - i * (y1 - y0) / 2;
      ctx.fillStyle = "#e1e1e1"; ctx.fillRect(x0, y, x1 - x0, 1);
      ctx.fillStyle = "#3c3c3c"; ctx.fillText(t, x0 - 5, y);
    });
    ctx.fillStyle = "#787878"; ctx.fillRect(x0, y0, 1, y1 - y0); ctx.fillRect(x0, y1, x1 - x0, 1);
    ctx.fillStyle = "#1e1e1e"; ctx.textAlign = "left"; ctx.textBaseline = "top";
    ctx.fillText(T("loss", "loss"), x0, 2);
    ctx.fillStyle = "#3c3c3c"; ctx.fillText("0", x0, y1 + 4);
    ctx.textAlign = "center"; ctx.fillText(T("epochs", "epoch"), (x0 + x1) / 2, y1 + 4);
    let lx = x1;
    ctx.textAlign = "right"; ctx.textBaseline = "top"; ctx.lineWidth = 3;
    for (const [, rgb, name, dash] of series.slice().reverse()) {
      ctx.fillStyle = css(rgb); ctx.fillText(name, lx, 2);
      lx -= ctx.measureText(name).width + 6;
      ctx.strokeStyle = css(rgb); ctx.setLineDash(dash);
      ctx.beginPath(); ctx.moveTo(lx - 22, fs / 2 + 3); ctx.lineTo(lx, fs / 2 + 3); ctx.stroke();
      lx -= 32;
    }
    ctx.setLineDash([]);
  }

  function drawChart(upto) {
    const ctx = chartx, n = Math.min(upto ?? trainLoss.length, trainLoss.length);
    let hi = 0;
    for (const [get] of series) {
      const a = get();
      for (let i = 0; i < n; i++) if (a[i] > hi && isFinite(a[i])) hi = a[i];
    }
    const topV = niceCeiling(hi);
    if (topV !== chartKey) { chartKey = topV; drawChartAxes(topV); }
    const { x0, y0, x1, y1 } = box;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(chartBase, 0, 0, CW, CH);
    const span = Math.max(n, 1);
    ctx.font = `${fs}px ${FONT}`; ctx.fillStyle = "#3c3c3c";
    ctx.textAlign = "right"; ctx.textBaseline = "top"; ctx.fillText(String(n), x1, y1 + 4);
    ctx.lineWidth = 3;
    const stride = Math.max(1, Math.floor(n / (2 * (x1 - x0))));
    for (const [get, rgb, , dash] of series) {
      const a = get();
      ctx.strokeStyle = css(rgb); ctx.setLineDash(dash); ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i += stride) {
        const v = a[i];
        if (!isFinite(v)) { pen = false; continue; }
        const x = x0 + (i + 1) / span * (x1 - x0), y = y1 - v / topV * (y1 - y0);
        pen ? ctx.lineTo(x, y) : ctx.moveTo(x, y); pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    if (replayEpoch !== null) {
      const x = x0 + Math.min(replayEpoch / span, 1) * (x1 - x0);
      ctx.fillStyle = "#222"; ctx.fillRect(x - 1, y0, 2, y1 - y0);
    }
  }

  function show(f) {
    drawBoundary(f);
    drawNetwork(f);
    if (f.replay) {
      replayEpoch = f.epoch;
      sliderText.textContent = T("replay", "epoch {epoch} (replay)", { epoch: f.epoch });
      root.dataset.replay = "1";
    } else {
      replayEpoch = null;
      liveEpoch = Math.max(f.epoch, 0);
      if (root.dataset.replay !== "0") root.dataset.replay = "0";   // a write restyles the page
    }
    const now = performance.now();
    if (f.replay || !playing || now - chartAt >= CHART_MS) { chartAt = now; drawChart(liveEpoch); }
    // text and the slider change the page's layout (costly in JupyterLab): ≤ 10 times a second
    // (whether or not pictures wait: on a slow machine the queue is never empty)
    if (f.replay || !playing || now - textAt > 100) {
      textAt = now;
      epochText.textContent = T("epoch", "Epoch {epoch}", { epoch: f.epoch.toLocaleString("en-US") });
      root.dataset.epoch = f.epoch;
      root.dataset.shown = shown + 1;
      // the slider stays at its right end while playing: moved only when paused
      if (!f.replay && !playing) { slider.max = liveEpoch; slider.value = liveEpoch; sliderText.textContent = T("live", "live"); }
    }
    shown += 1;
    root.nnkitShown = shown;      // every picture (a property: no style recalculation)
  }

  // ---- frames in, pictures out (one per display refresh) -------------------------------------
  function onFrame(msg, buffers) {
    if (msg.type === "error") { status.textContent = msg.text; setPlaying(false); return; }
    if (msg.type !== "frame") return;
    const f = { ...msg, grid: u8(buffers[0]), thumbs: u8(buffers[1]), weights: f32(buffers[2]) };
    const losses = f32(buffers[3]);
    if (!msg.still) lastFrameAt = performance.now();
    maxSession = Math.max(maxSession, msg.session);
    if (!msg.replay) {     // the kernel's loss history, from every frame (shown or not)
      trainLoss.length = Math.min(trainLoss.length, msg.loss_start);
      while (trainLoss.length < msg.loss_start) trainLoss.push(NaN);     // never expected
      testLoss.length = trainLoss.length;
      for (let i = 0; i + 1 < losses.length; i += 2) { trainLoss.push(losses[i]); testLoss.push(losses[i + 1]); }
    }
    if (msg.still) {
      if (msg.replay) { scrubInFlight = false; if (scrubWanted !== null) requestScrub(); }
      if (!playing || msg.replay) queue = [f]; else queue.push(f);
    } else if (playing && msg.session >= minSession) {
      queue.push(f);
      while (queue.length > MAX_QUEUE) queue.shift();   // dropped: the next ack covers it
    }
    wake();
  }

  // A display refresh is asked for only while pictures wait: an idle view costs the page nothing
  function wake() {
    if (alive && !rafId && queue.length) rafId = requestAnimationFrame(tick);
  }
  function tick() {
    rafId = 0;
    if (!alive || !queue.length) return;
    const f = queue.shift();
    wake();
    const t0 = performance.now();
    show(f);
    drawMs = 0.9 * drawMs + 0.1 * (performance.now() - t0);      // for the benchmarks
    root.nnkitDrawMs = drawMs;
    last = f;
    if (!f.still) acknowledge(f.id, f.session, f.acked);
  }

  // Every frame carries what the kernel had acknowledged when it sent it; once `ack_every`
  // frames are unacknowledged, the newest one handled is acknowledged (acks are cumulative:
  // frames dropped from the queue are covered).  If frames stop coming while playing (an ack
  // lost on the way), the last handled frame is acknowledged again every half second.
  function acknowledge(id, session, kernelAcked) {
    if (ackSession !== session) { ackSession = session; lastAck = 0; }
    handledId = id; handledSession = session;
    if (id - Math.max(lastAck, kernelAcked) >= (model.get("ack_every") || 4)) {
      lastAck = id;
      model.send({ type: "ack", id, session });
    }
  }
  const nudge = setInterval(() => {
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
    if (on) { sliderText.textContent = T("live", "live"); slider.value = slider.max; replayEpoch = null; }
    if (!on) {
      queue = queue.filter(f => f.still);        // drop queued pictures at once
      minSession = maxSession + 1;
      if (last) {
        root.dataset.shown = shown; root.dataset.epoch = last.epoch;
      }
      if (last && !last.replay) {
        drawChart(liveEpoch);
        epochText.textContent = T("epoch", "Epoch {epoch}", { epoch: last.epoch.toLocaleString("en-US") });
        slider.max = liveEpoch; slider.value = liveEpoch; sliderText.textContent = T("live", "live");
      }
    }
  }

  playBtn.onclick = () => {
    if (playing) { setPlaying(false); model.send({ type: "pause" }); }
    else { status.textContent = ""; setPlaying(true); model.send({ type: "play" }); }
  };
  model.on("change:playing", () => {
    const on = model.get("playing");
    if (on !== playing) setPlaying(on);
  });

  // ---- timeline ------------------------------------------------------------------------------
  function requestScrub() {
    if (scrubInFlight || scrubWanted === null) return;
    scrubInFlight = true;
    model.send({ type: "scrub", epoch: scrubWanted, request: ++scrubRequest });
    scrubWanted = null;
  }
  slider.addEventListener("keydown", ev => ev.stopPropagation());   // not JupyterLab's shortcuts
  slider.addEventListener("input", () => {
    const wanted = +slider.value;
    if (playing) { setPlaying(false); model.send({ type: "pause" }); slider.value = wanted; }
    scrubWanted = wanted;
    sliderText.textContent = T("scrubbing", "epoch {epoch} …", { epoch: slider.value });
    requestScrub();
  });

  // ---- hover a neuron: its picture large ----------------------------------------------------
  function nodeAt(ev) {
    const rect = net.getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    for (let q = 0; q < centres.length; q++)
      if (Math.abs(x - centres[q][0]) <= node / 2 + 2 && Math.abs(y - centres[q][1]) <= node / 2 + 2) return q;
    return -1;
  }
  function setFocus(q) {
    if (q === nNodes - 1 && layers[layers.length - 1] === 1) q = -1;   // the boundary itself
    if (q === focus) return;
    focus = q;
    root.dataset.focus = q;
    if (last) { drawBoundary(last); drawNetwork(last); }
    model.send({ type: "focus", node: q });
  }
  net.addEventListener("mousemove", ev => setFocus(nodeAt(ev)));
  net.addEventListener("mouseleave", () => setFocus(-1));

  // ---- the learner's own data: click adds, shift-click or drag removes ----------------------
  let down = null, lastRemove = 0;
  const inPlot = (u, v) => u >= left && u <= left + side && v >= top && v <= top + side;
  const local = ev => { const r = ov.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; };
  const radius = () => 2.5 * S.point / side * (xmax - xmin);
  function removeAt(u, v, nearestOnly) {
    // shift-click: the nearest point within reach; drag: every point the pointer passes over
    let x = dataX(u), y = dataY(v), rad = radius();
    const { xy, label } = points;
    if (nearestOnly) {
      let best = -1, dist = rad;
      for (let i = 0; i < label.length; i++) {
        const d = Math.hypot(xy[2 * i] - x, xy[2 * i + 1] - y);
        if (d <= dist) { dist = d; best = i; }
      }
      if (best < 0) return;
      x = xy[2 * best]; y = xy[2 * best + 1]; rad = 1e-4;
    }
    const keepXY = [], keepL = [];
    for (let i = 0; i < label.length; i++)
      if (Math.hypot(xy[2 * i] - x, xy[2 * i + 1] - y) > rad) { keepXY.push(xy[2 * i], xy[2 * i + 1]); keepL.push(label[i]); }
    if (keepL.length !== label.length) {
      points = { xy: new Float32Array(keepXY), label: new Uint8Array(keepL) };
      drawOverlay();
      model.send({ type: "remove", x, y, radius: rad });
    }
  }
  ov.addEventListener("mousedown", ev => {
    const [u, v] = local(ev);
    if (inPlot(u, v)) { down = { u, v, dragged: false }; ev.preventDefault(); }
  });
  ov.addEventListener("mousemove", ev => {
    if (!down || !(ev.buttons & 1)) return;
    const [u, v] = local(ev);
    if (Math.hypot(u - down.u, v - down.v) > 4) down.dragged = true;
    const now = performance.now();
    if (down.dragged && now - lastRemove > 60 && inPlot(u, v)) { lastRemove = now; removeAt(u, v, false); }
  });
  ov.addEventListener("mouseup", ev => {
    if (!down) return;
    const [u, v] = local(ev), d = down; down = null;
    if (d.dragged || !inPlot(u, v)) return;
    if (ev.shiftKey) { removeAt(u, v, true); return; }
    const x = dataX(u), y = dataY(v);
    points = { xy: Float32Array.from([...points.xy, x, y]), label: Uint8Array.from([...points.label, chosen]) };
    drawOverlay();
    model.send({ type: "add", x, y, label: chosen });
  });

  // ---- traits --------------------------------------------------------------------------------
  function readPoints() {
    points = { xy: f32(model.get("points_xy")), label: u8(model.get("points_label")).slice() };
    testPoints = { xy: f32(model.get("test_xy") || new DataView(new ArrayBuffer(0))),
                   label: u8(model.get("test_label") || new DataView(new ArrayBuffer(0))).slice() };
    drawOverlay();
  }
  function readLuts() {
    luts = u8(model.get("luts"));
    lutB = rgba32(luts.subarray(0, 768)); lutD = rgba32(luts.subarray(768, 1536));
    lutBrgb = luts.slice(0, 768); lutDrgb = luts.slice(768, 1536);
  }
  model.on("change:points_xy", readPoints);
  model.on("change:points_label", readPoints);
  model.on("change:test_xy", readPoints);
  model.on("change:luts", readLuts);
  model.on("msg:custom", onFrame);
  readPoints();
  drawChart(0);
  setPlaying(model.get("playing"));
  model.send({ type: "hello" });

  return () => {
    alive = false;
    cancelAnimationFrame(rafId);
    clearInterval(nudge);
    model.off("msg:custom", onFrame);
    model.off("change:points_xy", readPoints);
    model.off("change:points_label", readPoints);
    model.off("change:test_xy", readPoints);
    model.off("change:luts", readLuts);
  };
}

// The network or the data changed (``set`` in Python): draw the whole view again.
function render({ model, el }) {
  let cleanup = build({ model, el });
  const rebuild = () => { cleanup(); el.replaceChildren(); cleanup = build({ model, el }); };
  model.on("change:layout_info", rebuild);
  return () => { model.off("change:layout_info", rebuild); cleanup(); };
}

export default { render };
