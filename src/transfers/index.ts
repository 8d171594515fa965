import { requireAccount, type ServiceFactories } from '../access/context';
import { Transfer } from './transfer.entity';
import { TransferResolver } from './transfers.resolver';
import { TransfersService } from './transfers.service';

/** Transfers between units: what this feature adds to the API. */
export const resolvers = [TransferResolver] as const;
export const entities = [Transfer];

export interface TransferServices {
  transfers: TransfersService;
}
export const services: ServiceFactories<TransferServices> = {
  transfers: (ctx, em) => new TransfersService(em, requireAccount(ctx), ctx.app.config, ctx.app.clock.today()),
};

declare module '../access/context' {
  interface Services extends TransferServices {}
}
