import type { Client } from 'pg';

/**
 * `COPY … FROM STDIN` through node-pg, for the benchmark's bulk load (bench/seed.ts), without
 * another package: several tables in one simple-query message, their data sent with it.
 *
 * COPY writes rows without an executor plan per statement nor parsing array literals (what
 * `insert … select from unnest($1::text[], …)` costs), and a table without BEFORE ROW triggers
 * gets its rows in multi-row batches (heap_multi_insert).
 *
 * The data go out in the same write as the query, each table's CopyData then CopyDone, instead
 * of after each CopyInResponse: the backend reads them in order as each COPY of the message
 * starts, so it never waits for this process, busy generating the next batch, to answer. If a
 * COPY fails, the backend drops the rest of the message and ignores CopyData and CopyDone until
 * the next query (the protocol's rule for copy-in after an error), and the error rejects.
 */

export interface CopyTable {
  table: string;
  columns: readonly string[];
  /** The rows in COPY's text format (UTF-8), each ending with a newline (CopyRows). */
  data: Buffer;
}

/** One field in COPY's text format: `\N` for null, backslash, tab and line breaks escaped. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}

/** One row in COPY's text format. */
function copyLine(values: readonly unknown[]): string {
  let line = field(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${field(values[i])}`;
  return `${line}\n`;
}

/**
 * One table's pending rows, written as they come into a buffer outside the JavaScript heap. Kept
 * as strings until the batch went out, a batch's hundred thousand rows outlived collections of
 * the young generation: garbage collection was a third of the loader's CPU profile, a tenth since.
 */
export class CopyRows {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private length = 0;
  private rows = 0;

  constructor(readonly table: string, readonly columns: readonly string[]) {}

  add(...row: unknown[]): void {
    const line = copyLine(row);
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.length + line.length * 3 > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + line.length * 3));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(line, this.length);
    this.rows++;
  }

  get size(): number {
    return this.rows;
  }

  /** The gathered rows for copyInto, and how many; the next rows go to a new buffer (these may still be on their way). */
  drain(): (CopyTable & { count: number }) | null {
    if (!this.rows) return null;
    const drained = { table: this.table, columns: this.columns, data: this.buffer.subarray(0, this.length), count: this.rows };
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.length = 0;
    this.rows = 0;
    return drained;
  }
}

/** Copies the tables' rows, in this order, in one message; resolves when the backend has taken them all. */
export function copyInto(client: Client, tables: readonly CopyTable[]): Promise<void> {
  const sql = tables.map((t) => `copy ${t.table} (${t.columns.join(', ')}) from stdin`).join('; ');
  return new Promise((resolve, reject) => {
    let failed: Error | null = null;
    const submittable = {
      submit(connection: CopyConnection) {
        connection.query(sql);
        for (const t of tables) {
          // CopyData messages of up to 1 MB; COPY's data may be cut anywhere, not only at row ends.
          for (let start = 0; start < t.data.length; start += 1 << 20) connection.sendCopyFromChunk(t.data.subarray(start, start + (1 << 20)));
          connection.endCopyFrom();
        }
      },
      handleCopyInResponse() {},
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleError(error: Error) {
        failed = error;
        reject(error);
      },
      handleReadyForQuery() {
        if (!failed) resolve();
      },
    };
    (client as unknown as { query(submittable: object): void }).query(submittable);
  });
}

/** The part of node-pg's connection a submittable uses. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}
