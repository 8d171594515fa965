import { describe, expect, it } from 'vitest';
import {
  deepestCommonUnit,
  inputProblems,
  namedUnitIds,
  planReorganisation,
  type KnownUnit,
  type PlanFacts,
  type PlanInput,
} from './reorganisation';

const TODAY = '2026-11-20';
const D = '2025-07-01';
const decision = { number: '1-QĐ/TU', date: '2025-06-20', issuedBy: 'Ban Thường vụ Thành ủy' };

/**
 * The tree of the tests: city 1 → district 2 → wards 10, 11, 12 → cells 100, 101 (in 10), 110 (in 11);
 * ward 12 is empty; district 3 beside district 2.
 */
function unit(id: string, kind: KnownUnit['kind'], parent: string | null, path: string, extra: Partial<KnownUnit> = {}): KnownUnit {
  return { id, code: `U${id}`, name: `Unit ${id}`, kind, parentId: parent, path, validTo: null, periodFrom: null, subtreeFrom: null, ...extra };
}
const UNITS = [
  unit('1', 'CITY', null, '1'),
  unit('2', 'DISTRICT', '1', '1.2'),
  unit('3', 'DISTRICT', '1', '1.3'),
  unit('10', 'WARD', '2', '1.2.10'),
  unit('11', 'WARD', '2', '1.2.11'),
  unit('12', 'WARD', '2', '1.2.12'),
  unit('100', 'CELL', '10', '1.2.10.100'),
  unit('101', 'CELL', '10', '1.2.10.101'),
  unit('110', 'CELL', '11', '1.2.11.110'),
];

function facts(change: Partial<PlanFacts> & { unitChanges?: Record<string, Partial<KnownUnit>> } = {}): PlanFacts {
  const { unitChanges = {}, ...rest } = change;
  return {
    today: TODAY,
    ownUnitId: '1',
    units: new Map(UNITS.map((u) => [u.id, { ...u, ...unitChanges[u.id] }])),
    members: [
      { id: 'm1', unitId: '100', periodFrom: '2010-01-01' },
      { id: 'm2', unitId: '100', periodFrom: '2010-01-01' },
      { id: 'm3', unitId: '101', periodFrom: '2010-01-01' },
    ],
    accounts: [{ id: '501', username: 'ward10', unitId: '10', active: true }],
    pendingTransfersTo: [],
    ...rest,
  };
}

const base = { effectiveOn: D, decision, reason: 'Sắp xếp tổ chức' };
const fields = (plan: { problems: { field: (string | number)[] }[] }) => plan.problems.map((p) => p.field.join('.'));

