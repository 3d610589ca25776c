// @ts-check
// The dashboard page. Plain script, no build step. Every text that came from a run is put in the page
// through text nodes (textContent / createTextNode), never as HTML: all of it comes from workers.
'use strict';
(function () {
  /** @type {any} */
  const uPlotLib = /** @type {any} */ (window).uPlot;
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const params = new URLSearchParams(location.search);
  /** @type {{ runId: string|null, header: any, rows: Map<string, any>, workers: Map<string, any>, machine: any, charts: Map<string, any>, machineChart: any, source: EventSource|null, dirty: Set<string>, frame: number }} */
  const S = { runId: null, header: null, rows: new Map(), workers: new Map(), machine: null, charts: new Map(), machineChart: null, source: null, dirty: new Set(), frame: 0 };
  const finalStates = new Set(['shipped', 'partial', 'missing', 'held']);

  /** Builds an element; children are strings (made text nodes) or elements. */
  function el(/** @type {string} */ tag, /** @type {Record<string,string>} */ attrs = {}, /** @type {Array<Node|string|number|null>} */ ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null) e.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
    return e;
  }
  const text = (/** @type {HTMLElement} */ node, /** @type {unknown} */ value) => {
    const s = value === null || value === undefined ? '' : String(value);
    if (node.textContent !== s) node.textContent = s;
  };

  function fmtElapsed(/** @type {number} */ ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  const fmtScore = (/** @type {number|null|undefined} */ n) => (n === null || n === undefined ? '—' : n.toFixed(2));

  // ---- runs list -------------------------------------------------------------------------------
  async function loadRuns() {
    const res = await fetch('/api/runs', { credentials: 'same-origin' });
    if (!res.ok) return;
    /** @type {Array<{id:string,state:string,holder:string|null,startedAt:string|null}>} */
    const runs = await res.json();
    const list = $('run-list');
    list.replaceChildren(
      ...runs
        .slice()
        .reverse()
        .map((r) => {
          const a = el('a', { href: `/?run=${encodeURIComponent(r.id)}`, 'data-run': r.id, 'data-state': r.state }, r.id, el('span', { class: 'state' }, r.state + (r.startedAt ? ` · ${new Date(r.startedAt).toLocaleString()}` : '')));
          if (r.id === S.runId) a.setAttribute('aria-current', 'true');
          return el('li', {}, a);
        }),
    );
    if (runs.length === 0) list.replaceChildren(el('li', { class: 'muted' }, 'no runs yet'));
    if (S.runId === null) {
      const wanted = params.get('run');
      const pick = runs.find((r) => r.id === wanted) ?? runs.at(-1);
      if (pick) open(pick.id);
    }
  }

  // ---- the run's event stream ------------------------------------------------------------------
  function open(/** @type {string} */ id) {
    S.runId = id;
    for (const a of document.querySelectorAll('#run-list a')) if (a.getAttribute('data-run') === id) a.setAttribute('aria-current', 'true');
    const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`);
    S.source = source;
    source.onopen = () => {
      $('connection').dataset.state = 'live';
      text($('connection'), 'live');
    };
    source.onerror = () => {
      $('connection').dataset.state = 'lost';
      text($('connection'), 'reconnecting…');
    };
    source.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'snapshot') reset();
      apply(msg);
    };
  }

  function reset() {
    S.rows.clear();
    S.workers.clear();
    for (const c of S.charts.values()) c.plot.destroy();
    S.charts.clear();
    $('worker-charts').replaceChildren();
    $('stream-rows').replaceChildren();
    S.machine = null;
  }

  /** Puts `tail` into `target` at index `from` (what the server has not sent before replaces what it had). */
  function splice(/** @type {number[]} */ target, /** @type {number} */ from, /** @type {number[]} */ tail) {
    target.length = Math.min(target.length, from);
    for (const v of tail) target.push(v);
  }

  function apply(/** @type {any} */ msg) {
    S.header = msg.run;
    for (const row of msg.rows) {
      S.rows.set(row.id, row);
      S.dirty.add('row:' + row.id);
    }
    for (const w of msg.workers) {
      let mine = S.workers.get(w.key);
      const from = msg.type === 'snapshot' || !mine || mine.gen !== w.gen ? 0 : w.from;
      if (!mine || from === 0) {
        mine = { key: w.key, stream: w.stream, attempt: w.attempt, gen: w.gen, t: [], cpu: [], out: [], writes: [], marks: mine && mine.gen === w.gen ? mine.marks : [] };
        S.workers.set(w.key, mine);
      }
      mine.gen = w.gen;
      for (const k of ['t', 'cpu', 'out', 'writes']) splice(mine[k], from, w[k]);
      splice(mine.marks, w.marksFrom ?? 0, w.marks);
      S.dirty.add('worker:' + w.key);
    }
    const m = msg.machine;
    const g = m.governor ?? { gen: 0, from: 0, t: [], cpu: [], ceiling: [], paused: [] };
    const keptGovernor = S.machine && msg.type !== 'snapshot' && S.machine.governor.gen === g.gen ? S.machine.governor : null;
    if (!S.machine || msg.type === 'snapshot' || S.machine.gen !== m.gen) S.machine = { gen: m.gen, t: [], run: [], reported: [], ceiling: m.ceiling, cores: m.cores, governor: keptGovernor };
    const mfrom = msg.type === 'snapshot' || S.machine.t.length < (m.from ?? 0) ? 0 : m.from ?? 0;
    splice(S.machine.t, mfrom, m.t);
    splice(S.machine.run, mfrom, m.run);
    splice(S.machine.reported, m.reportedFrom ?? 0, m.reported);
    // The governor's samples: their own series (own times, own thinning generation).
    if (!S.machine.governor || S.machine.governor.gen !== g.gen) S.machine.governor = { gen: g.gen, t: [], cpu: [], ceiling: [], paused: [] };
    const gv = S.machine.governor;
    const gfrom = msg.type === 'snapshot' || gv.t.length < (g.from ?? 0) ? 0 : g.from ?? 0;
    for (const k of ['t', 'cpu', 'ceiling', 'paused']) splice(gv[k], gfrom, g[k]);
    S.dirty.add('machine');
    S.dirty.add('header');
    if (!S.frame) S.frame = requestAnimationFrame(render);
  }

  // ---- rendering -------------------------------------------------------------------------------
  function render() {
    S.frame = 0;
    const dirty = S.dirty;
    S.dirty = new Set();
    if (dirty.has('header')) renderHeader();
    for (const key of dirty) {
      if (key.startsWith('row:')) renderRow(S.rows.get(key.slice(4)));
      else if (key.startsWith('worker:')) renderWorker(S.workers.get(key.slice(7)));
    }
    if (dirty.has('machine')) renderMachine();
    const root = document.documentElement;
    root.dataset.seq = String(S.header ? S.header.lastSeq : 0);
    root.dataset.ready = '1';
  }

  function renderHeader() {
    const h = S.header;
    text($('run-title'), `${h.planName} · ${h.runId}`);
    const status = h.conductorGone ? 'orphaned' : h.status;
    $('run-status').dataset.status = status;
    text($('run-status'), status);
    document.title = `${h.planName} — ${status} — godmode`;
    const gone = $('conductor-gone');
    gone.hidden = !h.conductorGone;
    text(gone, h.conductorGone ? `The conductor is gone: nobody holds this run's lease${h.conductor ? ` (last holder ${h.conductor.holder}, pid ${h.conductor.pid})` : ''}. \`godmode orchestra takeover\` resumes it.` : '');
    const c = h.conductor;
    const ended = h.status === 'finished' || h.status === 'stopped';
    text($('conductor'), c ? `${ended ? 'conducted by' : c.live ? 'held by' : 'last held by'} ${c.holder} (pid ${c.pid}, token ${c.token})${c.live || ended ? '' : ' — not live'}` : 'no lease was ever taken');
    $('takeovers').replaceChildren(
      ...h.takeovers.map((/** @type {any} */ t) => el('li', { class: 'takeover' }, `${new Date(t.at).toLocaleTimeString()} — ${t.holder} took over (token ${t.previousToken ?? '?'} → ${t.token ?? '?'}): ${t.why}`)),
    );
    // Score and cost, once the scorer wrote them.
    const score = h.score;
    text($('overall'), score ? fmtScore(score.overall) : '—');
    text($('points'), score && score.points !== null ? `${score.points} points · level ${score.level}${score.achievements.length ? ` · ${score.achievements.join(', ')}` : ''}` : h.status === 'running' ? 'scored when the run ends' : 'not scored');
    text($('cost'), score && score.cost ? `cost: ${score.cost.cpuSeconds.toFixed(1)} CPU s · ${score.cost.tokens} tokens · $${score.cost.usd.toFixed(2)}${score.cost.wallMs !== null ? ` · ${fmtElapsed(score.cost.wallMs)} wall` : ''}` : '');
    $('dimensions').replaceChildren(...(score ? score.dimensions.map((/** @type {any} */ d) => el('li', { 'data-dimension': d.name }, `${d.name}: ${fmtScore(d.score)} — ${d.why}`)) : []));
    // The merge queue.
    $('merges').replaceChildren(
      ...(h.merges.length === 0
        ? [el('li', { class: 'muted' }, 'no merge yet')]
        : h.merges.map((/** @type {any} */ m) =>
            el(
              'li',
              { 'data-phase': m.phase },
              `phase ${m.phase}: merged ${m.merged.length ? m.merged.join(', ') : 'nothing'}`,
              ...m.held.map((/** @type {any} */ x) => el('div', { class: 'held' }, `held ${x.stream}: ${x.why}`)),
              ...m.skipped.map((/** @type {any} */ x) => el('div', { class: 'muted' }, `skipped ${x.stream}: ${x.why}`)),
              m.error ? el('div', { class: 'held' }, `error: ${m.error}`) : null,
            ),
          )),
    );
    const problems = $('problems');
    problems.hidden = h.problems.length === 0;
    $('problem-list').replaceChildren(...h.problems.map((/** @type {string} */ p) => el('li', {}, p)));
  }

  function rowElement(/** @type {any} */ row) {
    let tr = /** @type {HTMLElement|null} */ (document.querySelector(`tr[data-stream="${CSS.escape(row.id)}"]`));
    if (tr) return tr;
    tr = el('tr', { 'data-stream': row.id });
    for (const cls of ['phase', 'stream', 'state', 'attempt', 'elapsed', 'sentence', 'claim', 'disk']) tr.append(el('td', { class: cls }));
    $('stream-rows').append(tr);
    return tr;
  }

  function renderRow(/** @type {any} */ row) {
    if (!row) return;
    const tr = rowElement(row);
    tr.dataset.state = row.state;
    tr.dataset.verdict = row.verdict ?? '';
    tr.dataset.attempt = String(row.attempt);
    const cells = tr.children;
    text(/** @type {HTMLElement} */ (cells[0]), row.phase);
    text(/** @type {HTMLElement} */ (cells[1]), row.id);
    const state = /** @type {HTMLElement} */ (cells[2]);
    state.replaceChildren(document.createTextNode(row.state === 'retry-wait' ? 'retry wait' : row.state), row.why ? el('span', { class: 'why' }, row.why) : '');
    text(/** @type {HTMLElement} */ (cells[3]), row.attempt || '—');
    text(/** @type {HTMLElement} */ (cells[4]), elapsed(row));
    text(/** @type {HTMLElement} */ (cells[5]), row.sentence ?? (row.lastLine ? `… ${row.lastLine}` : ''));
    text(/** @type {HTMLElement} */ (cells[6]), row.claim);
    text(/** @type {HTMLElement} */ (cells[7]), `${row.disk}${row.divergence && row.divergence !== 'agrees' ? ` (claim ${row.divergence})` : ''}`);
  }

  function elapsed(/** @type {any} */ row) {
    if (row.startedAt === null) return '—';
    const h = S.header;
    const end = row.endedAt ?? (finalStates.has(row.state) || (h && h.status !== 'running') || (h && h.conductorGone) ? (h && h.finishedAt) ?? row.startedAt : Date.now());
    return fmtElapsed(end - row.startedAt);
  }

  // Elapsed time moves on its own for running streams.
  setInterval(() => {
    for (const row of S.rows.values()) {
      if (row.startedAt === null || row.endedAt !== null || finalStates.has(row.state)) continue;
      const tr = /** @type {HTMLElement|null} */ (document.querySelector(`tr[data-stream="${CSS.escape(row.id)}"]`));
      if (tr) text(/** @type {HTMLElement} */ (tr.children[4]), elapsed(row));
    }
  }, 1000);

  // ---- charts (uPlot) ---------------------------------------------------------------------------
  const chartWidth = (/** @type {HTMLElement} */ box) => Math.max(300, box.clientWidth - 4);

  /** Shades paused spans and draws stall / exit / reap lines on a worker's chart. */
  function markPlugin(/** @type {string} */ key) {
    return {
      hooks: {
        draw: [
          (/** @type {any} */ u) => {
            const w = S.workers.get(key);
            if (!w) return;
            const ctx = u.ctx;
            const top = u.bbox.top;
            const height = u.bbox.height;
            const x = (/** @type {number} */ t) => Math.round(u.valToPos(t, 'x', true));
            ctx.save();
            let pausedAt = null;
            const lastT = w.t.length ? w.t[w.t.length - 1] : 0;
            for (const m of w.marks) {
              if (m.kind === 'pause') pausedAt = pausedAt ?? m.t;
              else if ((m.kind === 'resume' || m.kind === 'exit') && pausedAt !== null) {
                ctx.fillStyle = 'rgba(163,113,247,0.28)';
                ctx.fillRect(x(pausedAt), top, Math.max(1, x(m.t) - x(pausedAt)), height);
                pausedAt = null;
              }
              if (m.kind === 'stall' || m.kind === 'exit' || m.kind === 'reap') {
                ctx.strokeStyle = m.kind === 'exit' ? '#8b93a1' : '#f85149';
                ctx.setLineDash(m.kind === 'exit' ? [2, 3] : []);
                ctx.beginPath();
                ctx.moveTo(x(m.t), top);
                ctx.lineTo(x(m.t), top + height);
                ctx.stroke();
              }
            }
            if (pausedAt !== null) {
              ctx.fillStyle = 'rgba(163,113,247,0.28)';
              ctx.fillRect(x(pausedAt), top, Math.max(1, x(Math.max(lastT, pausedAt)) - x(pausedAt)), height);
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  function renderWorker(/** @type {any} */ w) {
    if (!w || typeof uPlotLib !== 'function') return;
    let chart = S.charts.get(w.key);
    if (!chart) {
      const box = el('div', { class: 'chart' });
      const line = el('div', { class: 'line' });
      const card = el('div', { class: 'worker', 'data-key': w.key, 'data-stream': w.stream, 'data-attempt': String(w.attempt) }, el('h3', {}, `${w.stream} · attempt ${w.attempt}`), line, box);
      const grid = $('worker-charts');
      const after = [...grid.children].find((c) => (c.getAttribute('data-key') ?? '') > w.key);
      grid.insertBefore(card, after ?? null);
      const opts = {
        width: chartWidth(box),
        height: 150,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, cpu: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(100, max)] }, kb: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(1, max)] }, files: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(1, max)] } },
        axes: [
          { stroke: '#8b93a1', grid: { stroke: '#2a2f3a' }, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((t) => `${t}s`) },
          { scale: 'cpu', stroke: '#58a6ff', grid: { stroke: '#2a2f3a' }, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((t) => `${t}%`) },
          { scale: 'kb', side: 1, stroke: '#3fb950', grid: { show: false } },
        ],
        series: [
          { label: 't' },
          { label: 'CPU %', scale: 'cpu', stroke: '#58a6ff', width: 1.5, value: (/** @type {any} */ _u, /** @type {number|null} */ v) => (v === null ? '—' : `${v.toFixed(0)}%`) },
          { label: 'output KB', scale: 'kb', stroke: '#3fb950', width: 1.5, value: (/** @type {any} */ _u, /** @type {number|null} */ v) => (v === null ? '—' : v.toFixed(1)) },
          { label: 'files', scale: 'files', stroke: '#d29922', width: 1.5, paths: uPlotLib.paths && uPlotLib.paths.stepped ? uPlotLib.paths.stepped({ align: 1 }) : undefined },
        ],
        plugins: [markPlugin(w.key)],
      };
      chart = { plot: new uPlotLib(opts, chartData(w), box), box, line };
      S.charts.set(w.key, chart);
    } else {
      chart.plot.setData(chartData(w));
    }
    const row = S.rows.get(w.stream);
    text(chart.line, row && row.attempt === w.attempt ? row.lastLine ?? '' : '');
  }

  const chartData = (/** @type {any} */ w) => [w.t, w.cpu.map((/** @type {number} */ c) => c * 100), w.out.map((/** @type {number} */ b) => b / 1024), w.writes];

  /**
   * One x axis for two series sampled at their own times (both ascending): the union of the times, each
   * series' values at its own times and null elsewhere (the lines span the gaps).
   */
  function mergeOnTime(/** @type {number[]} */ ta, /** @type {Array<number[]>} */ as, /** @type {number[]} */ tb, /** @type {Array<number[]>} */ bs) {
    /** @type {number[]} */ const x = [];
    const outA = as.map(() => /** @type {Array<number|null>} */ ([]));
    const outB = bs.map(() => /** @type {Array<number|null>} */ ([]));
    let i = 0;
    let j = 0;
    while (i < ta.length || j < tb.length) {
      const a = i < ta.length ? ta[i] : Infinity;
      const b = j < tb.length ? tb[j] : Infinity;
      const t = Math.min(a, b);
      x.push(t);
      as.forEach((col, k) => outA[k].push(a === t ? col[i] : null));
      bs.forEach((col, k) => outB[k].push(b === t ? col[j] : null));
      if (a === t) i++;
      if (b === t) j++;
    }
    return [x, ...outA, ...outB];
  }

  function renderMachine() {
    const m = S.machine;
    if (!m || typeof uPlotLib !== 'function') return;
    const g = m.governor;
    const sampled = g.t.length > 0;
    const now = m.run.length ? m.run[m.run.length - 1] : null;
    const last = sampled ? g.t.length - 1 : -1;
    const reported = m.reported.length ? m.reported[m.reported.length - 1] : null;
    const pct = (/** @type {number} */ v) => `${Math.round(v * 100)}%`;
    text(
      $('machine-now'),
      (sampled ? `machine ${pct(g.cpu[last])} · ceiling ${pct(g.ceiling[last])} · ${g.paused[last]} paused by the governor` : `ceiling ${pct(m.ceiling)}`) +
        ` · this run's workers ${now === null ? '—' : pct(now)} of ${m.cores} cores` +
        (!sampled && reported ? ` · governor last saw the machine at ${pct(reported.load)}` : ''),
    );
    const pc = (/** @type {number[]} */ xs) => xs.map((v) => v * 100);
    // Runs journaled before governor samples existed: the plan's ceiling, flat, and no machine line.
    const data = sampled ? mergeOnTime(m.t, [pc(m.run)], g.t, [pc(g.cpu), pc(g.ceiling)]) : [m.t, pc(m.run), m.t.map(() => null), m.t.map(() => m.ceiling * 100)];
    const box = $('machine-chart');
    box.dataset.governorPoints = String(g.t.length);
    if (!S.machineChart) {
      S.machineChart = new uPlotLib(
        {
          width: chartWidth(box),
          height: 160,
          scales: { x: { time: false }, y: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(100, max)] } },
          axes: [
            { stroke: '#8b93a1', grid: { stroke: '#2a2f3a' }, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((t) => `${t}s`) },
            { stroke: '#8b93a1', grid: { stroke: '#2a2f3a' }, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map((t) => `${t}%`) },
          ],
          series: [
            { label: 't' },
            { label: "run's workers CPU %", stroke: '#58a6ff', width: 1.5, fill: 'rgba(88,166,255,0.12)', spanGaps: true },
            { label: 'machine CPU %', stroke: '#d2a8ff', width: 2, spanGaps: true },
            { label: 'ceiling', stroke: '#f85149', width: 1, dash: [6, 4], points: { show: false }, spanGaps: true, paths: uPlotLib.paths && uPlotLib.paths.stepped ? uPlotLib.paths.stepped({ align: 1 }) : undefined },
          ],
          hooks: {
            draw: [
              (/** @type {any} */ u) => {
                const ctx = u.ctx;
                ctx.save();
                ctx.fillStyle = '#d29922';
                for (const r of S.machine.reported) {
                  const x = u.valToPos(r.t, 'x', true);
                  const y = u.valToPos(r.load * 100, 'y', true);
                  ctx.beginPath();
                  ctx.arc(x, y, 3, 0, Math.PI * 2);
                  ctx.fill();
                }
                ctx.restore();
              },
            ],
          },
        },
        data,
        box,
      );
    } else S.machineChart.setData(data);
  }

  addEventListener('resize', () => {
    for (const c of S.charts.values()) c.plot.setSize({ width: chartWidth(c.box), height: 150 });
    if (S.machineChart) S.machineChart.setSize({ width: chartWidth($('machine-chart')), height: 160 });
  });

  loadRuns().catch(() => text($('connection'), 'cannot list runs'));
  setInterval(() => loadRuns().catch(() => undefined), 5000);
})();
