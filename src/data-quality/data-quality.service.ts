import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import type { SensitiveReads } from '../access/access-log';
import { can } from '../access/capabilities';
import type { Config } from '../config';
import { cadreRules } from '../cadres/cadre-rules';
import { connectionFrom, cursorAfter, type PageRequest } from '../graphql/connection';
import { codedError } from '../graphql/errors';
import { isId } from '../graphql/ids';
import { generalEducationLevel } from '../catalogues/education';
import type { MemberLoaders } from '../members/members.loaders';
import { badgeSettings } from '../members/party-badges';
import { ratingSettings } from '../members/ratings';
import type { OrgUnit } from '../units/org-unit.entity';
import type { UnitLoaders } from '../units/units.loaders';
import { DATA_QUALITY_RULES, ruleOf, rulesFor, type DataQualityRuleCode, type IssueRow } from './checks';
import { dataQualitySql } from './data-quality.queries';
import type { DataQualityIssue, DataQualityIssueConnection } from './data-quality.types';

/** The field a sensitive check's rows count as read: the member's discipline register. */
const SENSITIVE_FIELD = 'disciplines';

/**
 * dataQualityIssues: the records of a unit's subtree that break a rule (checks.ts), counted per
 * rule and listed page by page. The SQL runs on the request's connection, as the API role, so
 * row-level security binds it; the scope is also written into the query. The unit must be in
 * the caller's scope, or NOT_FOUND as for a missing unit.
 */
export class DataQualityService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly loaders: UnitLoaders & MemberLoaders,
    private readonly config: Config,
    private readonly sensitiveReads: SensitiveReads,
  ) {}

  private async unitInScope(unitId: string | null | undefined): Promise<OrgUnit> {
    const id = unitId ?? this.account.unitId;
    const unit = isId(id) ? await this.loaders.unitById.load(id) : null;
    if (!unit) throw codedError('NOT_FOUND', 'No such unit in your scope.', { argument: 'unitId' });
    return unit;
  }

  async issues(unitId: string | null | undefined, only: DataQualityRuleCode[] | null | undefined, page: PageRequest): Promise<DataQualityIssueConnection> {
    const unit = await this.unitInScope(unitId);
    const readSensitive = can(this.account.role, 'readSensitive');
    // Every rule the caller may see is counted; the list holds the rules asked for.
    const all = rulesFor(readSensitive);
    const listed = rulesFor(readSensitive, only).checked.map((r) => r.code);
    const after = cursorAfter(page, ['id', 'text', 'id'] as const);
    if (after && !DATA_QUALITY_RULES.some((r) => r.code === after[1])) throw codedError('BAD_USER_INPUT', 'after is not a cursor of this list.', { argument: 'after' });

    const { sql, values } = dataQualitySql(
      {
        scopePath: this.account.scope.path,
        unitPath: unit.path,
        rules: all.checked.map((r) => r.code),
        listed,
        after: after ? { memberId: after[0], rule: after[1], recordId: after[2] } : null,
        limit: page.first + 1,
      },
      {
        ratings: ratingSettings(this.config),
        badges: badgeSettings(this.config),
        cadres: cadreRules(this.config),
        unreadableEducation: await this.unreadableEducation(unit.path),
      },
    );
    const [row] = (await this.em.execute(sql, values)) as { counts: Record<string, string>; listed: string; page: IssueRow[] }[];
    // Ordered here as in the query (member, rule in byte order, record): json_agg keeps no order of its own.
    const rows = [...row.page].sort(
      (a, b) => compareIds(a.memberId, b.memberId) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || compareIds(a.recordId, b.recordId),
    );
    const members = await this.loaders.memberById.loadMany(rows.map((r) => r.memberId));
    const nodes: DataQualityIssue[] = rows.flatMap((r, i) => {
      const member = members[i];
      if (!member || member instanceof Error) return [];
      const rule = ruleOf(r.rule);
      return [{ rule: r.rule, member, recordKind: r.recordKind, recordId: r.recordId, field: rule.field(r.recordKind), message: rule.message(r), source: rule.source }];
    });
    const connection = connectionFrom(nodes, page, (n) => [n.member.id, n.rule, n.recordId], async () => Number(row.listed));
    // A row of a check over the discipline register tells that the member has (or lacks) such an
    // entry: recorded as a read of the register, like reading Member.disciplines.
    for (const edge of connection.edges) {
      if (ruleOf(edge.node.rule).sensitive) this.sensitiveReads.note(edge.node.member.id, SENSITIVE_FIELD);
    }
    return {
      unit,
      edges: connection.edges,
      pageInfo: connection.pageInfo,
      totalCount: Number(row.listed),
      byRule: all.checked.map((rule) => ({ rule: rule.code, description: rule.description, source: rule.source, count: Number(row.counts[rule.code] ?? 0) })),
      notChecked: all.notChecked.map((rule) => rule.code),
    };
  }

  /** The general education texts of the subtree that the education rule cannot read as a level. */
  private async unreadableEducation(unitPath: string): Promise<string[]> {
    const texts: { text: string }[] = await this.em.execute(
      'select distinct m.general_education as text from member m where m.unit_path <@ ?::ltree and m.unit_path <@ ?::ltree and m.general_education is not null',
      [this.account.scope.path, unitPath],
    );
    return texts.map((t) => t.text).filter((text) => generalEducationLevel(text) === null);
  }
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
