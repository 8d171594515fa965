import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import type { LoginLimiter } from '../access/login-limits';
import { SensitiveReads } from '../audit/access-log';
import { createAccountLoaders, type AccountLoaders } from '../accounts/accounts.loaders';
import type { TokenService } from '../access/tokens';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { createMemberLoaders, type MemberLoaders } from '../members/members.loaders';
import { createUnitLoaders, type UnitLoaders } from '../units/units.loaders';
import { unauthenticated } from './errors';

/** Long-lived services shared by all requests. */
export interface AppServices {
  config: Config;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  clock: Clock;
}

/** What every resolver receives: one request's transaction, account, scope and loaders. */
export interface RequestContext {
  /** Forked EntityManager inside the request's transaction, with the scope filter set. */
  em: EntityManager;
  /** The signed-in account; null only while running `login`. */
  account: AuthAccount | null;
  requestId: string;
  /** Address of the client, for login rate limits. */
  clientAddress: string;
  app: AppServices;
  loaders: Loaders;
  /** Sensitive fields read, recorded as access events before the request commits. */
  sensitiveReads: SensitiveReads;
}

/** Every per-request DataLoader, by feature. */
export type Loaders = UnitLoaders & MemberLoaders & AccountLoaders;

export function createRequestContext(
  em: EntityManager,
  account: AuthAccount | null,
  requestId: string,
  clientAddress: string,
  app: AppServices,
): RequestContext {
  return { em, account, requestId, clientAddress, app, sensitiveReads: new SensitiveReads(), loaders: { ...createUnitLoaders(em), ...createMemberLoaders(em), ...createAccountLoaders(em) } };
}

/** The signed-in account, or UNAUTHENTICATED. */
export function requireAccount(ctx: RequestContext): AuthAccount {
  if (!ctx.account) throw unauthenticated();
  return ctx.account;
}
