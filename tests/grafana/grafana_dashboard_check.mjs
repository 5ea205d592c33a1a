// Checks deploy/grafana-dashboard.json (issue 7): it parses, imports with a
// ${DS_PROMETHEUS} datasource input and a `policy` variable, its panels are well formed,
// and every PromQL query names only metrics that exist: those the controller exports
// (read from controller_metrics.cc, so a renamed metric fails here) and
// kube-state-metrics' kube_deployment_status_replicas_available. promtool cannot check a
// Grafana dashboard as such; but with Grafana's variables filled in, each query goes to
// `promtool check rules` as a recording rule, which parses it as PromQL (skipped with a
// note when promtool is missing; scripts/setup.sh installs it with prometheus).
//
// Usage: node grafana_dashboard_check.mjs DASHBOARD.json controller_metrics.cc
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [dashPath, metricsSource] = process.argv.slice(2);
let failed = 0;
let passed = 0;
function ok(cond, what) {
  if (cond) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failed++;
    console.log(`FAIL - ${what}`);
  }
}
if (!dashPath || !metricsSource) {
  console.error('usage: grafana_dashboard_check.mjs DASHBOARD.json controller_metrics.cc');
  process.exit(2);
}

let dash;
try {
  dash = JSON.parse(fs.readFileSync(dashPath, 'utf8'));
} catch (e) {
  console.error(`${dashPath}: not valid JSON: ${e.message}`);
  process.exit(1);
}

// Metric families from the exporter's source: gauge("name", ...) and w.Family("name", "type", ...).
const src = fs.readFileSync(metricsSource, 'utf8');
const families = new Map();
for (const m of src.matchAll(/gauge\(\s*"([a-z_:][a-z0-9_:]*)"/g)) families.set(m[1], 'gauge');
for (const m of src.matchAll(/Family\(\s*"([a-z_:][a-z0-9_:]*)"\s*,\s*"(\w+)"/g)) families.set(m[1], m[2]);
const known = new Set();
for (const [name, type] of families) {
  if (type === 'histogram' || type === 'summary') for (const s of ['_bucket', '_sum', '_count']) known.add(name + s);
  else known.add(name);
}
known.add('kube_deployment_status_replicas_available');
ok(families.size >= 12, `${metricsSource}: ${families.size} metric families found`);
// Labels the exporter sets (and kube-state-metrics' for its metric, plus what
// label_replace adds).
const knownLabels = new Set(['policy', 'target', 'kind', 'field', 'result', 'le', 'namespace', 'deployment']);

const FUNCS = new Set(['sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'label_replace', 'label_join', 'abs', 'ceil', 'floor', 'round',
  'clamp_min', 'clamp_max', 'clamp', 'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'last_over_time',
  'absent', 'absent_over_time', 'changes', 'resets', 'time', 'timestamp', 'vector', 'scalar', 'sort', 'sort_desc', 'by', 'without', 'on', 'ignoring',
  'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool']);

// The metric names a query selects: identifiers outside strings, label matchers,
// durations and grouping lists, that are not functions or keywords.
export function metricNames(expr) {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  e = e.replace(/\[[^\]]*\]/g, '');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  e = e.replace(/\{[^}]*\}/g, '');
  const names = [];
  for (const m of e.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    if (FUNCS.has(m[0]) || /^\$/.test(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}
function matcherLabels(expr) {
  const labels = [];
  const e = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of e.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.push(l[1]);
  }
  for (const m of e.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',').map((s) => s.trim()).filter(Boolean)) labels.push(l);
  }
  return labels;
}

ok(dash.schemaVersion >= 36, `schemaVersion ${dash.schemaVersion}`);
ok(typeof dash.title === 'string' && dash.title.length > 0, 'has a title');
ok(Array.isArray(dash.__inputs) && dash.__inputs.some((i) => i.name === 'DS_PROMETHEUS' && i.pluginId === 'prometheus'), '__inputs has DS_PROMETHEUS (prometheus)');
const vars = dash.templating?.list ?? [];
const policy = vars.find((v) => v.name === 'policy');
ok(policy !== undefined, 'has a `policy` template variable');
if (policy) {
  const m = (policy.definition ?? '').match(/^label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,\s*(\w+)\s*\)$/);
  ok(m && known.has(m[1]) && m[2] === 'policy', `policy variable: label_values of a known metric (${policy.definition})`);
}

const panels = [];
(function walk(list) {
  for (const p of list ?? []) {
    panels.push(p);
    walk(p.panels);
  }
})(dash.panels);
const ids = panels.map((p) => p.id);
ok(new Set(ids).size === ids.length && ids.every((i) => Number.isInteger(i)), `${panels.length} panels with unique integer ids`);
const used = new Set();
let queries = 0;
for (const p of panels) {
  const g = p.gridPos ?? {};
  ok(['x', 'y', 'w', 'h'].every((k) => Number.isInteger(g[k])) && g.x + g.w <= 24, `panel ${p.id} "${p.title}": gridPos within 24 columns`);
  if (p.type === 'row') continue;
  ok(p.datasource?.uid === '${DS_PROMETHEUS}', `panel ${p.id} "${p.title}": datasource is \${DS_PROMETHEUS}`);
  ok((p.targets ?? []).length > 0, `panel ${p.id} "${p.title}": has queries`);
  for (const t of p.targets ?? []) {
    queries++;
    const names = metricNames(t.expr ?? '');
    const unknown = names.filter((n) => !known.has(n));
    ok(names.length > 0 && unknown.length === 0, `panel ${p.id} ${t.refId}: metrics ${[...new Set(names)].join(', ')}${unknown.length ? ` — unknown: ${unknown.join(', ')}` : ''}`);
    const badLabels = matcherLabels(t.expr ?? '').filter((l) => !knownLabels.has(l));
    ok(badLabels.length === 0, `panel ${p.id} ${t.refId}: labels known${badLabels.length ? ` — unknown: ${badLabels.join(', ')}` : ''}`);
    if (names.some((n) => n.startsWith('prescient_') && n !== 'prescient_leader')) {
      ok(/policy=~"\$policy"/.test(t.expr), `panel ${p.id} ${t.refId}: filtered by $policy`);
    }
    names.forEach((n) => used.add(n));
  }
}
// PromQL syntax, by promtool: one recording rule per query.
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ p, t })));
const rules = ['groups:', '  - name: grafana_dashboard_check', '    rules:'];
exprs.forEach(({ p, t }, i) => {
  const e = t.expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$policy', '.+');
  rules.push(`      - record: panel_${p.id}_${t.refId}_${i}`, `        expr: ${JSON.stringify(e)}`);
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grafana-check-'));
const rulesFile = path.join(tmp, 'rules.yml');
fs.writeFileSync(rulesFile, rules.join('\n') + '\n');
const promtool = spawnSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' });
if (promtool.error) {
  console.log(`# promtool not found: PromQL syntax not checked (${promtool.error.message})`);
} else {
  ok(promtool.status === 0, `promtool parses all ${exprs.length} queries${promtool.status ? `:\n${promtool.stdout}${promtool.stderr}` : ''}`);
}
fs.rmSync(tmp, { recursive: true, force: true });

// Every family the controller exports is on the dashboard somewhere.
for (const [name, type] of families) {
  const forms = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  ok(forms.some((f) => used.has(f)), `${name} is charted`);
}
ok(used.has('kube_deployment_status_replicas_available'), 'actual replicas from kube-state-metrics are charted');
console.log(`${passed} passed, ${failed} failed (${queries} queries in ${panels.length} panels)`);
process.exit(failed ? 1 : 0);
