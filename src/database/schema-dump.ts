import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientBase } from 'pg';
import { ensureDatabase, freePort, startEmbeddedPostgres } from './embedded';
import { migrate } from './orm';
import { tunePlanner } from './planner-tuning';

/**
 * The database contract in one file (db/schema.sql): what a freshly migrated database holds,
 * read from the catalogues, so a migration's diff of that file shows exactly what it changed.
 *
 * Layout, always in this order and sorted by name (C collation) inside each part:
 *   1. extensions (names only; their own objects are left out),
 *   2. schemas and their grants,
 *   3. types the project created (enums, domains, composite types), if any,
 *   4. sequences that are not a column's identity,
 *   5. one block per table: columns (in column order), constraints, indexes, row-level security
 *      flags and policies, triggers, grants,
 *   6. views,
 *   7. functions with their full definitions, then their grants.
 *
 * Nothing that varies between two databases migrated the same way is written: no OIDs, no
 * database name, no passwords, no sequence positions, no statistics, no grantor. Objects owned
 * by the owner role (hoso_owner, which runs the migrations) say nothing about their owner; any
 * other owner is written. NOT NULL constraints (catalogued since PostgreSQL 18) appear as
 * `not null` on their column. Names are written unqualified when they are in `public`.
 */
export async function dumpSchema(client: ClientBase, options: { owner?: string } = {}): Promise<string> {
  const owner = options.owner ?? 'hoso_owner';
  await client.query('begin isolation level repeatable read read only');
  try {
    // Fixed, so the deparsed expressions qualify names the same way whoever connects.
    await client.query(`set local search_path = public`);
    const out = await dumpInTransaction(client, owner);
    await client.query('commit');
    return out;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** Objects outside the system's schemas (extensions' own objects are filtered by NOT_EXTENSION_MEMBER). */
const USER_SCHEMA = (nsp: string) => `${nsp} not in (select oid from pg_namespace where nspname in ('pg_catalog', 'information_schema', 'pg_toast') or nspname like 'pg\\_temp\\_%' or nspname like 'pg\\_toast\\_temp\\_%')`;
const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

type Row = Record<string, any>;

async function rows(client: ClientBase, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await client.query(sql, params)).rows;
}

/**
 * Grants written as GRANT statements, one per grantee, privileges in a fixed order. The owner's
 * own privileges and the grantor are left out; an ACL never changed is the kind's default
 * (for functions: EXECUTE to PUBLIC, which is written, since it matters).
 */
async function grants(client: ClientBase, kind: 'table' | 'sequence' | 'function' | 'schema', aclSql: string, objectSql: string): Promise<Map<string, string[]>> {
  const list = await rows(
    client,
    `with objects as (${objectSql}),
          acls as (select o.key, o.owner_oid, (aclexplode(coalesce(${aclSql}, acldefault(o.acl_kind, o.owner_oid)))).* from objects o)
     select a.key, a.grantee_name as grantee,
            array_agg(a.privilege_type || case when a.is_grantable then '*' else '' end order by a.privilege_type collate "C") as privileges
       from (select acls.*, case when acls.grantee = 0 then 'public' else pg_get_userbyid(acls.grantee) end as grantee_name from acls) a
      where a.grantee <> a.owner_oid
      group by a.key, a.grantee_name
      order by a.key collate "C", a.grantee_name collate "C"`,
  );
  const byKey = new Map<string, string[]>();
  for (const row of list) {
    const plain = (row.privileges as string[]).filter((p) => !p.endsWith('*')).map((p) => p.toLowerCase());
    const grantable = (row.privileges as string[]).filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1).toLowerCase());
    const lines = byKey.get(row.key) ?? [];
    const target = kind === 'function' ? `function ${row.key}` : `${kind} ${row.key}`;
    if (plain.length) lines.push(`grant ${plain.join(', ')} on ${target} to ${row.grantee};`);
    if (grantable.length) lines.push(`grant ${grantable.join(', ')} on ${target} to ${row.grantee} with grant option;`);
    byKey.set(row.key, lines);
  }
  return byKey;
}

