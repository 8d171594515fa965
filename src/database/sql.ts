import { createHash } from 'node:crypto';
import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';

/** ORMs (by their configuration, which every fork shares) whose statements are sent unprepared. */
const unprepared = new WeakSet<object>();

/**
 * Whether this ORM's hot statements are prepared (HOSO_PREPARED_STATEMENTS; on by default).
 * Off for a transaction pooler that cannot carry prepared statements from one client to the next
 * (PgBouncer before 1.21, or with max_prepared_statements = 0): then nothing outlives a transaction
 * on a connection.
 */
export function prepareStatements(orm: MikroORM, on: boolean): void {
  if (on) unprepared.delete(orm.config);
  else unprepared.add(orm.config);
}

/**
 * Sends one statement of a feature's queries file (`<feature>.queries.ts`) in the request's
 * transaction, its values bound as parameters (`?` in the text, in order), and returns its rows.
 *
 * MikroORM writes values into the SQL text it sends, so PostgreSQL parses and plans every
 * statement afresh; the hot reads go this way instead: bound values, and a statement prepared
 * once per connection under a name derived from its text (node-postgres prepares a named
 * statement the first time a connection sends it, then only binds and executes it).
 */
export async function runStatement<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  values: readonly unknown[],
  /**
   * `prepare: false` for a statement whose texts are many (one per combination a client chooses),
   * so they do not use up PREPARED_LIMIT, or whose best plan depends on its values: after five
   * executions PostgreSQL may keep one generic plan for a prepared statement, planned without
   * them (see units.loaders.ts). Unprepared, it is planned with its values every time.
   */
  options: { prepare?: boolean } = {},
): Promise<T[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  // Outside a transaction the statement would run on any pooled connection, without the request's scope.
  if (!trx) throw new Error('a statement of a queries file runs inside the request transaction');
  const query = trx.raw(text, values as readonly Knex.RawBinding[]);
  const name = unprepared.has(em.config) || options.prepare === false ? undefined : preparedName(text);
  const result = (await (name ? query.options({ name }) : query)) as { rows: T[] };
  return result.rows;
}

/**
 * runStatement for a statement that writes. A database refusal (a check or unique constraint the
 * input broke) comes back as the ORM's exception for it (UniqueConstraintViolationException…),
 * as a flush would have raised it, so graphql/mutation.ts turns it into the same user error
 * whether the write went through the ORM or through a queries file.
 */
export async function runWriteStatement<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  values: readonly unknown[],
  options: { prepare?: boolean } = {},
): Promise<T[]> {
  try {
    return await runStatement<T>(em, text, values, options);
  } catch (error) {
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  }
}

/**
 * How many different statement texts are prepared at most. Each connection keeps the statements
 * it prepared until it closes; the texts of the queries files are a few dozen (one per choice of
 * filters and nested lists), so a client sending unusual combinations cannot make the server
 * prepare without end: beyond this many, a new text is sent unprepared.
 */
export const PREPARED_LIMIT = 500;

const names = new Map<string, string>();

function preparedName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < PREPARED_LIMIT) {
    name = `hoso_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}
