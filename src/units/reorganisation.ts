import { validateDecision, validateDecisionDate } from '../graphql/decision';
import { isId } from '../graphql/ids';
import { DATE_RANGE } from '../graphql/scalars';
import type { ReorganisationKind } from './lineage.types';

/**
 * The party rules of a reorganisation of units (sắp xếp tổ chức: sáp nhập, chia tách, đổi tên,
 * điều chuyển, giải thể), docs/domain.md. Pure: the service loads what the plan names (units,
 * their children and members, accounts, pending transfers) as `PlanFacts`, and this file checks
 * the plan against them and turns it into the ordered list of writes the service sends. Nothing
 * here reads the database, so every rule has its fast test beside it.
 *
 * The steps are applied in order to a model of the tree (the units the plan names, their
 * ancestors and children), so a step sees what the earlier ones did: a unit merged in step 1 is
 * ended for step 2, a cell moved under a ward in step 1 is one of its children in step 2.
 */

export type StepKind = `${ReorganisationKind}`;
export type UnitKindLabel = 'CITY' | 'DISTRICT' | 'WARD' | 'CELL';

/** What is wrong, and where in the input (`['input', 'steps', 2, 'units', 0]`). */
export interface Problem {
  code: 'INVALID' | 'REQUIRED' | 'NOT_FOUND';
  message: string;
  field: (string | number)[];
}

export interface UnitRef {
  id?: string | null;
  key?: string | null;
}

export interface PlanInput {
  effectiveOn: string;
  decision: { number: string; date: string; issuedBy: string };
  reason: string;
  newUnits?: readonly { key: string; name: string; kind: UnitKindLabel; parent: UnitRef }[] | null;
  steps: readonly {
    kind: StepKind;
    units: readonly string[];
    into?: readonly UnitRef[] | null;
    name?: string | null;
    parent?: UnitRef | null;
    assign?: readonly { unitId?: string | null; memberId?: string | null; to: UnitRef }[] | null;
  }[];
  rehomeAccounts?: readonly { accountId: string; to: UnitRef }[] | null;
}

/** A unit as the database has it before the operation (in the caller's scope). */
export interface KnownUnit {
  id: string;
  code: string;
  name: string;
  kind: UnitKindLabel;
  parentId: string | null;
  /** ltree of ids, "1.3.40". */
  path: string;
  validTo: string | null;
  /** Start of its current period in the tree's history (null: since before the records). */
  periodFrom: string | null;
  /** The latest start of a period of any unit below it (null: none). */
  subtreeFrom: string | null;
}

/** A member registered directly in a unit the plan ends or splits, with an open unit period. */
export interface KnownMember {
  id: string;
  unitId: string;
  /** Start of the open unit period. */
  periodFrom: string;
}

export interface KnownAccount {
  id: string;
  username: string;
  unitId: string;
  active: boolean;
}

export interface PlanFacts {
  today: string;
  /** The caller's own unit: its structure is decided by the level above. */
  ownUnitId: string;
  /** The units the plan names, their ancestors in scope and the alive children of its sources. */
  units: ReadonlyMap<string, KnownUnit>;
  members: readonly KnownMember[];
  /** Active accounts of the units the plan may end, and the accounts it rehomes. */
  accounts: readonly KnownAccount[];
  /** Pending transfers into the units the plan may end. */
  pendingTransfersTo: readonly { id: string; toUnitId: string }[];
}

/** A unit of the operation: an existing one (`id`) or one it creates (`key`). */
export type Target = { id: string; key?: undefined } | { key: string; id?: undefined };

/** One write, in the order the service sends them. */
export type Action =
  | { kind: 'setParent'; unitId: string; parent: Target }
  | { kind: 'rename'; unitId: string; name: string }
  | { kind: 'moveMembers'; memberIds: string[]; to: Target }
  | { kind: 'end'; unitId: string };

export interface LineageRow {
  step: number;
  kind: StepKind;
  unitId: string;
  to: Target | null;
}

export interface AccountOutcome {
  accountId: string;
  username: string;
  /** The unit that ends. */
  unitId: string;
  outcome: 'DEACTIVATED' | 'REHOMED';
  to: Target | null;
}

