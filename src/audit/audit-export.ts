import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AuditEntry } from './audit.types.js';

/** The most rows one export carries (runbook). */
export const EXPORT_MAX_ROWS = 10_000;

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_key_id',
  'actor_key_name',
  'action',
  'target',
  'request_id',
  'details',
  'hash',
] as const;

/** Spreadsheets run a cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A leading `'` keeps a spreadsheet from reading the cell as a formula. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function toCsvRecord(e: AuditEntry): string[] {
  return [
    e.id,
    e.at,
    e.actor.keyId ?? '',
    e.actor.keyName,
    e.action,
    e.target ?? '',
    e.requestId ?? '',
    JSON.stringify(e.details),
    e.hash,
  ].map(neutraliseCell);
}

/**
 * RFC 4180 CSV (CRLF line ends, a header row, fields quoted when needed) from pages of
 * entries pulled one at a time as the reader drains the stream.
 */
export function auditCsvStream(pages: AsyncIterable<AuditEntry[]>): Readable {
  async function* records(): AsyncGenerator<string[]> {
    for await (const page of pages) for (const e of page) yield toCsvRecord(e);
  }
  const csv = stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: 'windows' });
  const source = Readable.from(records());
  source.on('error', (err) => csv.destroy(err));
  return source.pipe(csv);
}
