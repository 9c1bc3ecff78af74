/**
 * Rows read and written by D1 for one request, summed from each result's `meta` (what Cloudflare
 * bills): `npm run bench` turns it on with the D1_METER variable and reads it from the response's
 * `x-d1-rows-read` / `x-d1-rows-written` / `x-d1-queries` headers. Off in production.
 */
export interface D1Meter { read: number; written: number; queries: number }

export function meteredD1(db: D1Database, meter: D1Meter): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const count = (meta: { rows_read?: number; rows_written?: number } | undefined) => {
    meter.read += meta?.rows_read ?? 0;
    meter.written += meta?.rows_written ?? 0;
    meter.queries++;
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      async first<T>(column?: string): Promise<T | null> {
        const r = await stmt.all<Record<string, unknown>>();
        count(r.meta);
        const row = r.results[0];
        if (!row) return null;
        return (column === undefined ? row : row[column]) as T;
      },
      async all<T>() { const r = await stmt.all<T>(); count(r.meta); return r; },
      async run<T>() { const r = await stmt.run<T>(); count(r.meta); return r; },
      raw: ((options?: { columnNames?: boolean }) => stmt.raw(options as { columnNames: true })) as D1PreparedStatement["raw"],
    } as unknown as D1PreparedStatement;
    real.set(proxy, stmt);
    return proxy;
  };
  return {
    // the SQL text of the callers, themselves held to constants and bound parameters
    prepare: (passedThrough: string) => wrap(db.prepare(passedThrough)),
    async batch<T>(statements: D1PreparedStatement[]) {
      const results = await db.batch<T>(statements.map((s) => real.get(s) ?? s));
      for (const r of results) count(r.meta);
      return results;
    },
    exec: (sql: string) => db.exec(sql),
    dump: () => (db as unknown as { dump: () => Promise<ArrayBuffer> }).dump(),
    withSession: (...args: unknown[]) => (db as unknown as { withSession: (...a: unknown[]) => unknown }).withSession(...args),
  } as unknown as D1Database;
}
