import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { unauthenticated } from '../graphql/errors';
import type { AuthAccount } from './account-context';
import type { SensitiveReads } from './access-log';
import type { LoginLimiter } from './login-limits';
import type { TokenService } from './tokens';
import type { Preload } from '../graphql/preload';
import type { RequestRecord } from '../observability/request-context';

/** Long-lived services shared by all requests. */
export interface AppServices {
  config: Config;
  tokens: TokenService;
  loginLimiter: LoginLimiter;
  clock: Clock;
  /** Every feature's preloads (graphql/preload.ts): fields read with their parent's statement. */
  preloads: readonly Preload<Loaders>[];
}

/**
 * Every per-request DataLoader. Empty here: each feature adds its own loaders to it in its
 * index.ts (`declare module '../access/context' { interface Loaders extends UnitLoaders {} }`),
 * and the composition root (src/app/context.ts) creates them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Loaders {}

/**
 * The request's services, one per feature service, all built the same way from the request
 * context (src/app/context.ts). Empty here: each feature adds its services in its index.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Services {}

/** What every resolver receives: one request's transaction, account, scope, loaders and services. */
export interface RequestContext {
  /** Forked EntityManager inside the request's transaction, with the scope filter set. */
  em: EntityManager;
  /** The signed-in account; null only while running `login`. */
  account: AuthAccount | null;
  requestId: string;
  /** What the request's log line and metrics say about it (the account, the outcome). */
  record: RequestRecord;
  /** Address of the client, for login rate limits. */
  clientAddress: string;
  app: AppServices;
  loaders: Loaders;
  /** The request's services, on the request's EntityManager. */
  services: Services;
  /** The same services on another EntityManager: a mutation's savepoint (graphql/mutation.ts). */
  servicesOn(em: EntityManager): Services;
  /** Sensitive fields read, recorded as access events before the request commits. */
  sensitiveReads: SensitiveReads;
}

/** The signed-in account, or UNAUTHENTICATED. */
export function requireAccount(ctx: RequestContext): AuthAccount {
  if (!ctx.account) throw unauthenticated();
  return ctx.account;
}

/**
 * How a feature builds its services: one function per service, from the request context and
 * the EntityManager to work on (the request's, or a mutation's savepoint). The composition root
 * calls each at most once per request and EntityManager, when a resolver first asks for it.
 */
export type ServiceFactories<S> = { [K in keyof S]: (ctx: RequestContext, em: EntityManager, services: Services) => S[K] };
