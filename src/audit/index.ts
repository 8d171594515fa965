import type { ServiceFactories } from '../access/context';
import { AuditEvent } from './audit-event.entity';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

export { startAuditSealer } from './sealer';

/** The audit trail: what this feature adds to the API (and the sealer the app starts). */
export const resolvers = [AuditResolver] as const;
export const entities = [AuditEvent];

export interface AuditServices {
  audit: AuditService;
}
export const services: ServiceFactories<AuditServices> = {
  audit: (_ctx, em) => new AuditService(em),
};

declare module '../access/context' {
  interface Services extends AuditServices {}
}