describe('reorganisation: checks of the input alone', () => {
  it('accepts a well-formed plan', () => {
    expect(inputProblems({ ...base, steps: [{ kind: 'RENAME', units: ['10'], name: 'Tên mới' }] }, TODAY)).toEqual([]);
  });

  it('refuses a missing decision or reason, a future day, a decision after the day it takes effect', () => {
    const problems = inputProblems(
      { effectiveOn: '2026-12-01', decision: { number: ' ', date: '2026-12-02', issuedBy: '' }, reason: ' ', steps: [{ kind: 'RENAME', units: ['10'], name: 'X' }] },
      TODAY,
    );
    expect(problems.map((p) => p.field.join('.'))).toEqual(
      expect.arrayContaining(['input.decision.number', 'input.decision.issuedBy', 'input.decision.date', 'input.reason', 'input.effectiveOn']),
    );
    const late = inputProblems({ ...base, decision: { ...decision, date: '2025-07-02' }, steps: [{ kind: 'RENAME', units: ['10'], name: 'X' }] }, TODAY);
    expect(late).toEqual([expect.objectContaining({ field: ['input', 'decision', 'date'], message: expect.stringContaining('after the day the reorganisation takes effect') })]);
  });

  it('takes one unit merged into a new unit only when the new unit also takes part of a split (Phường Liên Chiểu)', () => {
    const newUnits = [
      { key: 'a', name: 'A', kind: 'WARD' as const, parent: { id: '2' } },
      { key: 'b', name: 'B', kind: 'WARD' as const, parent: { id: '2' } },
    ];
    const merge = { kind: 'MERGE' as const, units: ['12'], into: [{ key: 'b' }] };
    const split = { kind: 'SPLIT' as const, units: ['10'], into: [{ key: 'a' }, { key: 'b' }] };
    expect(inputProblems({ ...base, newUnits, steps: [split, merge] }, TODAY)).toEqual([]);
    expect(inputProblems({ ...base, newUnits, steps: [merge] }, TODAY).map((p) => p.field.join('.'))).toEqual(['input.steps.0.units']);
  });

  it('bounds the input before walking it: too many units named, or a day before 1930', () => {
    const many = Array.from({ length: 5001 }, (_, i) => String(i + 1));
    const problems = inputProblems({ ...base, steps: [{ kind: 'MERGE', units: many, into: [{ id: '1' }] }] }, TODAY);
    expect(problems.map((p) => [p.field.join('.'), p.message])).toEqual([['input.steps', 'At most 5000 units named in the steps of one operation.']]);
    expect(fields({ problems: inputProblems({ ...base, effectiveOn: '0100-01-01', decision: { ...decision, date: '0100-01-01' }, steps: [{ kind: 'RENAME', units: ['10'], name: 'X' }] }, TODAY) })).toContain('input.effectiveOn');
  });

  it('checks the shape of each step', () => {
    const problems = inputProblems(
      {
        ...base,
        newUnits: [
          { key: 'n', name: 'Mới', kind: 'WARD', parent: { id: '2' } },
          { key: 'n', name: ' ', kind: 'WARD', parent: { id: '2' } },
        ],
        steps: [
          { kind: 'MERGE', units: ['10'], into: [{ key: 'n' }] },
          { kind: 'SPLIT', units: ['11'], into: [{ id: '3' }] },
          { kind: 'RENAME', units: ['10', '11'], name: '' },
          { kind: 'MOVE', units: ['12'] },
          { kind: 'SPLIT', units: ['12'], into: [{ id: '2' }, { id: '3' }], assign: [{ unitId: '1', memberId: '2', to: { id: '2' } }] },
        ],
      },
      TODAY,
    );
    expect(problems.map((p) => p.field.join('.'))).toEqual([
      'input.newUnits.1.key',
      'input.newUnits.1.name',
      'input.steps.0.units',
      'input.steps.1.into',
      'input.steps.2.units',
      'input.steps.2.name',
      'input.steps.3.parent',
      'input.steps.4.assign.0',
    ]);
  });

  it('lists the existing units a plan names', () => {
    expect(namedUnitIds({ ...base, newUnits: [{ key: 'n', name: 'N', kind: 'WARD', parent: { id: '2' } }], steps: [{ kind: 'MERGE', units: ['10', 'x'], into: [{ key: 'n' }] }] }).sort()).toEqual(['10', '2']);
  });
});

