// Formatting shared by the dashboard and its browser test (which imports this module to
// compare what a panel shows with what /api/v1 returned). Pure functions, no DOM.

export const DASH = '—';

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

// A fraction in [0, 1] as a percentage: 0.99953 -> "99.95%".
export function fraction(v, digits = 2) {
  return isNum(v) ? `${(v * 100).toFixed(digits)}%` : DASH;
}

// A value already in percent (fields ending in _percent): 87.24 -> "87.2%".
export function percent(v, digits = 1) {
  return isNum(v) ? `${v.toFixed(digits)}%` : DASH;
}

export const availability = (v) => fraction(v, 2);
export const errorBudget = (v) => fraction(v, 1);
export const accuracy = (v) => percent(v, 1);
// Remediation does not exist yet for most sources: null reads "n/a", not a dash.
export const remediation = (v) => (isNum(v) ? fraction(v, 1) : 'n/a');

export function number(v, digits = 0) {
  if (!isNum(v)) return DASH;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Requests per second: one decimal under 100, whole numbers above.
export function rps(v) {
  if (!isNum(v)) return DASH;
  return `${number(v, Math.abs(v) < 100 ? 1 : 0)} rps`;
}

export function latencyMs(seconds) {
  return isNum(seconds) ? `${number(seconds * 1000, 0)} ms` : DASH;
}

// Replica counts may be means of a bucket (10.8): whole numbers print without decimals.
export function replicas(v) {
  if (!isNum(v)) return DASH;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export function replicaPair(desired, ready) {
  return `${replicas(desired)} / ${replicas(ready)}`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

// Epoch seconds as UTC: "2024-07-01 14:05 UTC" (the demo's clock is simulated time, so a
// local time zone would only confuse).
export function utc(epoch, withSeconds = false) {
  if (!isNum(epoch)) return DASH;
  const d = new Date(epoch * 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` + (withSeconds ? `:${pad(d.getUTCSeconds())}` : '');
  return `${date} ${time} UTC`;
}

// The status words that go with the colour, so the state never rests on colour alone.
export const STATUS_LABEL = { green: 'OK', yellow: 'At risk', red: 'Breached' };
export function statusLabel(status) {
  return STATUS_LABEL[status] ?? (status == null ? DASH : String(status));
}

export function change(from, to) {
  if (from == null && to == null) return DASH;
  return `${from ?? DASH} → ${to ?? DASH}`;
}