export interface Plan {
  problems: Problem[];
  /** New units, parents first. */
  newUnits: { key: string; name: string; kind: UnitKindLabel; parent: Target }[];
  actions: Action[];
  lineage: LineageRow[];
  /** Units that end (valid_to = effectiveOn). */
  ended: string[];
  accounts: AccountOutcome[];
  /** Pending transfers into an ended unit, and the unit they now go to. */
  transfers: { id: string; to: Target }[];
  /** Units the report covers, in order: the steps' units and their targets, new ones by key. */
  reportUnits: Target[];
  /** Existing units whose paths decide where the reorganisation is filed (sources, targets, new parents). */
  involved: string[];
}

/** Limits of one operation: a city's reform is a few hundred units. */
export const REORGANISATION_LIMITS = { newUnits: 500, steps: 500, unitsNamed: 5000, assignments: 5000, rehomeAccounts: 500, nameLength: 300 } as const;

const same = (a: Target | null, b: Target | null) => !!a && !!b && (a.id !== undefined ? a.id === b.id : a.key === b.key);
const nodeOf = (t: Target) => (t.id !== undefined ? t.id : `new:${t.key}`);
const STEP_NOUN: Record<StepKind, string> = { MERGE: 'merged', SPLIT: 'split', RENAME: 'renamed', MOVE: 'moved', DISSOLVE: 'dissolved' };

/**
 * The checks that need no database: the decision, the reason, the dates, the shape of each step,
 * the keys of new units. Each problem names its field.
 */
