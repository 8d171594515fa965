import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from './account-context';
import type { Role } from './roles';
import { SCOPE_FILTER } from './scope';

/**
 * The application's today (its clock) for the rest of the transaction, in the same round trip:
 * triggers that date a change "from today" (reporting profile periods) use the same day as the
 * services' rules, also under a test's fixed clock.
 */
const SET_TODAY = `set_config('app.today', ?, true) as today`;

interface EnteredRow {
  id: string;
  name: string;
  role: Role;
  unit_id: string;
  scope: string;
}

async function enter(em: EntityManager, kind: AuthAccount['kind'], sql: string, params: unknown[]): Promise<AuthAccount | null> {
  const rows = await em.getConnection().execute<EnteredRow[]>(sql, params, 'all', em.getTransactionContext());
  const row = rows[0];
  if (!row) return null;
  const account: AuthAccount = {
    kind,
    id: String(row.id),
    name: row.name,
    role: row.role,
    unitId: String(row.unit_id),
    scope: { path: row.scope },
  };
  // The same scope drives the application's filter and (through app.scope) row-level security.
  em.setFilterParams(SCOPE_FILTER, account.scope);
  return account;
}

/**
 * Inside the request's transaction: finds the token's account and sets `app.account_id`,
 * `app.scope` and `app.request_id` for the rest of the transaction (set_config(..., true)),
 * where row-level security and audit triggers read them. Null when the account does not exist
 * or is disabled.
 */
export function enterAccount(em: EntityManager, accountId: string, requestId: string, today: string): Promise<AuthAccount | null> {
  return enter(
    em,
    'account',
    `select id, username as name, role, unit_id, scope, ${SET_TODAY} from hoso_enter_account(?, ?)`,
    [today, accountId, requestId],
  );
}

/** The same for an API key: null when the key is unknown, revoked or its secret is wrong. */
export function enterApiKey(em: EntityManager, keyId: string, secretHash: string, requestId: string, today: string): Promise<AuthAccount | null> {
  return enter(em, 'apiKey', `select id, name, role, unit_id, scope, ${SET_TODAY} from hoso_enter_api_key(?, ?, ?)`, [
    today,
    keyId,
    secretHash,
    requestId,
  ]);
}

/** An anonymous request (only `login` may run): no scope, so row-level security shows nothing. */
export async function enterAnonymous(em: EntityManager, requestId: string): Promise<void> {
  await em.getConnection().execute(
    `select set_config('app.request_id', ?, true)`,
    [requestId],
    'all',
    em.getTransactionContext(),
  );
  // A path no unit can fall under: even a query the rules let through finds nothing.
  em.setFilterParams(SCOPE_FILTER, { path: 'none' });
}
