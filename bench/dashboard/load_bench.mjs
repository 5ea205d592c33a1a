// Speed of the dashboard (issue 7: pages load in under 1 s with 14 days of 1-minute data
// for 20 services). Starts dashboard_fixture_server, opens each page in a fresh Chromium
// context (cold cache) several times and prints the median time from navigation start to
// the page's own "drawn" mark (performance.mark('prescient:drawn:VIEW'), set in the frame
// after the data is on the page and every chart has drawn), with Navigation Timing's
// DOMContentLoaded and load for reference. Not a test: nothing is asserted.
//
// Usage: node load_bench.mjs --server PATH [--services 20] [--days 14] [--runs 7] [--web-dir web]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const arg = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : d;
};
const server = arg('--server');
const services = arg('--services', '20');
const days = arg('--days', '14');
const runs = Number(arg('--runs', '7'));
const webDir = path.resolve(arg('--web-dir', path.join(import.meta.dirname ?? '.', '../../web')));
const chromiumPath = process.env.PRESCIENT_CHROMIUM ?? '/usr/bin/chromium';

function fail(msg) {
  console.error(`load_bench: ${msg}`);
  process.exit(1);
}
if (!server || !fs.existsSync(server)) fail(`--server: ${server} not found (build the dashboard_fixture_server target)`);
if (!fs.existsSync(chromiumPath)) fail(`${chromiumPath} not found: install Debian's chromium (scripts/setup.sh)`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core'));
} catch {
  fail(`playwright-core not found under ${webDir}/node_modules: run npm ci in web/`);
}

const cmd = [server, '--services', services, '--days', days, '--web', '127.0.0.1:0'];
const srv = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let buf = '';
  srv.stdout.on('data', (d) => {
    buf += d;
    const m = buf.match(/dashboard: (http:\/\/\S+?)\/?\s/);
    if (m) resolve(m[1]);
  });
  srv.on('exit', (c) => reject(new Error(`${server} exited (${c}) before printing "dashboard:"`)));
}).catch((e) => fail(e.message));

const list = await (await fetch(base + '/api/v1/services')).json();
const id = list.services[0].id;
const pages = [
  ['overview', '/', 'overview'],
  ['service 24h', `/#/service/${encodeURIComponent(id)}?range=24h`, 'service'],
  ['service 7d', `/#/service/${encodeURIComponent(id)}?range=7d`, 'service'],
  ['service all (14 d)', `/#/service/${encodeURIComponent(id)}?range=all`, 'service'],
];

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = [];
try {
  for (const [name, url, view] of pages) {
    const drawn = [];
    const dcl = [];
    const load = [];
    let points = null;
    for (let r = 0; r < runs; r++) {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await ctx.newPage();
      await page.goto(base + url, { waitUntil: 'load' });
      await page.waitForFunction((v) => performance.getEntriesByName(`prescient:drawn:${v}`).length > 0, view, { timeout: 60000 });
      const t = await page.evaluate((v) => {
        const nav = performance.getEntriesByType('navigation')[0];
        const err = document.querySelector('[data-testid$=-error]');
        return {
          drawn: performance.getEntriesByName(`prescient:drawn:${v}`)[0].startTime,
          dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd,
          points: document.querySelector('[data-testid=chart-load]')?.dataset.points ?? null,
          rows: document.querySelectorAll('[data-testid=service-row]').length,
          error: err ? err.textContent : null,
        };
      }, view);
      if (t.error) fail(`${name}: the page shows an error: ${t.error}`);
      drawn.push(t.drawn);
      dcl.push(t.dcl);
      load.push(t.load);
      points = t.points ?? `${t.rows} rows`;
      await ctx.close();
    }
    results.push({ name, points, drawn: median(drawn), max: Math.max(...drawn), dcl: median(dcl), load: median(load) });
  }
} finally {
  await browser.close();
  srv.kill('SIGINT');
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`# ${cmd.join(' ')}; ${runs} cold loads each, Chromium headless 1366x768`);
console.log(`# ${os.cpus().length} x ${cpu}, ${new Date().toISOString().slice(0, 10)}`);
console.log('| page | shows | drawn, median (ms) | drawn, max (ms) | DOMContentLoaded, median (ms) | load, median (ms) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.name} | ${/rows/.test(r.points) ? r.points : `${r.points} points`} | ${r.drawn.toFixed(0)} | ${r.max.toFixed(0)} | ${r.dcl.toFixed(0)} | ${r.load.toFixed(0)} |`);
}
const worst = Math.max(...results.map((r) => r.drawn));
console.log(`# slowest median: ${worst.toFixed(0)} ms (target: under 1000 ms)`);
