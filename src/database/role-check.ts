import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Row-level security binds the API only if its role is not a superuser, has no BYPASSRLS and
 * owns no record table (owners skip their tables' policies). Returns what is wrong, if anything.
 */
export async function rlsBypassReasons(orm: MikroORM): Promise<string[]> {
  const [row] = await orm.em.fork().getConnection().execute<
    { user: string; rolsuper: boolean; rolbypassrls: boolean; owned: string[] | null }[]
  >(`
    select current_user as user, r.rolsuper, r.rolbypassrls,
           (select array_agg(c.relname::text) from pg_class c
             where c.relowner = r.oid and c.relname in ('member', 'org_unit', 'account', 'api_key')) as owned
      from pg_roles r where r.rolname = current_user`);
  const reasons: string[] = [];
  if (row.rolsuper) reasons.push(`role ${row.user} is a superuser`);
  if (row.rolbypassrls) reasons.push(`role ${row.user} has BYPASSRLS`);
  if (row.owned?.length) reasons.push(`role ${row.user} owns ${row.owned.join(', ')}`);
  return reasons;
}
