import { requireAccount, type ServiceFactories } from '../access/context';
import { ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';
import { badgeSettings } from '../members/party-badges';

export { EXPORTS, recordExport, type ExportContext } from './exports';

/** Statistics, lists and exports: what this feature adds to the API (and the /exports routes). */
export const resolvers = [ReportsResolver] as const;

export interface ReportServices {
  reports: ReportsService;
}
export const services: ServiceFactories<ReportServices> = {
  reports: (ctx, em) => new ReportsService(em, requireAccount(ctx), ctx.loaders, ctx.app.clock.today(), badgeSettings(ctx.app.config)),
};

declare module '../access/context' {
  interface Services extends ReportServices {}
}
export { buildStatisticsWeek, startStatisticsWeeks } from './statistics-weeks';
