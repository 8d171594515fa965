import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { runStatement, runWriteStatement } from '../database/sql';
import { decisionOf } from '../graphql/decision';
import { userError, UserErrorCode, type UserError } from '../graphql/errors';
import { isId } from '../graphql/ids';
import type { UnitKind } from './org-unit.entity';
import {
  deepestCommonUnit,
  inputProblems,
  namedUnitIds,
  planReorganisation,
  sourceUnitIds,
  targetKey,
  type KnownAccount,
  type KnownMember,
  type KnownUnit,
  type Plan,
  type PlanFacts,
  type PlanInput,
  type Problem,
  type Target,
} from './reorganisation';
import type { ReorganiseUnitsInput } from './reorganisation.inputs';
import { REORGANISATION_SQL as SQL } from './reorganisation.queries';
import { AccountOutcomeKind, type ReorganisationUnitReport, type ReorganiseUnitsPayload } from './reorganisation.types';
import { codeCandidates } from './unit-code';

/** The statuses counted as members of a unit in the report: the active ones (docs/domain.md, "Statistics"). */
const ACTIVE_STATUSES = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];

interface Figures {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  validTo: string | null;
  members: number;
  cells: number;
}

const asUserError = (p: Problem): UserError => userError(UserErrorCode[p.code], p.message, p.field.map(String));

/**
 * reorganiseUnits (docs/domain.md, "Reorganisations"): the plan is checked by the rules of
 * reorganisation.ts against what the database holds in the caller's scope, then carried out by
 * the statements of reorganisation.queries.ts, dated on the effective day through
 * `app.effective_on` (migration 26's triggers write the unit periods, the subtree's paths, the
 * members' facts and counters). Runs inside the mutation's savepoint: a refusal, a dry run or an
 * error leaves nothing.
 */