export function inputProblems(input: PlanInput, today: string): Problem[] {
  const problems: Problem[] = [];
  const add = (code: Problem['code'], message: string, ...field: (string | number)[]) => problems.push({ code, message, field: ['input', ...field] });
  // The decision: the checks every decision passes, and dated not after the day it takes effect.
  const afterEffect = validateDecisionDate(input.decision, { notAfter: [{ date: input.effectiveOn, what: 'the day the reorganisation takes effect' }] });
  const decisionProblems = [
    // One problem for the date: after the effective day says more than "in the future".
    ...validateDecision(input.decision, today).filter((e) => !afterEffect.length || e.field?.at(-1) !== 'date'),
    ...afterEffect,
  ];
  for (const e of decisionProblems) problems.push({ code: e.code as Problem['code'], message: e.message, field: e.field ?? ['input', 'decision'] });
  if (!input.reason.trim()) add('REQUIRED', 'Give the reason for the reorganisation (lý do).', 'reason');
  if (input.effectiveOn > today) add('INVALID', 'A reorganisation takes effect today or on a past day, not in the future.', 'effectiveOn');
  if (input.effectiveOn < DATE_RANGE.from) add('INVALID', `A reorganisation takes effect on ${DATE_RANGE.from} or later.`, 'effectiveOn');

  const newUnits = input.newUnits ?? [];
  const steps = input.steps;
  const rehome = input.rehomeAccounts ?? [];
  if (newUnits.length > REORGANISATION_LIMITS.newUnits) add('INVALID', `At most ${REORGANISATION_LIMITS.newUnits} new units in one operation.`, 'newUnits');
  if (steps.length > REORGANISATION_LIMITS.steps) add('INVALID', `At most ${REORGANISATION_LIMITS.steps} steps in one operation.`, 'steps');
  if (rehome.length > REORGANISATION_LIMITS.rehomeAccounts) add('INVALID', `At most ${REORGANISATION_LIMITS.rehomeAccounts} accounts in one operation.`, 'rehomeAccounts');
  // Every list of the input is bounded before any check walks it: the checks are linear, but a
  // request of a million ids would still hold the server.
  const named = steps.reduce((n, s) => n + s.units.length + (s.into?.length ?? 0), 0);
  if (named > REORGANISATION_LIMITS.unitsNamed) add('INVALID', `At most ${REORGANISATION_LIMITS.unitsNamed} units named in the steps of one operation.`, 'steps');
  const assignments = steps.reduce((n, s) => n + (s.assign?.length ?? 0), 0);
  if (assignments > REORGANISATION_LIMITS.assignments) add('INVALID', `At most ${REORGANISATION_LIMITS.assignments} assignments in one operation.`, 'steps');
  if (problems.some((p) => p.message.startsWith('At most'))) return problems;
  if (!steps.length) add('REQUIRED', 'Give at least one step.', 'steps');

  const keys = new Set<string>();
  newUnits.forEach((u, i) => {
    if (!u.key.trim()) add('REQUIRED', 'Give the new unit a key, to name it in the steps.', 'newUnits', i, 'key');
    else if (keys.has(u.key)) add('INVALID', `The key "${u.key}" is given to two new units.`, 'newUnits', i, 'key');
    keys.add(u.key);
    if (!u.name.trim()) add('REQUIRED', 'Give the new unit a name.', 'newUnits', i, 'name');
    else if (u.name.trim().length > REORGANISATION_LIMITS.nameLength) add('INVALID', `A unit name has at most ${REORGANISATION_LIMITS.nameLength} characters.`, 'newUnits', i, 'name');
  });

  /** Whether a step other than `step` sends something into the new unit `key`. */
  const receivesElsewhere = (key: string | null | undefined, step: number) =>
    !!key && steps.some((s, j) => j !== step && (s.into ?? []).some((ref) => ref.key === key));

  steps.forEach((step, i) => {
    const into = step.into ?? [];
    const at = (...field: (string | number)[]) => ['steps', i, ...field];
    if (!step.units.length) add('REQUIRED', 'Name the unit(s) the step acts on.', ...at('units'));
    const oneUnit = step.kind !== 'MERGE' && step.units.length > 1;
    if (oneUnit) add('INVALID', `A ${step.kind} step acts on exactly one unit.`, ...at('units'));
    const seen = new Set<string>();
    const dupe = step.units.findIndex((u) => seen.size === seen.add(u).size);
    if (dupe >= 0) add('INVALID', 'The same unit is named twice in this step.', ...at('units', dupe));
    switch (step.kind) {
      case 'MERGE':
        if (into.length !== 1) add('INVALID', 'A merge (sáp nhập) goes into exactly one unit.', ...at('into'));
        // One unit into a new one is a rename, unless the new unit also takes part of a split of
        // the same operation (Phường Liên Chiểu: Hòa Khánh Bắc and part of Hòa Liên).
        else if (step.units.length < 2 && !into[0].id && !receivesElsewhere(into[0].key, i))
          add('INVALID', 'A merge into a new unit takes at least two units, or one and a part of a split; to give one unit a new name, rename it.', ...at('units'));
        break;
      case 'SPLIT':
        if (into.length < 2) add('INVALID', 'A split (chia tách) goes into at least two units.', ...at('into'));
        break;
      case 'DISSOLVE':
        if (into.length > 1) add('INVALID', 'A dissolved unit (giải thể) has at most one successor.', ...at('into'));
        break;
      case 'RENAME':
        if (!step.name?.trim()) add('REQUIRED', 'Give the new name (tên mới).', ...at('name'));
        else if (step.name.trim().length > REORGANISATION_LIMITS.nameLength) add('INVALID', `A unit name has at most ${REORGANISATION_LIMITS.nameLength} characters.`, ...at('name'));
        break;
      case 'MOVE':
        if (!step.parent) add('REQUIRED', 'Give the unit to move it under (đơn vị cấp trên mới).', ...at('parent'));
        break;
    }
    if (step.kind !== 'MERGE' && step.kind !== 'SPLIT' && step.kind !== 'DISSOLVE' && into.length) add('INVALID', `A ${step.kind} step has no into.`, ...at('into'));
    if (step.kind !== 'RENAME' && step.name != null) add('INVALID', 'Only a RENAME step takes a name.', ...at('name'));
    if (step.kind !== 'MOVE' && step.parent) add('INVALID', 'Only a MOVE step takes a parent.', ...at('parent'));
    if (step.kind !== 'SPLIT' && step.assign?.length) add('INVALID', 'Only a SPLIT step assigns units and members.', ...at('assign'));
    (step.assign ?? []).forEach((a, k) => {
      if ((a.unitId == null) === (a.memberId == null)) add('INVALID', 'Give exactly one of unitId or memberId.', ...at('assign', k));
    });
  });
  return problems;
}

/** Ids of the existing units the plan names (to load with their ancestors). */
export function namedUnitIds(input: PlanInput): string[] {
  const ids = new Set<string>();
  const ref = (r: UnitRef | null | undefined) => r?.id != null && isId(r.id) && ids.add(r.id);
  for (const u of input.newUnits ?? []) ref(u.parent);
  for (const s of input.steps) {
    for (const id of s.units) if (isId(id)) ids.add(id);
    (s.into ?? []).forEach(ref);
    ref(s.parent);
    for (const a of s.assign ?? []) ref(a.to);
  }
  for (const r of input.rehomeAccounts ?? []) ref(r.to);
  return [...ids];
}

