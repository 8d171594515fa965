import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { SensitiveReads } from '../access/access-log';
import type { AppServices, Loaders, RequestContext, ServiceFactories, Services } from '../access/context';
import type { RequestRecord } from '../observability/request-context';
import { FEATURES } from './features';

/** Every feature's per-request DataLoaders (created empty; nothing is read until asked). */
export function createLoaders(em: EntityManager): Loaders {
  return Object.assign({}, ...FEATURES.map((feature) => ('createLoaders' in feature ? feature.createLoaders(em) : {}))) as Loaders;
}

/**
 * Every feature's services on one EntityManager, each built when first asked for, then kept.
 * The getters are defined once, on a prototype, rather than on each request's object: a request
 * asks for one or two services of the dozens.
 */
const STATE = Symbol('services state');

/** The object's own state is under a symbol, so no feature's service name can shadow it. */
class LazyServices {
  readonly [STATE]: { ctx: RequestContext; em: EntityManager; built: Map<string, unknown> };
  constructor(ctx: RequestContext, em: EntityManager) {
    this[STATE] = { ctx, em, built: new Map() };
  }
}
for (const feature of FEATURES) {
  if (!('services' in feature)) continue;
  for (const [name, build] of Object.entries(feature.services as ServiceFactories<Record<string, unknown>>)) {
    Object.defineProperty(LazyServices.prototype, name, {
      get(this: LazyServices) {
        const { ctx, em, built } = this[STATE];
        if (!built.has(name)) built.set(name, build(ctx, em, this as unknown as Services));
        return built.get(name);
      },
    });
  }
}

function createServices(ctx: RequestContext, em: EntityManager): Services {
  return new LazyServices(ctx, em) as unknown as Services;
}

/** The context of one request: built here, once per request, for GraphQL and exports alike. */
export function createRequestContext(
  em: EntityManager,
  account: AuthAccount | null,
  record: RequestRecord,
  clientAddress: string,
  app: AppServices,
): RequestContext {
  const byEm = new Map<EntityManager, Services>();
  const ctx: RequestContext = {
    em,
    account,
    requestId: record.requestId,
    record,
    clientAddress,
    app,
    sensitiveReads: new SensitiveReads(),
    loaders: createLoaders(em),
    get services() {
      return ctx.servicesOn(em);
    },
    servicesOn(on: EntityManager): Services {
      let services = byEm.get(on);
      if (!services) byEm.set(on, (services = createServices(ctx, on)));
      return services;
    },
  };
  return ctx;
}
