// Browser test of the dashboard (issue 7): starts the real `prescient demo` with a short
// replay, opens the dashboard in Debian's headless Chromium through playwright-core, and
// checks that every panel shows the data /api/v1 returns (numbers, drawn series, rows),
// clicks into a service, checks its charts, and saves screenshots.
//
// Usage: node dashboard_test.mjs --prescient BIN --web-dir web/ --out DIR [--days 2]
// Registered with ctest by tests/browser/CMakeLists.txt. No timing assertions: the
// deadlines below only keep a broken run from hanging.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
function arg(name, def) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}
const prescient = arg('--prescient');
const webDir = path.resolve(arg('--web-dir', path.join(import.meta.dirname ?? '.', '../../web')));
const outDir = path.resolve(arg('--out', 'test-artifacts'));
const days = arg('--days', '2');
const chromiumPath = process.env.PRESCIENT_CHROMIUM ?? '/usr/bin/chromium';

function die(msg) {
  console.error(`dashboard_test: FAIL: ${msg}`);
  process.exitCode = 1;
  throw new Error(msg);
}

// Before anything is started: one line, exit 1.
function fatal(msg) {
  console.error(`dashboard_test: FAIL: ${msg}`);
  process.exit(1);
}

let passed = 0;
function ok(cond, what, detail = '') {
  if (!cond) die(`${what}${detail ? `: ${detail}` : ''}`);
  passed++;
  console.log(`ok ${passed} - ${what}`);
}
function eq(actual, expected, what) {
  ok(actual === expected, what, `got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
}

// Retries a check until it passes or the deadline; the last failure is reported.
async function eventually(what, fn, ms = 60000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) die(`${what}: ${last?.message ?? last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// --- Preconditions, each with the fix ------------------------------------------------
if (!prescient || !fs.existsSync(prescient)) fatal(`--prescient: binary not found (${prescient}); build the prescient target`);
if (!fs.existsSync(chromiumPath)) fatal(`${chromiumPath} not found: install Debian's chromium (scripts/setup.sh does)`);
let chromium;
try {
  const require = createRequire(path.join(webDir, 'package.json'));
  ({ chromium } = require('playwright-core'));
} catch (e) {
  fatal(`playwright-core not found under ${webDir}/node_modules: run \`npm ci\` in web/ (scripts/setup.sh does) (${e.message.split('\n')[0]})`);
}
const fmt = await import(pathToFileURL(path.join(webDir, 'fmt.js')).href);
const { cells } = await import(pathToFileURL(path.join(webDir, 'overview.js')).href);
fs.mkdirSync(outDir, { recursive: true });

// --- Start the demo ---------------------------------------------------------------------
const demoArgs = ['demo', '--days', days, '--web', '127.0.0.1:0'];
console.log(`# ${prescient} ${demoArgs.join(' ')}`);
const demo = spawn(prescient, demoArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
let demoOut = '';
let demoExit = null;
demo.stderr.on('data', (d) => (demoOut += d));
demo.on('exit', (code, signal) => (demoExit = { code, signal }));
const base = await new Promise((resolve, reject) => {
  let buf = '';
  const timer = setTimeout(() => reject(new Error('no "dashboard:" line within 300 s')), 300000);
  demo.stdout.on('data', (d) => {
    buf += d;
    demoOut += d;
    const m = buf.match(/dashboard: (http:\/\/\S+?)\/?\s/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  demo.on('exit', (code) => reject(new Error(`prescient demo exited (${code}) before printing "dashboard:"`)));
}).catch((e) => {
  demo.kill('SIGKILL');
  fatal(`${e.message}\n--- demo output ---\n${demoOut}`);
});
console.log(`# dashboard at ${base}/`);

async function api(p) {
  const r = await fetch(base + p);
  check(r.ok, `${p}: HTTP ${r.status}`);
  return r.json();
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prescient-dashboard-test-'));
let context;
let failPage = null;
const pageErrors = [];
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
  });
  await run(context);
} catch (e) {
  if (!process.exitCode) {
    console.error(`dashboard_test: FAIL: ${e.stack ?? e}`);
    process.exitCode = 1;
  }
  if (pageErrors.length) console.error(`--- page errors ---\n${pageErrors.join('\n')}`);
  if (failPage) {
    const file = path.join(outDir, 'dashboard-failure.png');
    await failPage.screenshot({ path: file }).then(() => console.error(`# screenshot of the failure: ${file}`), () => {});
  }
  console.error(`--- demo output (tail) ---\n${demoOut.slice(-3000)}`);
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  if (demoExit === null) {
    // The exit code is checked once the replay is over (SIGINT during it is an
    // interruption, exit 1); under a sanitizer the replay can outlast the checks.
    if (!process.exitCode) {
      const deadline = Date.now() + 600000;
      while (!/serving until Ctrl-C/.test(demoOut) && demoExit === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    demo.kill('SIGINT');
    const exited = await new Promise((r) => {
      const t = setTimeout(() => r(false), 60000);
      demo.on('exit', () => { clearTimeout(t); r(true); });
      if (demoExit !== null) { clearTimeout(t); r(true); }
    });
    if (!exited) {
      demo.kill('SIGKILL');
      console.error('dashboard_test: FAIL: prescient demo did not exit on SIGINT');
      process.exitCode = 1;
    } else if (!process.exitCode) {
      ok(demoExit.code === 0, 'prescient demo exits 0 on SIGINT', `exit ${JSON.stringify(demoExit)}\n${demoOut.slice(-2000)}`);
    }
  }
  if (!process.exitCode) console.log(`dashboard_test: ${passed} checks passed; screenshots in ${outDir}`);
}

async function run(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  failPage = page;
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console error: ${m.text()}`));
  // Every API answer the page received, newest last: the DOM is compared with these, so a
  // live update between our fetch and the page's cannot make the test flaky.
  const seen = [];
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/api/v1/')) return;
    try {
      seen.push({ path: u.pathname, query: u.searchParams, status: r.status(), body: await r.json() });
    } catch {
      // Not JSON (the page reports it).
    }
  });
  const answers = (p) => seen.filter((s) => s.path === p && s.status === 200);
  const shot = async (name) => {
    const file = path.join(outDir, `dashboard-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`# screenshot ${file}`);
  };

  // --- Overview -------------------------------------------------------------------------
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=overview-table] tbody tr', { timeout: 60000 });
  const apiServices = await api('/api/v1/services');
  ok(apiServices.services.length > 0, `/api/v1/services lists services (${apiServices.services.length})`);
  let shown;
  await eventually('overview table equals the /api/v1/services answer it shows', async () => {
    shown = await page.$eval('[data-testid=overview-table]', (t) => ({
      now: Number(t.dataset.now),
      rows: [...t.querySelectorAll('[data-testid=service-row]')].map((r) => ({
        id: r.dataset.service,
        cells: Object.fromEntries([...r.querySelectorAll('[data-field]')].map((c) => [c.dataset.field, c.textContent.trim()])),
      })),
    }));
    const answer = answers('/api/v1/services').find((a) => a.body.now === shown.now);
    check(answer, `no /api/v1/services answer with now=${shown.now}`);
    const want = answer.body.services;
    check(shown.rows.length === want.length, `${shown.rows.length} rows, API has ${want.length} services`);
    for (const s of want) {
      const row = shown.rows.find((r) => r.id === s.id);
      check(row, `no row for ${s.id}`);
      const c = cells(s);
      for (const [field, text] of Object.entries(c)) {
        const got = field === 'service' ? row.cells.service.replace(/\s+/g, ' ') : row.cells[field];
        const exp = field === 'service' ? `${s.name}${s.policy}` : text;
        check(got.replace(/\s/g, '') === exp.replace(/\s/g, ''), `${s.id}.${field}: shows "${got}", API gives "${exp}"`);
      }
    }
  });
  ok(true, `overview: ${shown.rows.length} rows, every cell equals /api/v1/services`);
  const ids = new Set(apiServices.services.map((s) => s.id));
  ok(shown.rows.every((r) => ids.has(r.id)), 'overview rows are the services the API lists');
  const avail = apiServices.services.filter((s) => typeof s.availability === 'number');
  ok(avail.length > 0, 'the API gives an availability for some service (not all null)');
  for (const s of apiServices.services) {
    const want = s.availability >= 0.999 ? 'green' : s.availability >= 0.995 ? 'yellow' : 'red';
    if (typeof s.availability === 'number') eq(s.status, want, `${s.id}: status follows the 99.9% / 99.5% thresholds`);
  }
  const header = await page.$eval('header', (h) => ({
    source: h.querySelector('[data-testid=source]').textContent,
    clock: h.querySelector('[data-testid=clock]').textContent,
    now: Number(h.querySelector('[data-testid=clock]').dataset.now),
  }));
  eq(header.source, apiServices.source, 'header shows the source');
  eq(header.clock, fmt.utc(header.now), "header shows the source's clock");
  ok(answers('/api/v1/services').some((a) => a.body.now === header.now), 'the clock is a `now` the API returned');
  const apiEvents = await api('/api/v1/events?limit=200');
  if (apiEvents.events.length) {
    await page.waitForSelector('[data-testid=overview-activity-list] li');
    const n = await page.$$eval('[data-testid=overview-activity-list] li', (l) => l.length);
    ok(n > 0 && n <= 8, `overview shows the latest events (${n})`);
  } else {
    ok(true, 'no events from the API: the overview activity panel may be empty');
  }
  ok(!(await page.isVisible('[data-testid=error-banner]')), 'no API error banner');
  await shot('overview');

  // --- Service page (click into the service with the most events) -------------------------
  const counts = {};
  for (const e of apiEvents.events) counts[e.service] = (counts[e.service] ?? 0) + 1;
  const target = [...apiServices.services].sort((a, b) => (counts[b.id] ?? 0) - (counts[a.id] ?? 0))[0];
  await page.click(`[data-testid=service-row][data-service="${target.id}"] td[data-field=availability]`);
  await page.waitForFunction(() => location.hash.startsWith('#/service/'));
  eq(decodeURIComponent(await page.evaluate(() => location.hash)), `#/service/${target.id}`, 'clicking a row opens its service page');
  const seriesPath = `/api/v1/services/${target.id}/series`;
  const chartIds = ['chart-load', 'chart-replicas', 'chart-latency'];
  const checkCharts = async (label) => {
    await eventually(`${label}: charts hold the series the API returned`, async () => {
      const hosts = await page.$$eval(chartIds.map((c) => `[data-testid=${c}]`).join(','), (els) =>
        els.map((e) => ({ id: e.dataset.testid, drawn: Number(e.dataset.drawn || 0), points: Number(e.dataset.points || -1), series: JSON.parse(e.dataset.series || '{}'), events: Number(e.dataset.events || 0) })));
      const answer = answers(seriesPath).at(-1);
      check(answer, `no ${seriesPath} answer yet`);
      const s = answer.body;
      const nn = (a) => (a ?? []).filter((v) => v !== null).length;
      const byId = Object.fromEntries(hosts.map((x) => [x.id, x]));
      for (const c of chartIds) check(byId[c]?.drawn > 0, `${c} not drawn`);
      check(s.time.length > 0, `${seriesPath} returned no points`);
      for (const c of chartIds) check(byId[c].points === s.time.length, `${c}: ${byId[c].points} points, API ${s.time.length}`);
      const want = {
        'chart-load': { actual: nn(s.actual_rps), forecast: nn(s.forecast_rps) },
        'chart-replicas': { desired: nn(s.replicas_desired), ready: nn(s.replicas_ready), 'HPA floor': nn(s.hpa_min_replicas), placeholders: nn(s.placeholders) },
        'chart-latency': { p99: nn(s.latency_p99_seconds) },
      };
      for (const [c, series] of Object.entries(want)) {
        for (const [name, n] of Object.entries(series)) check(byId[c].series[name] === n, `${c} ${name}: ${byId[c].series[name]} values, API ${n}`);
      }
      check(nn(s.actual_rps) > 0, 'no actual load in the series');
      check(nn(s.replicas_desired) > 0, 'no desired replicas in the series');
      if ((s.events ?? []).length) check(byId['chart-load'].events > 0, `${s.events.length} events in range, none marked`);
      return s;
    });
  };
  await checkCharts('service page (24h)');
  const series = answers(seriesPath).at(-1).body;
  ok(true, `service page: ${series.time.length} points per chart, step ${series.step_seconds} s, ${series.events?.length ?? 0} events marked`);
  const span = (a) => Number(a.query.get('to')) - Number(a.query.get('from'));
  eq(span(answers(seriesPath).at(-1)), 86400 + 60, 'the default range asks the API for the last 24 h');
  // The lines are really on the canvases: count pixels of each series' colour.
  const pixels = await page.evaluate(() => {
    const near = (d, i, [r, g, b]) => Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40 && d[i + 3] > 200;
    const count = (testid, rgb) => {
      const cv = document.querySelector(`[data-testid=${testid}] canvas`);
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (near(d, i, rgb)) n++;
      return n;
    };
    return { actual: count('chart-load', [0, 114, 178]), forecast: count('chart-load', [230, 159, 0]), desired: count('chart-replicas', [0, 114, 178]), p99: count('chart-latency', [0, 114, 178]), slo: count('chart-latency', [213, 94, 0]) };
  });
  ok(pixels.actual > 50, `load chart draws the actual line (${pixels.actual} px)`);
  if (series.forecast_rps.some((v) => v !== null)) ok(pixels.forecast > 50, `load chart draws the forecast (${pixels.forecast} px)`);
  ok(pixels.desired > 50, `replicas chart draws desired replicas (${pixels.desired} px)`);
  ok(pixels.p99 > 50, `latency chart draws p99 (${pixels.p99} px)`);
  ok(pixels.slo > 50, `latency chart draws the SLO line (${pixels.slo} px)`);
  await eventually('service KPIs equal /api/v1/services/ID', async () => {
    const svc = answers(`/api/v1/services/${target.id}`).at(-1).body;
    const kpis = await page.$$eval('[data-testid=service-kpis] [data-field]', (k) => Object.fromEntries(k.map((e) => [e.dataset.field, e.querySelector('.v').textContent])));
    const want = {
      availability: fmt.availability(svc.availability),
      error_budget_remaining: fmt.errorBudget(svc.error_budget_remaining),
      prediction_accuracy_percent: fmt.accuracy(svc.prediction_accuracy_percent),
      remediation_success_rate: fmt.remediation(svc.remediation_success_rate),
      replicas: fmt.replicaPair(svc.replicas?.desired, svc.replicas?.ready),
      load_rps: fmt.rps(svc.load_rps),
      latency_p99_seconds: fmt.latencyMs(svc.latency_p99_seconds),
    };
    for (const [k, v] of Object.entries(want)) check(kpis[k] === v, `KPI ${k}: shows "${kpis[k]}", API gives "${v}"`);
    check(typeof svc.totals === 'object' && svc.totals !== null, 'no totals in /api/v1/services/ID');
  });
  ok(true, 'service KPIs (availability, budget, accuracy, remediation, replicas, load, p99) equal the API');
  if ((series.events ?? []).length) {
    const rows = await page.$$eval('[data-testid=service-events-table] [data-testid=event-row]', (r) => r.length);
    eq(rows, Math.min(100, series.events.length), 'service events table lists the range\'s events');
  }
  await shot('service');

  // The range selector asks the API for the span chosen.
  await page.click('[data-testid=range-selector] button[data-range="6h"]');
  await eventually('6h range fetched', () => check(span(answers(seriesPath).at(-1)) === 6 * 3600 + 60, 'no 6 h answer'));
  await checkCharts('service page (6h)');
  ok(true, 'range 6h: charts redrawn from a 6 h answer');
  await page.click('[data-testid=range-selector] button[data-range="all"]');
  const win = target.window ?? apiServices.window;
  const windowSpan = win.to - win.from;
  await eventually('all range fetched', () => check(span(answers(seriesPath).at(-1)) >= Math.min(windowSpan, 31 * 86400), 'no "all" answer'));
  await checkCharts('service page (all)');
  ok(true, `range all: ${answers(seriesPath).at(-1).body.time.length} points`);
  await shot('service-all');

  // --- Activity log ------------------------------------------------------------------------
  await page.goto(base + '/#/activity', { waitUntil: 'load' });
  const feed = await api('/api/v1/events?limit=500');
  if (feed.events.length) {
    await page.waitForSelector('[data-testid=activity-table] [data-testid=event-row]');
    await eventually('activity log rows equal /api/v1/events', async () => {
      const latest = (await api('/api/v1/events?limit=500')).events;
      const rows = await page.$$eval('[data-testid=activity-table] [data-testid=event-row]', (r) => r.map((x) => ({ id: Number(x.dataset.id), reason: x.querySelector('.reason').textContent })));
      check(rows.length === latest.length, `${rows.length} rows, API ${latest.length}`);
      check(rows[0].id === latest[0].id, `newest row id ${rows[0].id}, API ${latest[0].id}`);
      check(rows[0].reason === (latest[0].reason ?? ''), `newest reason "${rows[0].reason}", API "${latest[0].reason}"`);
    });
    ok(true, `activity log: ${feed.events.length} rows, newest first, reasons shown`);
    await shot('activity');
    await page.selectOption('[data-testid=activity-filter-service]', target.id);
    const only = (await api(`/api/v1/events?service=${encodeURIComponent(target.id)}&limit=500`)).events;
    await eventually('activity filter by service', async () => {
      const svcs = await page.$$eval('[data-testid=activity-table] [data-testid=event-row]', (r) => r.map((x) => x.dataset.service));
      check(svcs.length === only.length && svcs.every((s) => s === target.id), `${svcs.length} rows (${[...new Set(svcs)]}), API ${only.length} for ${target.id}`);
    });
    ok(true, `activity filter: only ${target.id} (${only.length} rows)`);
  } else {
    await page.waitForSelector('[data-testid=activity-empty]');
    ok(true, 'activity log: empty, and says so');
    await shot('activity');
  }

  // --- Nodes -------------------------------------------------------------------------------
  await page.goto(base + '/#/nodes', { waitUntil: 'load' });
  const nodes = (await api('/api/v1/nodes')).nodes;
  if (nodes.length) {
    await page.waitForSelector('[data-testid=nodes-table] [data-testid=node-row]');
    const n = await page.$$eval('[data-testid=nodes-table] [data-testid=node-row]', (r) => r.length);
    eq(n, nodes.length, 'nodes table lists every node');
  } else {
    await page.waitForSelector('[data-testid=nodes-summary]');
    ok(true, 'no nodes from the API');
  }
  await shot('nodes');
  ok(pageErrors.length === 0, 'no script or console errors', pageErrors.join('\n'));

  // --- Errors are shown, never a blank page -------------------------------------------------
  await page.goto(base + '/#/service/no-such-service', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=service-error]');
  const err = await page.textContent('[data-testid=service-error]');
  ok(/404/.test(err), `an unknown service shows the API's 404 (${err.trim().slice(0, 120)})`);
  // A failing API (simulated in the browser): the banner and the overview say so.
  await page.route('**/api/v1/services', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error": "simulated failure"}' }));
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=overview-error]');
  const banner = await eventually('an API failure shows in the banner', async () => {
    const text = await page.textContent('[data-testid=error-banner]');
    check(/HTTP 500: simulated failure/.test(text) && (await page.isVisible('[data-testid=error-banner]')), `banner: "${text}"`);
    return text;
  });
  ok(true, `an API failure shows in the banner (${banner.trim().slice(0, 100)})`);
  await shot('api-error');
  await page.unroute('**/api/v1/services');
}
