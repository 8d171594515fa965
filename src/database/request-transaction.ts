import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import type { Role } from '../access/roles';
import { SCOPE_FILTER } from '../access/scope';

/**
 * Inside the request's transaction: finds the token's account and, in the same statement, sets
 * `app.account_id`, `app.scope` and `app.request_id` for the rest of the transaction
 * (`set_config(..., true)`), where row-level security and audit triggers read them.
 * Returns null when the account does not exist or is disabled.
 */
export async function enterAccount(em: EntityManager, accountId: string, requestId: string): Promise<AuthAccount | null> {
  const rows = await em.getConnection().execute<
    { id: string; username: string; role: Role; unit_id: string; scope: string }[]
  >(
    `select a.id::text, a.username, a.role, a.unit_id::text, u.path::text as scope,
            set_config('app.account_id', a.id::text, true),
            set_config('app.scope', u.path::text, true),
            set_config('app.request_id', ?, true)
       from account a join org_unit u on u.id = a.unit_id
      where a.id = ? and a.active`,
    [requestId, accountId],
    'all',
    em.getTransactionContext(),
  );
  const row = rows[0];
  if (!row) return null;
  const account: AuthAccount = {
    id: row.id,
    username: row.username,
    role: row.role,
    unitId: row.unit_id,
    scope: { path: row.scope },
  };
  em.setFilterParams(SCOPE_FILTER, account.scope);
  return account;
}

/** Marks an anonymous request (only `login` may run): the scope matches nothing. */
export async function enterAnonymous(em: EntityManager, requestId: string): Promise<void> {
  await em.getConnection().execute(
    `select set_config('app.request_id', ?, true)`,
    [requestId],
    'all',
    em.getTransactionContext(),
  );
  // An ltree no unit path can fall under: anonymous reads find nothing even if a rule is missed.
  em.setFilterParams(SCOPE_FILTER, { path: 'none' });
}
