// Server-side request durations from the service's Prometheus histogram booking_http_request_duration_seconds:
// scrape before and after a run, subtract, estimate quantiles per method and route.
const LINE = /^booking_http_request_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)/;

/** Parses one scrape into { 'METHOD route': { buckets: [[le, cumulative]], sum, count } }. */
export function parseDurations(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const key = `${labels.method} ${labels.route}`;
    const entry = (out[key] ??= { buckets: new Map(), sum: 0, count: 0 });
    const value = Number(m[3]);
    // Statuses are summed: the floor asks how long a route takes, whatever it answered.
    if (m[1] === 'bucket') entry.buckets.set(labels.le, (entry.buckets.get(labels.le) ?? 0) + value);
    else entry[m[1]] += value;
  }
  return out;
}

/**
 * after − before, per route; quantiles interpolated linearly inside a bucket, as Prometheus' histogram_quantile, with
 * the bucket's bounds (the quantile is certainly within them; the interpolation assumes an even spread inside).
 */
export function diffDurations(before, after) {
  const out = {};
  for (const [key, a] of Object.entries(after)) {
    const b = before[key] ?? { buckets: new Map(), sum: 0, count: 0 };
    const count = a.count - b.count;
    if (count <= 0) continue;
    const buckets = [...a.buckets]
      .map(([le, n]) => [le === '+Inf' ? Infinity : Number(le), n - (b.buckets.get(le) ?? 0)])
      .sort((x, y) => x[0] - y[0]);
    const quantile = (q) => {
      const rank = q * count;
      let lower = 0;
      let below = 0;
      for (const [le, cumulative] of buckets) {
        if (cumulative >= rank) {
          if (le === Infinity)
            return { ms: lower * 1000, lowerMs: lower * 1000, upperMs: Infinity, bucket: `> ${lower * 1000} ms` };
          const inside = cumulative - below;
          const estimate = lower + (le - lower) * (inside ? (rank - below) / inside : 1);
          return {
            ms: estimate * 1000,
            lowerMs: lower * 1000,
            upperMs: le * 1000,
            bucket: `${lower * 1000}–${le * 1000} ms`,
          };
        }
        lower = le;
        below = cumulative;
      }
      return undefined;
    };
    out[key] = { count, meanMs: ((a.sum - b.sum) / count) * 1000, p50: quantile(0.5), p99: quantile(0.99) };
  }
  return out;
}

/**
 * Whether a server-side quantile meets "below target ms": certain when the whole bucket is below (or not below) the
 * target; otherwise decided by the interpolated value, and said so.
 */
export function verdict(quantile, targetMs) {
  if (!quantile) return 'no data';
  if (quantile.upperMs <= targetMs) return 'met';
  if (quantile.lowerMs >= targetMs) return 'not met';
  return quantile.ms < targetMs ? 'met (interpolated)' : 'not met (interpolated)';
}
