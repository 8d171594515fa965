import { Client } from 'pg';

/**
 * Statements only a superuser may run, which make the planner see the scope's real size.
 *
 * With row-level security on, PostgreSQL uses column statistics for an operator only when its
 * function is LEAKPROOF. ltree's `<@` is not marked so, so every scoped query was planned as if
 * the scope held 1% of the rows: a district's first page sorted 15,000 rows (33 ms) instead of
 * walking the name index (1 ms). These functions compare two paths and raise no error that
 * depends on the values, which is what LEAKPROOF promises.
 */
export const SUPERUSER_TUNING = [
  'alter function public.ltree_risparent(public.ltree, public.ltree) leakproof',
  'alter function public.ltree_isparent(public.ltree, public.ltree) leakproof',
  // LIKE, for the trigram index of name search: without LEAKPROOF the match could not be an
  // index condition under row-level security, and every search read the whole member table
  // (300 ms at 100,000 members). Its only error is about the pattern, which the API always
  // takes from the request, never from a row.
  'alter function pg_catalog.textlike(text, text) leakproof',
];

/** Applies SUPERUSER_TUNING to a database (embedded set-up and tests; see README for DATABASE_URL). */
export async function tunePlanner(superUrl: string, database: string): Promise<void> {
  const url = new URL(superUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const statement of SUPERUSER_TUNING) await client.query(statement);
  } finally {
    await client.end();
  }
}
