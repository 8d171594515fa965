import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../access/context';
import { mutation } from '../graphql/mutation';
import { ReorganiseUnitsInput } from './reorganisation.inputs';
import { ReorganiseUnitsPayload } from './reorganisation.types';

const refused = { dryRun: false, reorganisation: null, createdUnits: [], units: [], problems: [] };

/** A dry run's answer, carried out of the mutation's savepoint by a throw so that the savepoint is rolled back. */
class DryRunDone extends Error {
  constructor(readonly payload: ReorganiseUnitsPayload) {
    super('dry run: rolled back');
  }
}

@Resolver()
export class ReorganisationResolver {
  @Mutation(() => ReorganiseUnitsPayload, {
    description:
      'Reorganises units on one decision, all or nothing (sắp xếp tổ chức: sáp nhập, chia tách, đổi tên, điều chuyển, giải thể): new units are created, then the steps applied in order, dated on effectiveOn (the tree of earlier days is kept). Members of ended units move to their successors, accounts of ended units are deactivated unless rehomed, posts held in them end on effectiveOn, transfers awaiting arrival in them go to their successor. With dryRun, the same report and problems, nothing written. Every unit involved must be in your scope, below your own unit.',
  })
  async reorganiseUnits(@Arg('input', () => ReorganiseUnitsInput) input: ReorganiseUnitsInput, @Ctx() ctx: RequestContext): Promise<ReorganiseUnitsPayload> {
    const work = async (em: EntityManager) => {
      const payload = await ctx.servicesOn(em).reorganisation.reorganise(input);
      // A dry run is carried out in the savepoint and undone with it: nothing remains, not even audit events.
      if (input.dryRun && !payload.userErrors.length) throw new DryRunDone(payload);
      return payload;
    };
    try {
      return await mutation<ReorganiseUnitsPayload>(ctx.em, { ...refused, dryRun: !!input.dryRun }, work, input.reason, { sqlOnly: true });
    } catch (error) {
      if (error instanceof DryRunDone) return error.payload;
      throw error;
    }
  }
}