/** Units whose children, members, accounts and transfers the plan may need: the steps' units. */
export function sourceUnitIds(input: PlanInput): string[] {
  return [...new Set(input.steps.flatMap((s) => s.units.filter(isId)))];
}

interface Node {
  id: string;
  kind: UnitKindLabel;
  parentId: string | null;
  name: string;
  /** The step that ended it, if one did. */
  endedBy: number | null;
  known: KnownUnit | null;
}

/**
 * Checks the plan against the facts, applying its steps in order to a model of the tree, and
 * gives the writes that carry it out. When `problems` is not empty nothing may be written.
 */
export function planReorganisation(input: PlanInput, facts: PlanFacts): Plan {
  const D = input.effectiveOn;
  const problems: Problem[] = [];
  // The same problem found twice (two steps meeting the same unit) is reported once.
  const reported = new Set<string>();
  const add = (code: Problem['code'], message: string, field: (string | number)[]) => {
    const key = `${field.join('.')}|${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ code, message, field: ['input', ...field] });
  };
  const notFound = (field: (string | number)[]) => add('NOT_FOUND', 'No such unit in your scope.', field);

  const nodes = new Map<string, Node>();
  for (const u of facts.units.values()) {
    nodes.set(u.id, { id: u.id, kind: u.kind, parentId: u.parentId, name: u.name, endedBy: u.validTo ? -1 : null, known: u });
  }
  const memberUnit = new Map<string, string>(facts.members.map((m) => [m.id, m.unitId]));
  /** Where each member was registered before the plan (memberUnit follows the plan's moves). */
  const registeredIn = new Map<string, string>(memberUnit);
  const memberFrom = new Map<string, string>(facts.members.map((m) => [m.id, m.periodFrom]));
  /** Where in the input each unit or member was last placed (for a problem found at the end). */
  const placedAt = new Map<string, (string | number)[]>();
  const actions: Action[] = [];
  const lineage: LineageRow[] = [];
  const ended: string[] = [];
  const successors = new Map<string, Target[]>();
  const reportUnits: Target[] = [];
  const involved = new Set<string>();
  const datedProblems = new Set<string>();
  const report = (t: Target) => {
    if (!reportUnits.some((r) => same(r, t))) reportUnits.push(t);
  };

  const ancestors = (node: string): string[] => {
    const seen: string[] = [];
    // The model holds every ancestor in scope of the units it names, and every unit a step places.
    for (let n = nodes.get(node); n?.parentId && !seen.includes(n.parentId); n = nodes.get(n.parentId)) seen.push(n.parentId);
    return seen;
  };
  const isBelow = (node: string, unit: string) => ancestors(node).includes(unit);
  const childrenOf = (unit: string) => [...nodes.values()].filter((n) => n.parentId === unit && n.endedBy === null).map((n) => n.id);
  const membersOf = (unit: string) => [...memberUnit.entries()].filter(([, u]) => u === unit).map(([m]) => m);

  /** An existing unit changed on D must not have changed on or after D (a date before a later change). */
  const changedOn = (unitId: string, field: (string | number)[], subtree: boolean) => {
    const known = facts.units.get(unitId);
    if (!known) return;
    const own = known.periodFrom && known.periodFrom >= D ? known.periodFrom : null;
    const below = subtree && known.subtreeFrom && known.subtreeFrom > D ? known.subtreeFrom : null;
    const later = own ?? below;
    if (later && !datedProblems.has(unitId)) {
      datedProblems.add(unitId);
      add('INVALID', `${known.code} ${own ? 'changed' : 'has a unit below it that changed'} on ${later}: a reorganisation cannot take effect on ${D}, on or before a later change of the tree.`, field);
    }
  };

  /** An existing unit named in the input: found in scope, not ended. */
  const existing = (id: string, field: (string | number)[]): Node | null => {
    const node = isId(id) ? nodes.get(id) : undefined;
    if (!node?.known) {
      notFound(field);
      return null;
    }
    if (node.endedBy === -1) {
      add('INVALID', `${node.known.code} ended on ${node.known.validTo}.`, field);
      return null;
    }
    if (node.endedBy !== null) {
      add('INVALID', `${node.known.code} ends in step ${node.endedBy + 1} of this operation and cannot be used after it.`, field);
      return null;
    }
    return node;
  };

  const newKeys = new Map<string, number>();
  const resolve = (ref: UnitRef | null | undefined, field: (string | number)[], involve = true): Target | null => {
    if (!ref) return null;
    if ((ref.id == null) === (ref.key == null)) {
      add('INVALID', 'Give exactly one of id (an existing unit) or key (a new unit of this operation).', field);
      return null;
    }
    if (ref.key != null) {
      const node = nodes.get(`new:${ref.key}`);
      if (!newKeys.has(ref.key) || !node) {
        add('NOT_FOUND', `No new unit has the key "${ref.key}" (a parent is defined before the units under it).`, [...field, 'key']);
        return null;
      }
      if (node.endedBy !== null) {
        add('INVALID', `The new unit "${ref.key}" ends in step ${node.endedBy + 1} of this operation.`, [...field, 'key']);
        return null;
      }
      return { key: ref.key };
    }
    const node = existing(ref.id!, [...field, 'id']);
    if (node && involve) involved.add(node.id);
    return node ? { id: node.id } : null;
  };
  const kindOf = (t: Target) => nodes.get(nodeOf(t))!.kind;
  const label = (t: Target) => (t.id !== undefined ? (facts.units.get(t.id)?.code ?? t.id) : `"${t.key}"`);

  // New units first, parents before the units under them.
  const newUnits: Plan['newUnits'] = [];
  (input.newUnits ?? []).forEach((u, i) => {
    const parent = resolve(u.parent, ['newUnits', i, 'parent']);
    if (parent && kindOf(parent) === 'CELL') add('INVALID', 'A cell (chi bộ) has no units below it.', ['newUnits', i, 'parent']);
    newKeys.set(u.key, i);
    nodes.set(`new:${u.key}`, { id: `new:${u.key}`, kind: u.kind, parentId: parent ? nodeOf(parent) : null, name: u.name.trim(), endedBy: null, known: null });
    placedAt.set(`new:${u.key}`, ['newUnits', i, 'parent']);
    if (parent) newUnits.push({ key: u.key, name: u.name.trim(), kind: u.kind, parent });
  });

  /** Steps each unit was the subject of, to refuse conflicting uses. */
  const subjectOf = new Map<string, { step: number; kind: StepKind }[]>();

  /** Moves a unit under another: a child of an ended or split unit, or a MOVE. */
  const place = (unitId: string, parent: Target, field: (string | number)[], how: string) => {
    const parentNode = nodeOf(parent);
    if (kindOf(parent) === 'CELL') {
      add('INVALID', `${label(parent)} is a cell (chi bộ): no unit goes below it (${how} ${facts.units.get(unitId)?.code ?? unitId}).`, field);
      return;
    }
    if (parentNode === unitId || isBelow(parentNode, unitId)) {
      add('INVALID', `${label(parent)} is ${parentNode === unitId ? 'the unit itself' : 'below the unit'}: a unit cannot be placed under its own subtree.`, field);
      return;
    }
    changedOn(unitId, field, true);
    nodes.get(unitId)!.parentId = parentNode;
    placedAt.set(unitId, field);
    actions.push({ kind: 'setParent', unitId, parent });
  };

  const moveMembers = (from: string, memberIds: string[], to: Target, field: (string | number)[]) => {
    if (!memberIds.length) return;
    if (kindOf(to) !== 'CELL') {
      add('INVALID', `A member is registered in a cell (chi bộ); ${label(to)} is not one (${memberIds.length} member(s) of ${facts.units.get(from)?.code ?? from}).`, field);
      return;
    }
    for (const m of memberIds) {
      const start = memberFrom.get(m);
      if (start && start >= D && registeredIn.get(m) === from) {
        add('INVALID', `Member ${m} is registered in ${facts.units.get(from)?.code ?? from} since ${start}: a reorganisation cannot move the member on ${D}, on or before a later change.`, field);
      }
      memberUnit.set(m, nodeOf(to));
      placedAt.set(`member:${m}`, field);
    }
    actions.push({ kind: 'moveMembers', memberIds, to });
  };

  const end = (unitId: string, step: number, field: (string | number)[]) => {
    changedOn(unitId, field, false);
    nodes.get(unitId)!.endedBy = step;
    ended.push(unitId);
    actions.push({ kind: 'end', unitId });
  };

  /** Everything of `source` goes into `target`, then the source ends (merge, dissolve with a successor). */
  const mergeInto = (i: number, kind: StepKind, source: string, target: Target, field: (string | number)[], intoField: (string | number)[]) => {
    if (nodeOf(target) === source || isBelow(nodeOf(target), source)) {
      add('INVALID', `${label(target)} is ${nodeOf(target) === source ? 'the unit itself' : 'below the unit'}: a unit does not go into its own subtree.`, intoField);
      return;
    }
    const children = childrenOf(source);
    if (children.length && kindOf(target) === 'CELL') {
      add('INVALID', `${label(target)} is a cell (chi bộ): the ${children.length} unit(s) below ${facts.units.get(source)?.code ?? source} cannot go below it.`, intoField);
    } else {
      for (const child of children) place(child, target, intoField, 'moving');
    }
    moveMembers(source, membersOf(source), target, intoField);
    end(source, i, field);
    successors.set(source, [target]);
    lineage.push({ step: i, kind, unitId: source, to: target });
  };

  input.steps.forEach((step, i) => {
    const at = (...field: (string | number)[]) => ['steps', i, ...field];
    const subjects: Node[] = [];
    step.units.forEach((id, j) => {
      const node = existing(id, at('units', j));
      if (!node) return;
      if (node.id === facts.ownUnitId) {
        add('INVALID', `${node.known!.code} is your own unit: its reorganisation is decided by the level above.`, at('units', j));
        return;
      }
      const earlier = subjectOf.get(node.id) ?? [];
      const clash = earlier.find((e) => e.kind === step.kind || !['RENAME', 'MOVE'].includes(e.kind) || !['RENAME', 'MOVE'].includes(step.kind));
      if (clash) {
        add('INVALID', `${node.known!.code} is already ${STEP_NOUN[clash.kind]} in step ${clash.step + 1}; a unit is the subject of one step, or of one rename and one move.`, at('units', j));
        return;
      }
      subjectOf.set(node.id, [...earlier, { step: i, kind: step.kind }]);
      involved.add(node.id);
      report({ id: node.id });
      subjects.push(node);
    });
    const into = (step.into ?? []).map((ref, k) => resolve(ref, at('into', k)));
    into.forEach((t, k) => {
      if (t) report(t);
      if (t && into.findIndex((o) => same(o, t)) !== k) add('INVALID', 'The same unit is named twice in into.', at('into', k));
    });
    if (subjects.length !== step.units.length || into.some((t) => !t)) return;
    const targets = into as Target[];

    switch (step.kind) {
      case 'MERGE': {
        if (targets.length !== 1) return;
        const target = targets[0];
        if (subjects.some((s) => same({ id: s.id }, target))) {
          add('INVALID', 'A unit is not merged into itself: name the target in into only.', at('into', 0));
          return;
        }
        subjects.forEach((s, j) => mergeInto(i, 'MERGE', s.id, target, at('units', j), at('into', 0)));
        return;
      }
      case 'DISSOLVE': {
        const source = subjects[0];
        if (targets.length === 1) {
          mergeInto(i, 'DISSOLVE', source.id, targets[0], at('units', 0), at('into', 0));
          return;
        }
        const children = childrenOf(source.id);
        const members = membersOf(source.id);
        if (children.length || members.length) {
          add('INVALID', `${source.known!.code} still has ${children.length} unit(s) and ${members.length} member(s): give a successor in into (giải thể và sáp nhập) or move them first.`, at('units', 0));
          return;
        }
        end(source.id, i, at('units', 0));
        successors.set(source.id, []);
        lineage.push({ step: i, kind: 'DISSOLVE', unitId: source.id, to: null });
        return;
      }
      case 'SPLIT': {
        const source = subjects[0];
        if (targets.some((t) => nodeOf(t) === source.id)) {
          add('INVALID', 'A unit is not split into itself.', at('into'));
          return;
        }
        targets.forEach((t, k) => {
          if (isBelow(nodeOf(t), source.id)) add('INVALID', `${label(t)} is below the unit: a unit is not split into its own subtree.`, at('into', k));
        });
        const children = new Set(childrenOf(source.id));
        const members = new Set(membersOf(source.id));
        const assigned = new Map<string, Target>();
        const toUnits = new Map<Target, string[]>();
        (step.assign ?? []).forEach((a, k) => {
          const to = resolve(a.to, at('assign', k, 'to'));
          if (!to) return;
          const chosen = targets.find((t) => same(t, to));
          if (!chosen) {
            add('INVALID', `${label(to)} is not one of the units the split goes into.`, at('assign', k, 'to'));
            return;
          }
          const what = a.unitId != null ? `unit:${a.unitId}` : `member:${a.memberId}`;
          if (a.unitId != null && !children.has(a.unitId)) {
            add('NOT_FOUND', `No unit directly below ${source.known!.code} has this id.`, at('assign', k, 'unitId'));
            return;
          }
          if (a.memberId != null && !members.has(a.memberId)) {
            add('NOT_FOUND', `No member registered directly in ${source.known!.code} (with an open unit period) has this id.`, at('assign', k, 'memberId'));
            return;
          }
          if (assigned.has(what)) {
            add('INVALID', `${a.unitId != null ? `Unit ${facts.units.get(a.unitId)?.code ?? a.unitId}` : `Member ${a.memberId}`} is assigned twice.`, at('assign', k));
            return;
          }
          assigned.set(what, chosen);
        });
        const left = [
          ...[...children].filter((c) => !assigned.has(`unit:${c}`)).map((c) => facts.units.get(c)?.code ?? c),
          ...[...members].filter((m) => !assigned.has(`member:${m}`)).map((m) => `member ${m}`),
        ];
        if (left.length) {
          add('INVALID', `Every unit below ${source.known!.code} and every member registered in it goes to one of the new units; not assigned: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ` and ${left.length - 20} more` : ''}.`, at('assign'));
        }
        for (const [what, to] of assigned) {
          const [type, id] = what.split(':');
          if (type === 'unit') place(id, to, at('assign'), 'assigning');
          else toUnits.set(to, [...(toUnits.get(to) ?? []), id]);
        }
        for (const [to, ids] of toUnits) moveMembers(source.id, ids, to, at('assign'));
        end(source.id, i, at('units', 0));
        successors.set(source.id, targets);
        for (const t of targets) lineage.push({ step: i, kind: 'SPLIT', unitId: source.id, to: t });
        return;
      }
      case 'RENAME': {
        const source = subjects[0];
        const name = step.name!.trim();
        if (name === source.name) {
          add('INVALID', `${source.known!.code} already has this name.`, at('name'));
          return;
        }
        changedOn(source.id, at('units', 0), false);
        source.name = name;
        actions.push({ kind: 'rename', unitId: source.id, name });
        lineage.push({ step: i, kind: 'RENAME', unitId: source.id, to: { id: source.id } });
        return;
      }
      case 'MOVE': {
        const source = subjects[0];
        const parent = resolve(step.parent, at('parent'));
        if (!parent) return;
        if (nodeOf(parent) === source.parentId) {
          add('INVALID', `${source.known!.code} is already under ${label(parent)}.`, at('parent'));
          return;
        }
        place(source.id, parent, at('parent'), 'moving');
        lineage.push({ step: i, kind: 'MOVE', unitId: source.id, to: { id: source.id } });
        return;
      }
    }
  });

  // Nothing is left under a unit that ends, nor registered in one.
  for (const node of nodes.values()) {
    if (node.endedBy !== null || !node.parentId) continue;
    const parent = nodes.get(node.parentId);
    if (parent && parent.endedBy !== null && parent.endedBy !== -1 && placedAt.has(node.id)) {
      add('INVALID', `${parent.known?.code ?? parent.id} ends in step ${parent.endedBy + 1}, but a unit is placed under it.`, placedAt.get(node.id)!);
    }
  }
  for (const [member, unit] of memberUnit) {
    const node = nodes.get(unit);
    if (node && node.endedBy !== null && node.endedBy !== -1 && placedAt.has(`member:${member}`)) {
      add('INVALID', `${node.known?.code ?? node.id} ends in step ${node.endedBy + 1}, but members are moved into it.`, placedAt.get(`member:${member}`)!);
    }
  }

  // Pending transfers into an ended unit go to its successor when it has exactly one (through a chain of merges).
  const finalSuccessor = (unit: string): Target | null | 'many' => {
    let current: Target = { id: unit };
    for (let guard = 0; guard < 1000; guard++) {
      const next = successors.get(nodeOf(current));
      if (!next) return current;
      if (next.length === 0) return null;
      if (next.length > 1) return 'many';
      current = next[0];
    }
    return null;
  };
  const transfers: Plan['transfers'] = [];
  for (const t of facts.pendingTransfersTo) {
    if (!ended.includes(t.toUnitId)) continue;
    const to = finalSuccessor(t.toUnitId);
    const field = problemFieldOf(input, t.toUnitId);
    if (to === 'many') add('INVALID', `Transfer ${t.id} awaits arrival in ${facts.units.get(t.toUnitId)?.code ?? t.toUnitId}, which is split: confirm or cancel it first, or have it issued again to one of the new units.`, field);
    else if (!to) add('INVALID', `Transfer ${t.id} awaits arrival in ${facts.units.get(t.toUnitId)?.code ?? t.toUnitId}, which is dissolved without a successor: confirm or cancel it first.`, field);
    else if (kindOf(to) !== 'CELL') add('INVALID', `Transfer ${t.id} awaits arrival in ${facts.units.get(t.toUnitId)?.code ?? t.toUnitId}, whose successor ${label(to)} is not a cell.`, field);
    else transfers.push({ id: t.id, to });
  }

  // Accounts of units that end: rehomed when listed, else deactivated.
  const rehomed = new Map<string, Target>();
  (input.rehomeAccounts ?? []).forEach((r, k) => {
    const account = facts.accounts.find((a) => a.id === r.accountId);
    if (!account || !isId(r.accountId)) {
      add('NOT_FOUND', 'No such account in your scope.', ['rehomeAccounts', k, 'accountId']);
      return;
    }
    if (!ended.includes(account.unitId)) {
      add('INVALID', `The unit of ${account.username} does not end in this operation; only accounts of units that end are moved here.`, ['rehomeAccounts', k, 'accountId']);
      return;
    }
    if (rehomed.has(account.id)) {
      add('INVALID', `${account.username} is listed twice.`, ['rehomeAccounts', k, 'accountId']);
      return;
    }
    const to = resolve(r.to, ['rehomeAccounts', k, 'to'], false);
    if (!to) return;
    const node = nodes.get(nodeOf(to));
    if (node && node.endedBy !== null) {
      add('INVALID', `${label(to)} ends in this operation: an account is moved to a unit that stays.`, ['rehomeAccounts', k, 'to']);
      return;
    }
    rehomed.set(account.id, to);
  });
  const accounts: AccountOutcome[] = facts.accounts
    .filter((a) => a.active && ended.includes(a.unitId))
    .map((a) => {
      const to = rehomed.get(a.id) ?? null;
      return { accountId: a.id, username: a.username, unitId: a.unitId, outcome: to ? ('REHOMED' as const) : ('DEACTIVATED' as const), to };
    });

  return {
    problems,
    newUnits,
    actions,
    lineage,
    ended,
    accounts,
    transfers,
    reportUnits: [...reportUnits, ...newUnits.map((u) => ({ key: u.key })).filter((t) => !reportUnits.some((r) => same(r, t)))],
    involved: [...involved, ...newUnits.flatMap((u) => (u.parent.id !== undefined ? [u.parent.id] : []))],
  };
}

/** Where in the input a unit is acted on (for a problem about it found after the steps). */
function problemFieldOf(input: PlanInput, unitId: string): (string | number)[] {
  for (let i = 0; i < input.steps.length; i++) {
    const j = input.steps[i].units.indexOf(unitId);
    if (j >= 0) return ['steps', i, 'units', j];
  }
  return ['steps'];
}

/**
 * The deepest unit whose path is an ancestor-or-self of every path given ("1.3.40", "1.3.41.7" →
 * "3"): where the reorganisation is filed, so its record and audit are seen by whoever sees all
 * of it. Null for no paths.
 */
export function deepestCommonUnit(paths: readonly string[]): string | null {
  if (!paths.length) return null;
  let common = paths[0].split('.');
  for (const path of paths.slice(1)) {
    const ids = path.split('.');
    let n = 0;
    while (n < common.length && n < ids.length && common[n] === ids[n]) n++;
    common = common.slice(0, n);
  }
  return common.length ? common[common.length - 1] : null;
}

/** A target as one string ("12" for an existing unit, "new:KEY" for a new one), for maps keyed by unit. */
export { nodeOf as targetKey };