export class ReorganisationService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly today: string,
  ) {}

  private read<T>(text: string, values: readonly unknown[]): Promise<T[]> {
    return runStatement<T>(this.em, text, values);
  }

  private write<T>(text: string, values: readonly unknown[]): Promise<T[]> {
    return runWriteStatement<T>(this.em, text, values);
  }

  async reorganise(input: ReorganiseUnitsInput): Promise<ReorganiseUnitsPayload> {
    const plan: PlanInput = input;
    const dryRun = !!input.dryRun;
    const early = inputProblems(plan, this.today);
    if (early.length) return this.refused(dryRun, early, []);

    await this.read(SQL.setEffectiveOn, [input.effectiveOn]);
    const facts = await this.facts(plan);
    const planned = planReorganisation(plan, facts);
    const before = await this.figures(planned.reportUnits.flatMap((t) => (t.id !== undefined ? [t.id] : [])));
    if (planned.problems.length) return this.refused(dryRun, planned.problems, this.reportUnits(input, planned, facts, before, null, new Map()));

    // New units first, each with the first code no unit holds.
    const created = new Map<string, { id: string; code: string }>();
    const codeOfUnit = (t: Target) => (t.id !== undefined ? facts.units.get(t.id)!.code : created.get(t.key)!.code);
    const idOf = (t: Target) => (t.id !== undefined ? t.id : created.get(t.key)!.id);
    for (const unit of planned.newUnits) {
      for (const code of codeCandidates(codeOfUnit(unit.parent), unit.name)) {
        const [row] = await this.write<{ id: string; code: string }>(SQL.insertUnit, [code, unit.name, unit.kind, idOf(unit.parent), input.effectiveOn]);
        if (row) {
          created.set(unit.key, row);
          break;
        }
      }
    }

    const decision = decisionOf(input.decision);
    const paths = planned.involved.map((id) => facts.units.get(id)!.path);
    const [record] = await this.write<{ id: string }>(SQL.insertReorganisation, [
      input.effectiveOn,
      decision.number,
      decision.date,
      decision.issuedBy,
      input.reason.trim(),
      deepestCommonUnit(paths) ?? this.account.unitId,
      this.account.kind === 'account' ? this.account.id : null,
    ]);

    for (const action of planned.actions) {
      switch (action.kind) {
        case 'setParent':
          await this.write(SQL.setParent, [idOf(action.parent), action.unitId]);
          break;
        case 'rename':
          await this.write(SQL.rename, [action.name, action.unitId]);
          break;
        case 'end':
          await this.write(SQL.end, [input.effectiveOn, action.unitId]);
          break;
        case 'moveMembers': {
          const to = idOf(action.to);
          const D = input.effectiveOn;
          await this.write(SQL.closeMemberPeriods, [D, action.memberIds, D]);
          await this.write(SQL.correctMemberPeriods, [to, action.memberIds, D]);
          await this.write(SQL.openMemberPeriods, [to, D, decision.number, decision.date, decision.issuedBy, input.reason.trim(), record.id, action.memberIds]);
          await this.write(SQL.setMemberUnit, [to, action.memberIds]);
          break;
        }
      }
    }
    const byTarget = new Map<string, string[]>();
    for (const t of planned.transfers) byTarget.set(idOf(t.to), [...(byTarget.get(idOf(t.to)) ?? []), t.id]);
    for (const [to, ids] of byTarget) await this.write(SQL.redirectTransfers, [to, ids]);
    if (planned.ended.length) {
      await this.write(SQL.resendTransfers, [planned.ended]);
      await this.write(SQL.endPosts, [input.effectiveOn, input.reason.trim(), planned.ended]);
      await this.write(SQL.handOverPosts, [planned.ended]);
      await this.write(SQL.handOverPlanning, [planned.ended, Number(input.effectiveOn.slice(0, 4))]);
    }
    const deactivated = planned.accounts.filter((a) => a.outcome === 'DEACTIVATED').map((a) => a.accountId);
    if (deactivated.length) await this.write(SQL.deactivateAccounts, [deactivated]);
    for (const a of planned.accounts) if (a.to) await this.write(SQL.rehomeAccount, [idOf(a.to), a.accountId]);
    if (planned.lineage.length) {
      await this.write(SQL.insertLineage, [
        record.id,
        planned.lineage.map((l) => l.step + 1),
        planned.lineage.map((l) => l.kind),
        planned.lineage.map((l) => l.unitId),
        planned.lineage.map((l) => (l.to ? idOf(l.to) : null)),
      ]);
    }
    // The facts of the members below moved units, now rather than at commit (migration 27).
    for (let remaining = 1; remaining > 0; ) {
      remaining = Number((await this.write<{ remaining: number }>(SQL.rebuildMovedFacts, []))[0].remaining);
    }
    await this.read(SQL.clearEffectiveOn, []);

    const after = await this.figures(planned.reportUnits.map(idOf));
    return {
      dryRun,
      reorganisation: dryRun
        ? null
        : { id: record.id, effectiveOn: input.effectiveOn, decision, reason: input.reason.trim(), unitId: deepestCommonUnit(paths) ?? this.account.unitId },
      createdUnits: dryRun ? [] : [...created].map(([key, row]) => ({ key, id: row.id, code: row.code })),
      units: this.reportUnits(input, planned, facts, before, after, created),
      problems: [],
      userErrors: [],
    };
  }

  private refused(dryRun: boolean, problems: Problem[], units: ReorganisationUnitReport[]): ReorganiseUnitsPayload {
    const errors = problems.map(asUserError);
    return { dryRun, reorganisation: null, createdUnits: [], units, problems: errors, userErrors: errors };
  }

  /** What the plan is checked against, read in the caller's scope (row-level security and the scope predicate). */
  private async facts(plan: PlanInput): Promise<PlanFacts> {
    const scope = this.account.scope.path;
    const sources = sourceUnitIds(plan);
    const [units, members, accounts, transfers] = [
      await this.read<KnownUnit>(SQL.units, [namedUnitIds(plan), sources, scope]),
      await this.read<KnownMember>(SQL.members, [sources, scope]),
      await this.read<KnownAccount>(SQL.accounts, [sources, (plan.rehomeAccounts ?? []).map((r) => r.accountId).filter(isId), scope]),
      await this.read<{ id: string; toUnitId: string }>(SQL.pendingTransfersTo, [sources, scope]),
    ];
    return {
      today: this.today,
      ownUnitId: this.account.unitId,
      units: new Map(units.map((u) => [u.id, u])),
      members,
      accounts,
      pendingTransfersTo: transfers,
    };
  }

  private async figures(ids: string[]): Promise<Map<string, Figures>> {
    if (!ids.length) return new Map();
    const rows = await this.read<Figures>(SQL.report, [ACTIVE_STATUSES, ids, this.account.scope.path]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The report: each unit involved, with its figures before and (when carried out) after, and its accounts. */
  private reportUnits(
    input: ReorganiseUnitsInput,
    plan: Plan,
    facts: PlanFacts,
    before: Map<string, Figures>,
    after: Map<string, Figures> | null,
    created: Map<string, { id: string; code: string }>,
  ): ReorganisationUnitReport[] {
    const dryRun = !!input.dryRun;
    return plan.reportUnits.map((t) => {
      const isNew = t.key !== undefined;
      const id = isNew ? created.get(t.key)?.id : t.id;
      const was = !isNew ? before.get(t.id) : undefined;
      const now = id ? after?.get(id) : undefined;
      const spec = isNew ? (input.newUnits ?? []).find((u) => u.key === t.key) : undefined;
      const known = !isNew ? facts.units.get(t.id) : undefined;
      return {
        unitId: isNew ? (dryRun ? null : (id ?? null)) : t.id,
        key: isNew ? t.key : null,
        code: now?.code ?? known?.code ?? null,
        name: now?.name ?? known?.name ?? spec?.name.trim() ?? '',
        kind: (now?.kind ?? known?.kind ?? spec?.kind) as UnitKind,
        ends: plan.ended.includes(targetKey(t)),
        membersBefore: was?.members ?? 0,
        members: after ? (now?.members ?? 0) : null,
        cellsBefore: was?.cells ?? 0,
        cells: after ? (now?.cells ?? 0) : null,
        accounts: plan.accounts
          .filter((a) => a.unitId === targetKey(t))
          .map((a) => ({
            accountId: a.accountId,
            username: a.username,
            outcome: AccountOutcomeKind[a.outcome],
            toUnitId: a.to ? (a.to.id ?? (dryRun ? null : (created.get(a.to.key!)?.id ?? null))) : null,
            toKey: a.to?.key ?? null,
          })),
      };
    });
  }
}
