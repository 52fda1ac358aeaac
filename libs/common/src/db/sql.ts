/** Small helpers shared by the repositories. */

/** Dates come back from PostgreSQL `date` columns as 'YYYY-MM-DD' (the type parser is set below). */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** bigint columns arrive as strings; money never passes through a float. */
export function toBigInt(value: string | number | bigint): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

export const PG_DATE_OID = 1082;

/**
 * TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with `[rows, affectedCount]` and
 * SELECT/INSERT with `rows`; this gives the rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/**
 * A page of a keyset query that fetched `limit + 1` rows ordered by id (uuidv7, so by creation): the
 * extra row only says that there is a next page, whose cursor is the last id shown.
 */
export function keysetPage<R, T extends { id: string }>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit).map(map);
  return { data, next_cursor: rows.length > limit && data.length ? data[data.length - 1].id : null };
}

type ArrayElement = string | number | bigint | boolean | null | undefined;

/**
 * An array parameter as PostgreSQL's array literal (`{"a","b",NULL}`), for a statement that casts it
 * (`$1::uuid[]`, `$2::text[]`, …). node-postgres builds the same literal itself, but copies every
 * element a few times on the way (escaping by regular expressions, then concatenation); for the batch
 * statements — two dozen arrays of a thousand elements each — that was the largest allocation of
 * generation (bench/daily-run). Here each element is quoted once and escaped only when it holds a
 * quote or a backslash. `null` and `undefined` are SQL NULL; booleans are `t`/`f`.
 */
export function pgArray(values: readonly ArrayElement[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else if (typeof v === 'string') {
      parts[i] = v.includes('"') || v.includes('\\') ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
    } else parts[i] = String(v);
  }
  return `{${parts.join(',')}}`;
}