async function dumpInTransaction(client: ClientBase, owner: string): Promise<string> {
  const out: string[] = [];
  const blank = () => {
    if (out[out.length - 1] !== '') out.push('');
  };
  const section = (title: string) => {
    blank();
    out.push(`-- ${'='.repeat(76)}`, `-- ${title}`, `-- ${'='.repeat(76)}`, '');
  };
  const ownerNote = (objectOwner: string, statement: string) => {
    if (objectOwner !== owner) out.push(`${statement} owner to ${objectOwner};`);
  };

  out.push(
    '-- The database contract: the schema of a freshly migrated database, read from the catalogues.',
    '-- GENERATED by `npm run schema` (src/database/schema-dump.ts); do not edit. A test checks that it',
    '-- is what the migrations build. Sorted by name; objects are owned by hoso_owner unless it says otherwise.',
  );

  // 1. Extensions.
  section('Extensions (their own functions, types and operators are not listed)');
  for (const { extname, nspname } of await rows(
    client,
    `select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace order by e.extname collate "C"`,
  )) {
    out.push(`create extension ${extname}${nspname === 'public' ? '' : ` schema ${nspname}`};`);
  }

  // 2. Schemas.
  section('Schemas');
  const schemaGrants = await grants(
    client,
    'schema',
    'o.acl',
    `select n.nspname as key, n.nspowner as owner_oid, n.nspacl as acl, 'n'::"char" as acl_kind from pg_namespace n where ${USER_SCHEMA('n.oid')}`,
  );
  for (const { nspname, owner_name } of await rows(
    client,
    `select n.nspname, pg_get_userbyid(n.nspowner) as owner_name from pg_namespace n where ${USER_SCHEMA('n.oid')}
        and ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')} order by n.nspname collate "C"`,
  )) {
    out.push(`-- schema ${nspname}${owner_name !== owner ? ` (owner ${owner_name})` : ''}`);
    out.push(...(schemaGrants.get(nspname) ?? []));
  }

  // 3. Types the project created (not the row types of tables, not arrays, not extensions').
  const types = await rows(
    client,
    `select t.oid, ${keySql('n', 't', 'typname')} as key, t.typtype, pg_get_userbyid(t.typowner) as owner_name,
            format_type(t.typbasetype, t.typtypmod) as base, t.typnotnull, t.typdefault,
            (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels,
            (select array_agg(pg_get_constraintdef(c.oid) order by c.conname collate "C") from pg_constraint c where c.contypid = t.oid and c.contype = 'c') as checks,
            (select array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) order by a.attnum)
               from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) as fields
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where ${USER_SCHEMA('t.typnamespace')} and ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}
        and (t.typtype in ('e', 'd', 'r', 'm') or (t.typtype = 'c' and (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c'))
      order by n.nspname collate "C", t.typname collate "C"`,
  );
  if (types.length) {
    section('Types');
    for (const t of types) {
      const name: string = t.key;
      if (t.typtype === 'e') out.push(`create type ${name} as enum (${(t.labels ?? []).map((l: string) => `'${l.replace(/'/g, "''")}'`).join(', ')});`);
      else if (t.typtype === 'd') {
        out.push(`create domain ${name} as ${t.base}${t.typdefault ? ` default ${t.typdefault}` : ''}${t.typnotnull ? ' not null' : ''}${(t.checks ?? []).map((c: string) => ` ${c}`).join('')};`);
      } else if (t.typtype === 'c') out.push(`create type ${name} as (${(t.fields ?? []).join(', ')});`);
      else out.push(`create type ${name} as range (...); -- range type`);
      ownerNote(t.owner_name, `alter type ${name}`);
    }
  }

  // 4. Sequences (identity columns' own sequences are implied by `generated … as identity`).
  const sequenceGrants = await grants(
    client,
    'sequence',
    'o.acl',
    `select ${keySql('n', 'c')} as key, c.relowner as owner_oid, c.relacl as acl, 's'::"char" as acl_kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'S' and ${USER_SCHEMA('c.relnamespace')}`,
  );
  const sequences = await rows(
    client,
    `select ${keySql('n', 'c')} as key, pg_get_userbyid(c.relowner) as owner_name, format_type(s.seqtypid, null) as type,
            s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle,
            (select ${keySql('tn', 'tc')} || '.' || quote_ident(a.attname)
               from pg_depend d join pg_class tc on tc.oid = d.refobjid join pg_namespace tn on tn.oid = tc.relnamespace
               join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
              where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype = 'a') as owned_by,
            exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'i') as identity
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_sequence s on s.seqrelid = c.oid
      where c.relkind = 'S' and ${USER_SCHEMA('c.relnamespace')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      order by n.nspname collate "C", c.relname collate "C"`,
  );
  section('Sequences (identity columns have their own, implied by the column)');
  for (const s of sequences.filter((s) => !s.identity)) {
    const name: string = s.key;
    out.push(
      `create sequence ${name} as ${s.type} increment by ${s.seqincrement} minvalue ${s.seqmin} maxvalue ${s.seqmax} ` +
        `start with ${s.seqstart} cache ${s.seqcache}${s.seqcycle ? ' cycle' : ' no cycle'}${s.owned_by ? ` owned by ${s.owned_by}` : ''};`,
    );
    ownerNote(s.owner_name, `alter sequence ${name}`);
    out.push(...(sequenceGrants.get(name) ?? []));
  }
  const identitySequences = sequences.filter((s) => s.identity);

  // 5. Tables.
  const tables = await rows(
    client,
    `select c.oid, ${keySql('n', 'c')} as key, n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner) as owner_name, c.relrowsecurity, c.relforcerowsecurity,
            c.reloptions, c.relpersistence, case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partkey,
            case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as partbound,
            (select string_agg(${keySql('pn', 'p')}, ', ' order by p.relname collate "C")
               from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_namespace pn on pn.oid = p.relnamespace where i.inhrelid = c.oid) as parents
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'f') and ${USER_SCHEMA('c.relnamespace')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      order by n.nspname collate "C", c.relname collate "C"`,
  );
  const tableGrants = await grants(
    client,
    'table',
    'o.acl',
    `select ${keySql('n', 'c')} as key, c.relowner as owner_oid, c.relacl as acl, 'r'::"char" as acl_kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'f', 'v', 'm') and ${USER_SCHEMA('c.relnamespace')}`,
  );
  const columnGrants = await rows(
    client,
    `select * from (select ${keySql('n', 'c')} as key, quote_ident(a.attname) as attname, case when x.grantee = 0 then 'public' else pg_get_userbyid(x.grantee) end as grantee,
            string_agg(lower(x.privilege_type), ', ' order by x.privilege_type collate "C") as privileges
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid,
            lateral aclexplode(a.attacl) x
      where a.attacl is not null and a.attnum > 0 and not a.attisdropped and ${USER_SCHEMA('c.relnamespace')}
      group by 1, 2, 3) g order by g.key collate "C", g.attname collate "C", g.grantee collate "C"`,
  );
  section('Tables: columns, constraints, indexes, row-level security, triggers, grants');
  for (const t of tables) {
    const name: string = t.key;
    const columns = await rows(
      client,
      `select quote_ident(a.attname) as attname, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, a.attidentity, a.attgenerated,
              pg_get_expr(d.adbin, d.adrelid) as default_expr,
              case when a.attcollation <> 0 and a.attcollation <> t.typcollation then (select collname from pg_collation where oid = a.attcollation) end as collation
         from pg_attribute a join pg_type t on t.oid = a.atttypid
         left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [t.oid],
    );
    const lines = columns.map((c) => {
      let line = `  ${c.attname} ${c.type}`;
      if (c.collation) line += ` collate "${c.collation}"`;
      if (c.attgenerated === 's') line += ` generated always as (${c.default_expr}) stored`;
      else if (c.attgenerated === 'v') line += ` generated always as (${c.default_expr}) virtual`;
      else if (c.default_expr !== null) line += ` default ${c.default_expr}`;
      if (c.attidentity === 'a') line += ' generated always as identity';
      if (c.attidentity === 'd') line += ' generated by default as identity';
      if (c.attnotnull) line += ' not null';
      return line;
    });
    const kind = t.relkind === 'f' ? 'foreign table' : t.relpersistence === 'u' ? 'unlogged table' : 'table';
    out.push(`create ${kind} ${name} (`, lines.join(',\n'), `)${t.parents && !t.partbound ? ` inherits (${t.parents})` : ''}${t.partkey ? ` partition by ${t.partkey}` : ''}${t.reloptions ? ` with (${t.reloptions.join(', ')})` : ''};`);
    if (t.partbound) out.push(`alter table ${t.parents} attach partition ${name} ${t.partbound};`);
    ownerNote(t.owner_name, `alter table ${name}`);
    for (const s of identitySequences.filter((s) => s.owned_by?.startsWith(`${name}.`))) {
      const defaults = s.seqstart === '1' && s.seqincrement === '1' && s.seqmin === '1' && s.seqcache === '1' && !s.seqcycle;
      if (!defaults) out.push(`-- identity ${s.owned_by}: start ${s.seqstart} increment ${s.seqincrement} min ${s.seqmin} max ${s.seqmax} cache ${s.seqcache}`);
    }

    for (const c of await rows(
      client,
      // Not constraint triggers (contype 't'): `add constraint … TRIGGER …` is not SQL; they are
      // written with the triggers below, as CREATE CONSTRAINT TRIGGER.
      `select quote_ident(conname) as conname, pg_get_constraintdef(oid, true) as def from pg_constraint
        where conrelid = $1 and contype not in ('n', 't') order by conname collate "C"`,
      [t.oid],
    )) {
      out.push(`alter table ${name} add constraint ${c.conname} ${c.def};`);
    }
    for (const i of await rows(
      client,
      // Indexes of primary key, unique and exclusion constraints come with the constraint.
      `select i.relname, pg_get_indexdef(i.oid) as def from pg_index x join pg_class i on i.oid = x.indexrelid
        where x.indrelid = $1 and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid and c.conrelid = x.indrelid and c.contype in ('p', 'u', 'x'))
        order by i.relname collate "C"`,
      [t.oid],
    )) {
      out.push(`${i.def};`);
    }
    if (t.relrowsecurity) out.push(`alter table ${name} enable row level security;`);
    if (t.relforcerowsecurity) out.push(`alter table ${name} force row level security;`);
    for (const p of await rows(
      client,
      `select quote_ident(p.polname) as policyname, case when p.polpermissive then 'permissive' else 'restrictive' end as permissive,
              case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end as cmd,
              (select string_agg(case when r = 0 then 'public' else quote_ident(pg_get_userbyid(r)) end, ', ' order by case when r = 0 then 'public' else pg_get_userbyid(r)::text end collate "C")
                 from unnest(p.polroles) r) as roles,
              pg_get_expr(p.polqual, p.polrelid, true) as qual, pg_get_expr(p.polwithcheck, p.polrelid, true) as with_check
         from pg_policy p where p.polrelid = $1 order by p.polname collate "C"`,
      [t.oid],
    )) {
      out.push(
        `create policy ${p.policyname} on ${name} as ${p.permissive} for ${p.cmd} to ${p.roles}` +
          `${p.qual !== null ? `\n  using (${p.qual})` : ''}${p.with_check !== null ? `\n  with check (${p.with_check})` : ''};`,
      );
    }
    for (const tr of await rows(
      client,
      // Constraint triggers made by CREATE CONSTRAINT TRIGGER are not internal, so they are here
      // (pg_get_triggerdef writes them as CREATE CONSTRAINT TRIGGER … DEFERRABLE …); the internal
      // ones are the foreign keys' own, implied by the constraint.
      `select quote_ident(tgname) as tgname, pg_get_triggerdef(oid, true) as def, tgenabled from pg_trigger
        where tgrelid = $1 and not tgisinternal order by tgname collate "C"`,
      [t.oid],
    )) {
      out.push(`${tr.def};`);
      const state = { D: 'disable', R: 'enable replica', A: 'enable always' }[tr.tgenabled as string];
      if (state) out.push(`alter table ${name} ${state} trigger ${tr.tgname};`);
    }
    for (const r of await rows(
      client,
      `select r.rulename, pg_get_ruledef(r.oid, true) as def from pg_rewrite r where r.ev_class = $1 and r.rulename <> '_RETURN'
        order by r.rulename collate "C"`,
      [t.oid],
    )) {
      out.push(r.def);
    }
    out.push(...(tableGrants.get(name) ?? []));
    for (const g of columnGrants.filter((g) => g.key === name)) {
      out.push(`grant ${g.privileges} (${g.attname}) on table ${name} to ${g.grantee};`);
    }
    blank();
  }

  // 6. Views.
  const views = await rows(
    client,
    `select ${keySql('n', 'c')} as key, c.relkind, pg_get_userbyid(c.relowner) as owner_name, pg_get_viewdef(c.oid, true) as def, c.reloptions
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm') and ${USER_SCHEMA('c.relnamespace')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      order by n.nspname collate "C", c.relname collate "C"`,
  );
  section('Views');
  if (!views.length) out.push('-- (none)');
  for (const v of views) {
    const name: string = v.key;
    out.push(`create ${v.relkind === 'm' ? 'materialized view' : 'view'} ${name}${v.reloptions ? ` with (${v.reloptions.join(', ')})` : ''} as`, `${v.def.replace(/;\s*$/, '')};`);
    ownerNote(v.owner_name, `alter ${v.relkind === 'm' ? 'materialized view' : 'view'} ${name}`);
    out.push(...(tableGrants.get(name) ?? []));
    blank();
  }

  // 7. Functions.
  const functionWhere = `p.prokind in ('f', 'p', 'w') and ${USER_SCHEMA('p.pronamespace')} and ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}`;
  const functionKey = `${keySql('n', 'p', 'proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')'`;
  const functionGrants = await grants(
    client,
    'function',
    'o.acl',
    `select ${functionKey} as key, p.proowner as owner_oid, p.proacl as acl, 'f'::"char" as acl_kind
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${functionWhere}`,
  );
  section('Functions (grants follow each one; EXECUTE to public is the default unless revoked)');
  for (const f of await rows(
    client,
    `select ${functionKey} as key, pg_get_userbyid(p.proowner) as owner_name, pg_get_functiondef(p.oid) as def, p.prokind
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where ${functionWhere}
      order by n.nspname collate "C", p.proname collate "C", pg_get_function_identity_arguments(p.oid) collate "C"`,
  )) {
    out.push(`${f.def.trimEnd()};`);
    ownerNote(f.owner_name, `alter ${f.prokind === 'p' ? 'procedure' : 'function'} ${f.key}`);
    out.push(...(functionGrants.get(f.key) ?? []));
    blank();
  }

  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** SQL for an object's name as the dump writes it (unqualified in public). */
