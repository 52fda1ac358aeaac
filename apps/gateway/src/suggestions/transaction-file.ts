import {
  type FieldError,
  MAX_IMPORT_ROWS,
  REQUIRED_CSV_COLUMNS,
  TRANSACTION_CSV_COLUMNS,
  type TransactionInput,
  TransactionImportJsonSchema,
  TransactionInputSchema,
} from '@billing/contracts';
import type { PipeTransform } from '@nestjs/common';
import { ProblemError, parseOrThrow, zodFieldErrors } from '@billing/common';
import { parse } from 'csv-parse/sync';

/** Most row errors one rejection lists (the detail gives the total). */
export const MAX_REPORTED_ERRORS = 100;

export interface TransactionFile {
  format: 'json' | 'csv';
  rows: TransactionInput[];
}

/**
 * Reads an import body — `{"transactions": [...]}` or a CSV text with a header row — and validates every
 * row. Any bad row rejects the whole file (422): each error names the row (`rows[N]`, N counting
 * transactions from 1, the CSV header not counted; CSV messages add the line) and the field.
 */
export function readTransactionFile(body: unknown, csv: boolean): TransactionFile {
  return csv ? readCsv(body) : readJson(body);
}

/**
 * The import's body pipe: the CSV parser hands over text, the JSON parser a value (anything else was
 * a 415 before), so the body's type says which it is.
 */
export class TransactionFilePipe implements PipeTransform<unknown, TransactionFile> {
  transform(body: unknown): TransactionFile {
    return readTransactionFile(body, typeof body === 'string');
  }
}

function readJson(body: unknown): TransactionFile {
  const { transactions } = parseOrThrow(TransactionImportJsonSchema, body ?? {});
  return {
    format: 'json',
    rows: validateRows(transactions.map((row, i) => ({ row, number: i + 1, line: null }))),
  };
}

function readCsv(body: unknown): TransactionFile {
  const text = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : '';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw ProblemError.field(
      '(body)',
      `is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`,
      'malformed_csv',
    );
  }
  if (records.length === 0)
    throw ProblemError.field('(body)', 'is empty: a header row and at least one row are expected', 'empty');
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(TRANSACTION_CSV_COLUMNS);
  const errors: FieldError[] = [];
  header.forEach((h, i) => {
    if (!known.has(h))
      errors.push({
        field: `columns[${i + 1}]`,
        message: `"${h}" is not a known column (${TRANSACTION_CSV_COLUMNS.join(', ')})`,
        code: 'unknown_column',
      });
    else if (header.indexOf(h) !== i)
      errors.push({ field: `columns[${i + 1}]`, message: `"${h}" appears twice`, code: 'duplicate_column' });
  });
  for (const c of REQUIRED_CSV_COLUMNS) {
    if (!header.includes(c))
      errors.push({ field: `columns.${c}`, message: 'is required', code: 'missing_column' });
  }
  if (errors.length)
    throw ProblemError.validation(errors, 'The CSV header is not valid; nothing was imported.');
  const data = records.slice(1);
  if (data.length === 0) throw ProblemError.field('(body)', 'has a header but no rows', 'empty');
  if (data.length > MAX_IMPORT_ROWS) {
    throw ProblemError.field(
      '(body)',
      `holds ${data.length} rows; at most ${MAX_IMPORT_ROWS} per import`,
      'too_many_rows',
    );
  }
  const rows = data.map(({ record, info }, i) => {
    const row: Record<string, string | null> = {};
    header.forEach((h, c) => {
      const value = record[c];
      // An empty optional cell is "no value"; an empty required one is reported as required.
      if (value !== '') row[h] = value;
      else if (h === 'description' || h === 'external_id') row[h] = null;
    });
    return { row, number: i + 1, line: info.lines };
  });
  return { format: 'csv', rows: validateRows(rows) };
}

function validateRows(
  rows: Array<{ row: unknown; number: number; line: number | null }>,
): TransactionInput[] {
  const out: TransactionInput[] = [];
  const errors: FieldError[] = [];
  let bad = 0;
  for (const { row, number, line } of rows) {
    const result = TransactionInputSchema.safeParse(row, { reportInput: true });
    if (result.success) {
      out.push(result.data);
      continue;
    }
    bad++;
    for (const e of zodFieldErrors(result.error, `rows[${number}]`)) {
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      errors.push(line === null ? e : { ...e, message: `${e.message} (line ${line})` });
    }
  }
  if (bad) {
    throw ProblemError.validation(
      errors,
      `${bad} of ${rows.length} rows are not valid${errors.length >= MAX_REPORTED_ERRORS ? ` (the first ${MAX_REPORTED_ERRORS} errors are listed)` : ''}; nothing was imported.`,
    );
  }
  return out;
}
