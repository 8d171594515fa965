import { Client } from 'pg';

/**
 * Index and constraint upkeep deferred to the end of a bulk load, and restored exactly.
 *
 * Measured on 100,000 members (2 cores): checking 8 foreign keys per member row and keeping
 * the trigram, GiST and exclusion indexes row by row made the load take 40 s; building them
 * once at the end takes 12 s + 9 s (most of it the two exclusion constraints of the periods).
 * Primary keys and check constraints stay. Before anything is dropped the definitions are
 * read back from the catalogue (pg_get_constraintdef, pg_get_indexdef), and after the restore
 * the same catalogue text must come out, or the load fails.
 */

export interface DeferredSchema {
  tables: string[];
  /** Catalogue text of every constraint, index and trigger of the tables, before the drop. */
  before: string[];
  /** Indexes and unique/exclusion constraints, then foreign keys (which need the indexes of both sides). */
  indexes: string[];
  foreignKeys: string[];
  /** Triggers switched off for the load (their work done by the loader), switched on again at the end. */
  triggers: string[];
}

async function snapshot(client: Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(
    `select conrelid::regclass::text || ' constraint ' || conname || ' ' || pg_get_constraintdef(oid) as line
       from pg_constraint where conrelid = any($1::regclass[])
     union all
     select pg_get_indexdef(indexrelid) from pg_index where indrelid = any($1::regclass[])
     union all
     select tgrelid::regclass::text || ' trigger ' || tgname || ' ' || tgenabled::text
       from pg_trigger where tgrelid = any($1::regclass[]) and not tgisinternal
     order by 1`,
    [tables],
  );
  return rows.map((r) => r.line);
}

/** Those of the tables that exist in this schema (later migrations add some). */
export async function existingTables(client: Client, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select t as name from unnest($1::text[]) t where to_regclass(t) is not null`,
    [tables],
  );
  return rows.map((r) => r.name);
}

/**
 * Drops the foreign keys, unique and exclusion constraints and secondary indexes of the tables
 * (committed, so both loading lanes see it) and disables the named triggers.
 */
export async function deferSchema(client: Client, tables: string[], triggers: string[]): Promise<DeferredSchema> {
  const before = await snapshot(client, tables);
  const { rows: constraints } = await client.query<{ kind: string; drop: string; add: string }>(
    `select contype::text as kind,
            format('alter table %s drop constraint %I', conrelid::regclass, conname) as drop,
            format('alter table %s add constraint %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) as add
       from pg_constraint where contype in ('f', 'u', 'x') and conrelid = any($1::regclass[])
      order by conrelid::regclass::text, conname`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ drop: string; add: string }>(
    `select format('drop index %s', i.indexrelid::regclass) as drop, pg_get_indexdef(i.indexrelid) as add
       from pg_index i
      where i.indrelid = any($1::regclass[]) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by i.indexrelid::regclass::text`,
    [tables],
  );
  await client.query('begin');
  // Foreign keys first: a unique constraint may be what one of them references.
  for (const c of [...constraints].sort((a, b) => Number(b.kind === 'f') - Number(a.kind === 'f'))) await client.query(c.drop);
  for (const i of indexes) await client.query(i.drop);
  for (const trigger of triggers) await client.query(`alter table ${trigger.split('.')[0]} disable trigger ${trigger.split('.')[1]}`);
  await client.query('commit');
  return {
    tables,
    before,
    indexes: [...indexes.map((i) => i.add), ...constraints.filter((c) => c.kind !== 'f').map((c) => c.add)],
    foreignKeys: constraints.filter((c) => c.kind === 'f').map((c) => c.add),
    triggers,
  };
}

export interface Timing {
  sql: string;
  seconds: number;
}

/** Runs statements on `lanes` connections at once, each connection taking the next from the queue; returns how long each took. */
export async function inParallel(url: string, statements: string[], setup: string[] = [], lanes = 2): Promise<Timing[]> {
  const queue = [...statements];
  const timings: Timing[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const sql of setup) await client.query(sql);
        for (let sql = queue.shift(); sql; sql = queue.shift()) {
          const started = Date.now();
          await client.query(sql);
          timings.push({ sql, seconds: (Date.now() - started) / 1000 });
        }
      } finally {
        await client.end();
      }
    }),
  );
  return timings;
}

/**
 * Builds the indexes and constraints of the groups again, two statements at a time (a build uses
 * one core), then checks that the catalogue says exactly what it said before.
 *
 * Three stages, each largest table first and GiST builds before B-tree ones: `first` (work that
 * reads the first group's tables, such as the reporting facts) beside that group's plain
 * indexes, which let readers in; then its unique and exclusion constraints, which lock readers
 * out, and everything of the later groups (tables `first` fills); then every foreign key.
 */
export async function restoreSchema(url: string, groups: DeferredSchema[], first: string[] = []): Promise<Timing[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: sizes } = await client.query<{ name: string; bytes: string }>(
      `select t as name, pg_table_size(t::regclass)::text as bytes from unnest($1::text[]) t`,
      [groups.flatMap((g) => g.tables)],
    );
    const size = new Map(sizes.map((r) => [r.name, Number(r.bytes)]));
    const tableOf = (sql: string) => /^(?:alter table|create (?:unique )?index \S+ on)\s+(?:public\.)?(\w+)/i.exec(sql)?.[1] ?? '';
    // GiST builds (exclusion constraints, ltree paths) take several times longer than B-tree
    // ones of the same table: they go first, so the other connection works through the rest meanwhile.
    const cost = (sql: string) => (size.get(tableOf(sql)) ?? 0) * (/ exclude using gist|using gist/i.test(sql) ? 10 : 1);
    const bySize = (statements: string[]) => [...statements].sort((a, b) => cost(b) - cost(a));
    const plain = (sql: string) => /^create /i.test(sql);
    const [main, ...later] = groups;
    const setup = [`set maintenance_work_mem = '1GB'`];
    const stages = [
      [...first, ...bySize(main.indexes.filter(plain))],
      bySize([...main.indexes.filter((sql) => !plain(sql)), ...later.flatMap((g) => g.indexes)]),
      bySize(groups.flatMap((g) => g.foreignKeys)),
    ];
    const timings: Timing[] = [];
    for (const stage of stages) timings.push(...(await inParallel(url, stage, setup)));
    for (const trigger of groups.flatMap((g) => g.triggers)) {
      await client.query(`alter table ${trigger.split('.')[0]} enable trigger ${trigger.split('.')[1]}`);
    }
    for (const group of groups) {
      const after = await snapshot(client, group.tables);
      const missing = group.before.filter((line) => !after.includes(line));
      const extra = after.filter((line) => !group.before.includes(line));
      if (missing.length || extra.length) {
        throw new Error(`The schema was not restored exactly.\nMissing: ${missing.join('\n')}\nUnexpected: ${extra.join('\n')}`);
      }
    }
    return timings;
  } finally {
    await client.end();
  }
}