describe('reorganisation: the plan against the tree', () => {
  it('merges two wards into a new ward under the city: cells move, sources end, lineage source → target', () => {
    const input: PlanInput = {
      ...base,
      newUnits: [{ key: 'new', name: 'Đảng bộ phường Mới', kind: 'WARD', parent: { id: '1' } }],
      steps: [{ kind: 'MERGE', units: ['10', '11'], into: [{ key: 'new' }] }],
    };
    const plan = planReorganisation(input, facts());
    expect(plan.problems).toEqual([]);
    expect(plan.newUnits).toEqual([{ key: 'new', name: 'Đảng bộ phường Mới', kind: 'WARD', parent: { id: '1' } }]);
    expect(plan.actions).toEqual([
      { kind: 'setParent', unitId: '100', parent: { key: 'new' } },
      { kind: 'setParent', unitId: '101', parent: { key: 'new' } },
      { kind: 'end', unitId: '10' },
      { kind: 'setParent', unitId: '110', parent: { key: 'new' } },
      { kind: 'end', unitId: '11' },
    ]);
    expect(plan.lineage).toEqual([
      { step: 0, kind: 'MERGE', unitId: '10', to: { key: 'new' } },
      { step: 0, kind: 'MERGE', unitId: '11', to: { key: 'new' } },
    ]);
    expect(plan.ended).toEqual(['10', '11']);
    expect(plan.reportUnits).toEqual([{ id: '10' }, { id: '11' }, { key: 'new' }]);
    // Filed under the city: the deepest unit above the sources and the new unit's parent.
    expect(deepestCommonUnit(plan.involved.map((id) => UNITS.find((u) => u.id === id)!.path))).toBe('1');
    // The ward's account is deactivated, none listed to rehome.
    expect(plan.accounts).toEqual([{ accountId: '501', username: 'ward10', unitId: '10', outcome: 'DEACTIVATED', to: null }]);
  });

  it('merges cells: their members move to the target cell; members never go to a unit that is not a cell', () => {
    const plan = planReorganisation({ ...base, steps: [{ kind: 'MERGE', units: ['100'], into: [{ id: '101' }] }] }, facts());
    expect(plan.problems).toEqual([]);
    expect(plan.actions).toEqual([{ kind: 'moveMembers', memberIds: ['m1', 'm2'], to: { id: '101' } }, { kind: 'end', unitId: '100' }]);
    const intoWard = planReorganisation({ ...base, steps: [{ kind: 'MERGE', units: ['100'], into: [{ id: '11' }] }] }, facts());
    expect(intoWard.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'into', 0], message: expect.stringContaining('registered in a cell') })]);
  });

  it('a cell is given no units: a merge of a ward into a cell, a move under a cell, a new unit under a cell', () => {
    const plan = planReorganisation(
      {
        ...base,
        newUnits: [{ key: 'c', name: 'X', kind: 'CELL', parent: { id: '110' } }],
        steps: [
          { kind: 'MERGE', units: ['10'], into: [{ id: '110' }] },
          { kind: 'MOVE', units: ['12'], parent: { id: '110' } },
        ],
      },
      facts(),
    );
    expect(fields(plan)).toEqual(['input.newUnits.0.parent', 'input.steps.0.into.0', 'input.steps.1.parent']);
  });

  it('splits a ward: each cell and member where assigned; nothing left out, nothing twice, only among into', () => {
    const step = (assign: NonNullable<PlanInput['steps'][number]['assign']>) => ({
      ...base,
      newUnits: [
        { key: 'a', name: 'A', kind: 'WARD' as const, parent: { id: '2' } },
        { key: 'b', name: 'B', kind: 'WARD' as const, parent: { id: '2' } },
      ],
      steps: [{ kind: 'SPLIT' as const, units: ['10'], into: [{ key: 'a' }, { key: 'b' }], assign }],
    });
    const ok = planReorganisation(step([{ unitId: '100', to: { key: 'a' } }, { unitId: '101', to: { key: 'b' } }]), facts());
    expect(ok.problems).toEqual([]);
    expect(ok.actions).toEqual([
      { kind: 'setParent', unitId: '100', parent: { key: 'a' } },
      { kind: 'setParent', unitId: '101', parent: { key: 'b' } },
      { kind: 'end', unitId: '10' },
    ]);
    expect(ok.lineage.map((l) => l.to)).toEqual([{ key: 'a' }, { key: 'b' }]);

    const left = planReorganisation(step([{ unitId: '100', to: { key: 'a' } }]), facts());
    expect(left.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'assign'], message: expect.stringContaining('U101') })]);
    const twice = planReorganisation(step([{ unitId: '100', to: { key: 'a' } }, { unitId: '100', to: { key: 'b' } }, { unitId: '101', to: { key: 'b' } }]), facts());
    expect(fields(twice)).toEqual(['input.steps.0.assign.1']);
    const elsewhere = planReorganisation(step([{ unitId: '100', to: { id: '12' } }, { unitId: '101', to: { key: 'b' } }]), facts());
    expect(fields(elsewhere)).toEqual(['input.steps.0.assign.0.to', 'input.steps.0.assign']);
    const stranger = planReorganisation(step([{ unitId: '110', to: { key: 'a' } }, { unitId: '100', to: { key: 'a' } }, { unitId: '101', to: { key: 'b' } }]), facts());
    expect(fields(stranger)).toEqual(['input.steps.0.assign.0.unitId']);
  });

  it('renames and moves (the same unit may be renamed and moved); a move into its own subtree is refused', () => {
    const plan = planReorganisation(
      { ...base, steps: [{ kind: 'RENAME', units: ['10'], name: 'Tên mới' }, { kind: 'MOVE', units: ['10'], parent: { id: '3' } }] },
      facts(),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.actions).toEqual([{ kind: 'rename', unitId: '10', name: 'Tên mới' }, { kind: 'setParent', unitId: '10', parent: { id: '3' } }]);
    expect(plan.lineage).toEqual([
      { step: 0, kind: 'RENAME', unitId: '10', to: { id: '10' } },
      { step: 1, kind: 'MOVE', unitId: '10', to: { id: '10' } },
    ]);
    const cycle = planReorganisation({ ...base, steps: [{ kind: 'MOVE', units: ['2'], parent: { id: '10' } }] }, facts());
    expect(cycle.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'parent'], message: expect.stringContaining('own subtree') })]);
    // A cycle made of two steps: 12 under 3, then 3 under 12.
    const twoSteps = planReorganisation(
      { ...base, steps: [{ kind: 'MOVE', units: ['12'], parent: { id: '3' } }, { kind: 'MOVE', units: ['3'], parent: { id: '12' } }] },
      facts(),
    );
    expect(fields(twoSteps)).toEqual(['input.steps.1.parent']);
  });

  it('dissolves an empty unit without a successor, refuses a unit with units or members unless given one', () => {
    const empty = planReorganisation({ ...base, steps: [{ kind: 'DISSOLVE', units: ['12'] }] }, facts());
    expect(empty.problems).toEqual([]);
    expect(empty.lineage).toEqual([{ step: 0, kind: 'DISSOLVE', unitId: '12', to: null }]);
    const full = planReorganisation({ ...base, steps: [{ kind: 'DISSOLVE', units: ['10'] }] }, facts());
    expect(full.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'units', 0], message: expect.stringContaining('2 unit(s)') })]);
    const cell = planReorganisation({ ...base, steps: [{ kind: 'DISSOLVE', units: ['100'] }] }, facts());
    expect(cell.problems[0].message).toContain('2 member(s)');
    const withSuccessor = planReorganisation({ ...base, steps: [{ kind: 'DISSOLVE', units: ['10'], into: [{ id: '11' }] }] }, facts());
    expect(withSuccessor.problems).toEqual([]);
    expect(withSuccessor.lineage).toEqual([{ step: 0, kind: 'DISSOLVE', unitId: '10', to: { id: '11' } }]);
  });

  it('a unit outside the scope is not found, the same as a missing one; an ended unit and the caller’s own unit are refused', () => {
    const plan = planReorganisation(
      {
        ...base,
        steps: [
          { kind: 'RENAME', units: ['999'], name: 'X' },
          { kind: 'RENAME', units: ['11'], name: 'X' },
          { kind: 'RENAME', units: ['2'], name: 'X' },
        ],
      },
      facts({ ownUnitId: '2', unitChanges: { '11': { validTo: '2025-01-01' } } }),
    );
    expect(plan.problems.map((p) => [p.code, p.field.join('.')])).toEqual([
      ['NOT_FOUND', 'input.steps.0.units.0'],
      ['INVALID', 'input.steps.1.units.0'],
      ['INVALID', 'input.steps.2.units.0'],
    ]);
    expect(plan.problems[0].message).toBe('No such unit in your scope.');
  });

  it('refuses conflicting uses of a unit, and unknown keys', () => {
    const plan = planReorganisation(
      {
        ...base,
        steps: [
          { kind: 'MERGE', units: ['10'], into: [{ id: '11' }] },
          { kind: 'RENAME', units: ['10'], name: 'X' },
          { kind: 'MOVE', units: ['12'], parent: { id: '10' } },
          { kind: 'MERGE', units: ['12', '101'], into: [{ key: 'nope' }] },
          { kind: 'RENAME', units: ['11'], name: 'A' },
          { kind: 'RENAME', units: ['11'], name: 'B' },
        ],
      },
      facts(),
    );
    expect(fields(plan)).toEqual([
      'input.steps.1.units.0',
      'input.steps.2.parent.id',
      // 12 was moved in step 3 (refused there, but named): a moved unit is not also merged.
      'input.steps.3.units.0',
      'input.steps.3.into.0.key',
      'input.steps.5.units.0',
    ]);
    expect(plan.problems[0].message).toContain('ends in step 1');
  });

  it('refuses a unit placed under a unit that ends later in the operation', () => {
    const plan = planReorganisation(
      { ...base, steps: [{ kind: 'MOVE', units: ['12'], parent: { id: '11' } }, { kind: 'DISSOLVE', units: ['11'], into: [{ id: '3' }] }] },
      facts(),
    );
    // 12 went under 11 and then with 11's other children into 3: allowed, the dissolve carries it.
    expect(plan.problems).toEqual([]);
    expect(plan.actions.filter((a) => a.kind === 'setParent').map((a) => a.unitId)).toEqual(['12', '12', '110']);
  });

  it('refuses a day on or before a later change of a unit or a member it changes', () => {
    const unitLater = planReorganisation({ ...base, steps: [{ kind: 'RENAME', units: ['12'], name: 'X' }] }, facts({ unitChanges: { '12': { periodFrom: D } } }));
    expect(unitLater.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'units', 0], message: expect.stringContaining('later change') })]);
    const belowLater = planReorganisation({ ...base, steps: [{ kind: 'MOVE', units: ['10'], parent: { id: '3' } }] }, facts({ unitChanges: { '10': { subtreeFrom: '2025-08-01' } } }));
    expect(fields(belowLater)).toEqual(['input.steps.0.parent']);
    const memberLater = planReorganisation(
      { ...base, steps: [{ kind: 'MERGE', units: ['100'], into: [{ id: '101' }] }] },
      facts({ members: [{ id: 'm1', unitId: '100', periodFrom: '2025-09-01' }] }),
    );
    expect(memberLater.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('Member m1') })]);
    const earlier = planReorganisation({ ...base, steps: [{ kind: 'RENAME', units: ['12'], name: 'X' }] }, facts({ unitChanges: { '12': { periodFrom: '2025-06-30' } } }));
    expect(earlier.problems).toEqual([]);
  });

  it('pending transfers into an ended unit go to its one successor; a split refuses them, naming the transfer', () => {
    const pending = { pendingTransfersTo: [{ id: '77', toUnitId: '100' }] };
    const merged = planReorganisation({ ...base, steps: [{ kind: 'MERGE', units: ['100'], into: [{ id: '101' }] }] }, facts(pending));
    expect(merged.transfers).toEqual([{ id: '77', to: { id: '101' } }]);
    const split = planReorganisation(
      {
        ...base,
        newUnits: [
          { key: 'a', name: 'A', kind: 'CELL', parent: { id: '10' } },
          { key: 'b', name: 'B', kind: 'CELL', parent: { id: '10' } },
        ],
        steps: [
          {
            kind: 'SPLIT',
            units: ['100'],
            into: [{ key: 'a' }, { key: 'b' }],
            assign: [
              { memberId: 'm1', to: { key: 'a' } },
              { memberId: 'm2', to: { key: 'b' } },
            ],
          },
        ],
      },
      facts(pending),
    );
    expect(split.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', 0, 'units', 0], message: expect.stringContaining('Transfer 77') })]);
  });

  it('accounts of ended units: deactivated, or rehomed to a unit that stays; not to one that ends', () => {
    const input = (to: { id?: string; key?: string }): PlanInput => ({
      ...base,
      steps: [{ kind: 'MERGE', units: ['10', '12'], into: [{ id: '11' }] }],
      rehomeAccounts: [{ accountId: '501', to }],
    });
    const rehomed = planReorganisation(input({ id: '11' }), facts());
    expect(rehomed.problems).toEqual([]);
    expect(rehomed.accounts).toEqual([{ accountId: '501', username: 'ward10', unitId: '10', outcome: 'REHOMED', to: { id: '11' } }]);
    const toEnded = planReorganisation(input({ id: '12' }), facts());
    expect(fields(toEnded)).toEqual(['input.rehomeAccounts.0.to.id']);
    const unknown = planReorganisation({ ...input({ id: '11' }), rehomeAccounts: [{ accountId: '5', to: { id: '11' } }] }, facts());
    expect(unknown.problems).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'rehomeAccounts', 0, 'accountId'] })]);
  });
});

describe('where a reorganisation is filed', () => {
  it('is the deepest unit above or at every path', () => {
    expect(deepestCommonUnit(['1.2.10', '1.2.11.110'])).toBe('2');
    expect(deepestCommonUnit(['1.2.10', '1.2.10'])).toBe('10');
    expect(deepestCommonUnit(['1.2.10', '1.3'])).toBe('1');
    expect(deepestCommonUnit([])).toBeNull();
  });
});
