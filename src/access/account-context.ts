import type { Role } from './roles';
import type { Scope } from './scope';

/**
 * Who is making the request, as one request sees it: a signed-in account or an API key of a
 * reporting tool. Both carry a role and a unit whose subtree is the scope.
 */
export interface AuthAccount {
  kind: 'account' | 'apiKey';
  id: string;
  /** Username of the account, or the name given to the API key. */
  name: string;
  role: Role;
  unitId: string;
  scope: Scope;
}
