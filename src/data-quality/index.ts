import { requireAccount, type ServiceFactories } from '../access/context';
import { DataQualityResolver } from './data-quality.resolver';
import { DataQualityService } from './data-quality.service';

/** Data quality: the records that break a rule of the register, listed for staff to fix. */
export const resolvers = [DataQualityResolver] as const;

export interface DataQualityServices {
  dataQuality: DataQualityService;
}
export const services: ServiceFactories<DataQualityServices> = {
  dataQuality: (ctx, em) => new DataQualityService(em, requireAccount(ctx), ctx.loaders, ctx.app.config, ctx.sensitiveReads),
};

declare module '../access/context' {
  interface Services extends DataQualityServices {}
}
