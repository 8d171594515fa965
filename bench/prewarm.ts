import { Client } from 'pg';

/**
 * What the scenarios read, put in memory before a dataset is measured, so that every target meets
 * the same warm cache: a server that has run for a while holds its hot tables in memory, and the
 * few seconds of warm-up do not read gigabytes. Without it, a target that meets a cold cache pays
 * for the disk and one after it does not: at 5,600,000 members one request for the whole party's
 * statistics (about 8,700 scattered pages of member_fact) took 1.2 s read from disk and
 * 0.14–0.3 s once those pages were cached.
 *
 * `buffer`: into PostgreSQL's cache (shared_buffers, bench/cluster.ts), in this order, as far as
 * it holds; `read`: into the operating system's cache only. Relations missing from an older
 * dataset are passed over.
 */
const HOT: { relation: string; mode: 'buffer' | 'read' }[] = [
  // S4: the weekly counts and the facts a correction reads through its four date indexes.
  { relation: 'stat_snapshot_key', mode: 'buffer' },
  { relation: 'stat_snapshot', mode: 'buffer' },
  { relation: 'member_fact_from_idx', mode: 'buffer' },
  { relation: 'member_fact_to_idx', mode: 'buffer' },
  { relation: 'member_fact_birth_idx', mode: 'buffer' },
  { relation: 'member_fact_origin_idx', mode: 'buffer' },
  { relation: 'member_fact', mode: 'buffer' },
  // S1, S2, S3, S5: members by id, by subtree, in name order, by card number, by name words.
  { relation: 'org_unit', mode: 'buffer' },
  { relation: 'member_subtree_count', mode: 'buffer' },
  { relation: 'member_pkey', mode: 'buffer' },
  { relation: 'member_unit_path_gist', mode: 'buffer' },
  { relation: 'member_sort_name_idx', mode: 'buffer' },
  { relation: 'member', mode: 'read' },
];

/** Reads the hot relations of the database at `superUrl` into memory; returns what it read, for the log. */
export async function prewarm(superUrl: string): Promise<string> {
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  try {
    // A contrib extension shipped with PostgreSQL; created in the bench database only.
    await client.query('create extension if not exists pg_prewarm');
    const done: string[] = [];
    let pages = 0;
    for (const { relation, mode } of HOT) {
      const { rows } = await client.query<{ pages: string | null }>(
        `select case when to_regclass($1) is null then null else pg_prewarm(to_regclass($1), $2) end::text as pages`,
        [relation, mode],
      );
      if (rows[0].pages === null) continue;
      pages += Number(rows[0].pages);
      done.push(`${relation} (${mode})`);
    }
    return `${(pages * 8 / 2 ** 20).toFixed(1)} GB: ${done.join(', ')}`;
  } finally {
    await client.end();
  }
}
