import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { SensitiveReads } from '../access/access-log';
import type { AppServices, Loaders, RequestContext, ServiceFactories, Services } from '../access/context';
import { FEATURES } from './features';

/** Every feature's per-request DataLoaders (created empty; nothing is read until asked). */
export function createLoaders(em: EntityManager): Loaders {
  return Object.assign({}, ...FEATURES.map((feature) => ('createLoaders' in feature ? feature.createLoaders(em) : {}))) as Loaders;
}

/** Every feature's services on one EntityManager, each built when first asked for, then kept. */
function createServices(ctx: RequestContext, em: EntityManager): Services {
  const services = {} as Services;
  for (const feature of FEATURES) {
    if (!('services' in feature)) continue;
    for (const [name, build] of Object.entries(feature.services as ServiceFactories<Record<string, unknown>>)) {
      let built: unknown;
      Object.defineProperty(services, name, { enumerable: true, get: () => (built ??= build(ctx, em, services)) });
    }
  }
  return services;
}

/** The context of one request: built here, once per request, for GraphQL and exports alike. */
export function createRequestContext(
  em: EntityManager,
  account: AuthAccount | null,
  requestId: string,
  clientAddress: string,
  app: AppServices,
): RequestContext {
  const byEm = new Map<EntityManager, Services>();
  const ctx: RequestContext = {
    em,
    account,
    requestId,
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
