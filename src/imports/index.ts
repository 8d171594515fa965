import { requireAccount, type ServiceFactories } from '../access/context';
import { ImportResolver } from './imports.resolver';
import { ImportsService } from './imports.service';

/** Spreadsheet imports of member records (dry run, commit, undo): what this feature adds to the API. */
export const resolvers = [ImportResolver] as const;

export interface ImportServices {
  imports: ImportsService;
}
export const services: ServiceFactories<ImportServices> = {
  imports: (ctx, em) => new ImportsService(em, requireAccount(ctx), ctx.loaders, ctx.app.config, ctx.app.clock.today()),
};

declare module '../access/context' {
  interface Services extends ImportServices {}
}

export { answerImport, importMethodOf, type ImportHttpAnswer } from './http';
export { IMPORT_LIMITS } from './read-file';
export { COMMIT_CHUNK, historyReason, type ImportBatchRow } from './imports.service';
export { queryExamples } from './imports.queries';
