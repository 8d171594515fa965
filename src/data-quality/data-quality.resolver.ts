import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../access/context';
import { pageRequest } from '../graphql/connection';
import { DataQualityIssueConnection, DataQualityRuleCodeEnum } from './data-quality.types';
import type { DataQualityRuleCode } from './checks';

@Resolver()
export class DataQualityResolver {
  @Query(() => DataQualityIssueConnection, {
    description:
      'Kiểm tra chất lượng dữ liệu: the stored records of a unit and its subtree that break a rule of the register (records written before ' +
      'the rule, or loaded in bulk, are not rewritten), each with the rule, the field to fix and the rule’s source; with the count per rule.',
  })
  dataQualityIssues(
    @Ctx() ctx: RequestContext,
    @Arg('unitId', () => ID, { nullable: true, description: 'The unit whose subtree is checked (default: your own unit); NOT_FOUND when it is outside your scope.' }) unitId?: string,
    @Arg('rules', () => [DataQualityRuleCodeEnum], { nullable: true, description: 'List only these rules (default: all); the counts per rule always cover every rule checked.' })
    rules?: DataQualityRuleCode[],
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<DataQualityIssueConnection> {
    return ctx.services.dataQuality.issues(unitId, rules, pageRequest(first, after));
  }
}
