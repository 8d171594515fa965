import type { Role } from './roles';
import type { Scope } from './scope';

/** The signed-in account as one request sees it: who, with which role, over which subtree. */
export interface AuthAccount {
  id: string;
  username: string;
  role: Role;
  unitId: string;
  scope: Scope;
}