function keySql(namespaceAlias: string, classAlias: string, nameColumn = 'relname'): string {
  return `case when ${namespaceAlias}.nspname = 'public' then quote_ident(${classAlias}.${nameColumn}) else quote_ident(${namespaceAlias}.nspname) || '.' || quote_ident(${classAlias}.${nameColumn}) end`;
}


/**
 * Migrates a new, empty database on a throwaway embedded PostgreSQL (in a temporary folder, on
 * a free port) and dumps it: what `npm run schema` writes to db/schema.sql. No seed. The
 * planner tuning is applied too, as on every database the API runs on; it changes only
 * functions of PostgreSQL and of extensions, which the dump leaves out, so it shows nowhere.
 */
export async function dumpFreshlyMigratedSchema(log: (line: string) => void = () => {}): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-schema-'));
  const database = 'hoso_schema';
  try {
    const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      await ensureDatabase(db.superUrl, database);
      const applied = await migrate(db.ownerUrl(database));
      log(`Migrated a temporary database: ${applied.length} migrations.`);
      await tunePlanner(db.superUrl, database);
      const client = new Client({ connectionString: db.ownerUrl(database) });
      await client.connect();
      try {
        return await dumpSchema(client);
      } finally {
        await client.end();
      }
    } finally {
      await db.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
