// Calls to /api/v1 (docs/api.md). Every failure becomes an ApiError whose message names
// the path and the server's one-line reason, for the page's error banner.

export class ApiError extends Error {
  constructor(path, status, message) {
    super(`${path}: ${status ? `HTTP ${status}: ` : ''}${message}`);
    this.path = path;
    this.status = status;
  }
}

export async function getJSON(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  const url = qs ? `${path}?${qs}` : path;
  let res;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new ApiError(url, 0, `server not reachable (${e.message})`);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!res.ok) {
    throw new ApiError(url, res.status, body && body.error ? body.error : res.statusText || 'error');
  }
  if (body === null) throw new ApiError(url, res.status, 'answer is not JSON');
  return body;
}

// Decisions and actions, newest first, deduplicated by id. The first refresh loads the
// latest `limit`; later ones ask only for what is newer (`since`) and keep `limit` rows.
export class EventFeed {
  constructor(service = null, limit = 200) {
    this.service = service;
    this.limit = limit;
    this.events = [];
    this.loaded = false;
  }

  async refresh() {
    const params = { service: this.service, limit: this.limit };
    if (this.loaded && this.events.length) {
      // `since` is exclusive; one second back so that events stamped in the same second
      // as the newest one we hold are not lost (duplicates are dropped by id).
      params.since = this.events[0].time - 1;
    }
    const body = await getJSON('/api/v1/events', params);
    const seen = new Set(this.events.map((e) => e.id));
    const fresh = (body.events ?? []).filter((e) => !seen.has(e.id));
    if (fresh.length || !this.loaded) {
      this.events = fresh.concat(this.events);
      this.events.sort((a, b) => b.time - a.time || b.id - a.id);
      this.events.length = Math.min(this.events.length, this.limit);
    }
    this.loaded = true;
    return fresh.length;
  }
}
