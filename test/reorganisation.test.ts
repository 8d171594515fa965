import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/access/passwords';
import { fixedClock } from '../src/clock';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

const TODAY = '2026-11-20';
const REFORM = '2025-07-01';
const decision = { number: '125-QĐ/TU', date: '2025-06-20', issuedBy: 'Ban Thường vụ Thành ủy Đà Nẵng' };
const ACTIVE = ['PROBATIONARY', 'OFFICIAL', 'RELEASED'];
const REORGANISE = `mutation($input: ReorganiseUnitsInput!) {
  reorganiseUnits(input: $input) {
    dryRun
    reorganisation { id effectiveOn decision { number date issuedBy } reason unitId }
    createdUnits { key id code }
    units { unitId key code name kind ends membersBefore members cellsBefore cells accounts { accountId username outcome toUnitId toKey } }
    problems { field code message }
    userErrors { field code message }
  }
}`;

describe('reorganiseUnits (sắp xếp tổ chức)', () => {
  let t: TestApp;
  let admin: string;
  let haichau: string;
  const id = async (code: string) => (await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = $1`, [code]))[0].id;
  const reorganise = async (input: Record<string, unknown>, token = admin) => {
    const result = await t.gql(REORGANISE, { input: { effectiveOn: REFORM, decision, reason: 'Sắp xếp tổ chức theo Quy định 294', ...input } }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.reorganiseUnits;
  };
  /** Active members (đảng viên đang sinh hoạt) in the unit's subtree, as a member list counts them. */
  const total = async (unitId: string, token = admin) =>
    (await t.gql(`query($f: MemberFilter) { members(filter: $f, first: 0) { totalCount } }`, { f: { unitId, status: ACTIVE } }, token)).data.members.totalCount as number;
  const statistics = async (unitId: string, asOf: string) => {
    const result = await t.gql(`query($u: ID!, $d: Date) { statistics(unitId: $u, asOf: $d) { total } }`, { u: unitId, d: asOf }, admin);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.statistics.total as number;
  };
  const children = async (unitId: string, token = admin) =>
    (await t.gql(`query($p: ID) { units(parentId: $p, first: 100) { edges { node { id code } } } }`, { p: unitId }, token)).data.units.edges.map((e: any) => e.node.code).sort();
  /** Rows that any write of the operation would add or change. */
  const counts = async () =>
    (
      await ownerQuery(
        t.db,
        `select (select count(*) from org_unit)::int units, (select count(*) from org_unit where valid_to is not null)::int ended,
                (select count(*) from member_unit_period)::int periods, (select count(*) from audit_event)::int events,
                (select count(*) from reorganisation)::int reorganisations, (select count(*) from unit_lineage)::int lineage,
                (select count(*) from unit_period)::int unit_periods, (select count(*) from account where active)::int accounts`,
      )
    )[0];
  const login = async (username: string, password: string) =>
    (await t.gql(`mutation($i: LoginInput!) { login(input: $i) { token } }`, { i: { username, password } })).data?.login?.token ?? null;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    admin = await t.login('admin');
    haichau = await t.login('haichau');
  });
  afterAll(() => t.close());

  it('merges two wards of a district into a new ward under the city on a past date', async () => {
    const [a, b, city] = [await id('DN.HAICHAU.THANHBINH'), await id('DN.HAICHAU.THUANPHUOC'), await id('DN')];
    const membersBefore = (await total(a)) + (await total(b));
    const cellsBefore = [...(await children(a)), ...(await children(b))];
    expect(membersBefore).toBeGreaterThan(0);
    const days = ['2025-06-30', REFORM, TODAY];
    const cityBefore = await Promise.all(days.map((d) => statistics(city, d)));
    const wardBefore = await statistics(a, '2025-06-30');
    const bothOnTheDay = (await statistics(a, REFORM)) + (await statistics(b, REFORM));

    const answer = await reorganise({
      newUnits: [{ key: 'tbtp', name: 'Đảng bộ phường Thanh Bình Thuận Phước', kind: 'WARD', parent: { id: city } }],
      steps: [{ kind: 'MERGE', units: [a, b], into: [{ key: 'tbtp' }] }],
    });
    expect(answer.userErrors).toEqual([]);
    expect(answer.reorganisation).toMatchObject({ effectiveOn: REFORM, decision, reason: 'Sắp xếp tổ chức theo Quy định 294', unitId: city });
    expect(answer.createdUnits).toEqual([{ key: 'tbtp', id: expect.any(String), code: 'DN.THANHBINHTHUANPHUOC' }]);
    const target = answer.createdUnits[0].id;

    // Every member of both wards is now in the new ward's subtree, its cells too.
    expect(await total(target)).toBe(membersBefore);
    expect(await total(a)).toBe(0);
    expect((await children(target)).length).toBe(cellsBefore.length);
    expect(answer.units.find((u: any) => u.key === 'tbtp')).toMatchObject({ unitId: target, members: membersBefore, cells: cellsBefore.length, ends: false });
    expect(answer.units.find((u: any) => u.unitId === a)).toMatchObject({ ends: true, members: 0, cells: 0, cellsBefore: expect.any(Number) });
    // The city counts the same members the day before, the day of the merge and today as it did
    // before the merge (a merge moves members, it adds or loses none); the old ward keeps its past;
    // the new ward holds on the day what both wards held.
    expect(await Promise.all(days.map((d) => statistics(city, d)))).toEqual(cityBefore);
    expect(await statistics(a, '2025-06-30')).toBe(wardBefore);
    expect(await statistics(target, REFORM)).toBe(bothOnTheDay);
    expect(await statistics(target, TODAY)).toBe(membersBefore);
    // The sources ended that day, their lineage points to the new ward; the unit's history is dated.
    const ended = await ownerQuery(t.db, `select id::text, valid_to::text from org_unit where id in ($1, $2) order by id`, [a, b]);
    expect(ended.map((r) => r.valid_to)).toEqual([REFORM, REFORM]);
    const lineage = await ownerQuery(t.db, `select unit_id::text, to_unit_id::text, kind from unit_lineage where reorganisation_id = $1 order by unit_id`, [answer.reorganisation.id]);
    expect(lineage).toEqual([a, b].sort().map((u) => ({ unit_id: u, to_unit_id: target, kind: 'MERGE' })));
    const [cell] = await ownerQuery<{ parent_then: string; parent_now: string }>(
      t.db,
      `select (select parent_id::text from unit_period where unit_id = o.id and valid_to = $2) parent_then, o.parent_id::text parent_now
         from org_unit o where o.code = $1`,
      ['DN.HAICHAU.THANHBINH.CB01', REFORM],
    );
    expect(cell).toEqual({ parent_then: a, parent_now: target });
  });

  it('reads the tree of a date: children as they were, lineage both ways, and no figures for a unit outside its life', async () => {
    const [a, b, city, district] = [await id('DN.SONTRA.PHUOCMY'), await id('DN.SONTRA.ANHAIBAC'), await id('DN'), await id('DN.SONTRA')];
    const answer = await reorganise({
      newUnits: [{ key: 'ah', name: 'Đảng bộ phường An Hải', kind: 'WARD', parent: { id: city } }],
      steps: [{ kind: 'MERGE', units: [a, b], into: [{ key: 'ah' }] }],
    });
    expect(answer.userErrors).toEqual([]);
    const target = answer.createdUnits[0].id;
    const tree = async (unitId: string, asOf: string | null) => {
      const result = await t.gql(
        `query($u: ID!, $d: Date) { unit(id: $u, asOf: $d) { name validFrom validTo children(first: 100) { edges { node { id parent { id } } } } } }`,
        { u: unitId, d: asOf },
        admin,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data.unit;
    };
    const ids = (unit: any) => unit.children.edges.map((e: any) => e.node.id);
    // The day before: the district holds both wards and the city does not hold the new one.
    const districtBefore = await tree(district, '2025-06-30');
    expect(ids(districtBefore)).toEqual(expect.arrayContaining([a, b]));
    expect(ids(await tree(city, '2025-06-30'))).not.toContain(target);
    // From the day: the new ward is the city's child, the wards are no one's.
    expect(ids(await tree(city, REFORM))).toContain(target);
    expect(ids(await tree(district, REFORM))).not.toContain(a);
    expect(ids(await tree(district, null))).not.toContain(b);
    // The new ward did not exist the day before; an ended ward is still found by its code.
    expect(await tree(target, '2025-06-30')).toBeNull();
    expect(await tree(target, REFORM)).toMatchObject({ name: 'Đảng bộ phường An Hải', validFrom: REFORM, validTo: null });
    const old = await t.gql(`{ unit(code: "dn.sontra.phuocmy") { id validTo lineage { successors { kind effectiveOn to { id } decision { number } } } } }`, {}, admin);
    expect(old.data.unit).toEqual({ id: a, validTo: REFORM, lineage: { successors: [{ kind: 'MERGE', effectiveOn: REFORM, to: { id: target }, decision: { number: decision.number } }] } });
    const made = await t.gql(`query($u: ID!) { unit(id: $u) { validFrom lineage { predecessors { from { id } } } } }`, { u: target }, admin);
    expect(made.data.unit.validFrom).toBe(REFORM);
    expect(made.data.unit.lineage.predecessors.map((p: any) => p.from.id).sort()).toEqual([a, b].sort());
    // Figures of the new ward before it was formed, of an ended ward after it ended: refused, clearly.
    for (const [u, d, word] of [[target, '2025-06-30', 'exists from'], [a, TODAY, 'ended on']] as const) {
      const refused = await t.gql(`query($u: ID!, $d: Date) { statistics(unitId: $u, asOf: $d) { total } }`, { u, d }, admin);
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0].message).toContain(word);
    }
    // units(asOf) lists the units of that date.
    const listed = async (asOf: string) =>
      (await t.gql(`query($d: Date) { units(parentId: "${district}", asOf: $d, first: 100) { edges { node { id } } } }`, { d: asOf }, admin)).data.units.edges.map((e: any) => e.node.id);
    expect(await listed('2025-06-30')).toEqual(expect.arrayContaining([a, b]));
    expect(await listed(TODAY)).not.toContain(a);
  });

  it('splits a ward into two new units with assignments; one left unassigned is refused and writes nothing', async () => {
    const ward = await id('DN.HAICHAU.PHUOCNINH');
    const district = await id('DN.HAICHAU');
    const cells = await ownerQuery<{ id: string; code: string }>(t.db, `select id::text, code from org_unit where parent_id = $1 and valid_to is null order by code`, [ward]);
    expect(cells.length).toBeGreaterThanOrEqual(3);
    const newUnits = [
      { key: 'pn1', name: 'Đảng bộ phường Phước Ninh Một', kind: 'WARD', parent: { id: district } },
      { key: 'pn2', name: 'Đảng bộ phường Phước Ninh Hai', kind: 'WARD', parent: { id: district } },
    ];
    const assign = cells.map((c, i) => ({ unitId: c.id, to: { key: i === 0 ? 'pn1' : 'pn2' } }));

    const before = await counts();
    const refused = await reorganise({ newUnits, steps: [{ kind: 'SPLIT', units: [ward], into: [{ key: 'pn1' }, { key: 'pn2' }], assign: assign.slice(1) }] }, haichau);
    expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'steps', '0', 'assign'], code: 'INVALID', message: expect.stringContaining(cells[0].code) })]);
    expect(refused.problems).toEqual(refused.userErrors);
    expect(refused.reorganisation).toBeNull();
    expect(await counts()).toEqual(before);

    const first = await total(cells[0].id, haichau);
    const rest = (await Promise.all(cells.slice(1).map((c) => total(c.id, haichau)))).reduce((x, y) => x + y, 0);
    const done = await reorganise({ newUnits, steps: [{ kind: 'SPLIT', units: [ward], into: [{ key: 'pn1' }, { key: 'pn2' }], assign }] }, haichau);
    expect(done.userErrors).toEqual([]);
    const [pn1, pn2] = done.createdUnits.map((u: any) => u.id);
    expect(done.createdUnits.map((u: any) => u.code)).toEqual(['DN.HAICHAU.PHUOCNINHMOT', 'DN.HAICHAU.PHUOCNINHHAI']);
    expect(await children(pn1, haichau)).toEqual([cells[0].code]);
    expect(await children(pn2, haichau)).toEqual(cells.slice(1).map((c) => c.code));
    expect(await total(pn1, haichau)).toBe(first);
    expect(await total(pn2, haichau)).toBe(rest);
    const lineage = await ownerQuery(t.db, `select to_unit_id::text as target from unit_lineage where unit_id = $1 and kind = 'SPLIT' order by to_unit_id`, [ward]);
    expect(lineage.map((l) => l.target)).toEqual([pn1, pn2].sort());
  });

  it('a dry run writes nothing and reports members, cells and accounts per unit', async () => {
    const [a, b, district] = [await id('DN.HAICHAU.NAMDUONG'), await id('DN.HAICHAU.BINHHIEN'), await id('DN.HAICHAU')];
    const hash = await hashPassword('test-password-1');
    const [{ id: account }] = await ownerQuery<{ id: string }>(
      t.db,
      `insert into account (username, password_hash, role, unit_id) values ('namduong.staff', $1, 'ORG_STAFF', $2) returning id::text`,
      [hash, a],
    );
    const [ma, mb] = [await total(a), await total(b)];
    const [ca, cb] = [(await children(a)).length, (await children(b)).length];
    const before = await counts();
    const answer = await reorganise({
      dryRun: true,
      newUnits: [{ key: 'ndbh', name: 'Đảng bộ phường Nam Dương Bình Hiên', kind: 'WARD', parent: { id: district } }],
      steps: [{ kind: 'MERGE', units: [a, b], into: [{ key: 'ndbh' }] }],
    });
    expect(answer.userErrors).toEqual([]);
    expect(answer).toMatchObject({ dryRun: true, reorganisation: null, createdUnits: [] });
    expect(answer.units).toEqual([
      { unitId: a, key: null, code: 'DN.HAICHAU.NAMDUONG', name: expect.any(String), kind: 'WARD', ends: true, membersBefore: ma, members: 0, cellsBefore: ca, cells: 0,
        accounts: [{ accountId: account, username: 'namduong.staff', outcome: 'DEACTIVATED', toUnitId: null, toKey: null }] },
      { unitId: b, key: null, code: 'DN.HAICHAU.BINHHIEN', name: expect.any(String), kind: 'WARD', ends: true, membersBefore: mb, members: 0, cellsBefore: cb, cells: 0, accounts: [] },
      { unitId: null, key: 'ndbh', code: 'DN.HAICHAU.NAMDUONGBINHHIEN', name: 'Đảng bộ phường Nam Dương Bình Hiên', kind: 'WARD', ends: false,
        membersBefore: 0, members: ma + mb, cellsBefore: 0, cells: ca + cb, accounts: [] },
    ]);
    expect(await counts()).toEqual(before);
    expect(await login('namduong.staff', 'test-password-1')).not.toBeNull();
    expect(await total(a)).toBe(ma);
    // A dry run with a problem reports it, and still nothing is written.
    const bad = await reorganise({ dryRun: true, steps: [{ kind: 'DISSOLVE', units: [a] }] });
    expect(bad.problems).toEqual([expect.objectContaining({ field: ['input', 'steps', '0', 'units', '0'], code: 'INVALID' })]);
    expect(bad.units).toEqual([expect.objectContaining({ unitId: a, membersBefore: ma, members: null })]);
    expect(await counts()).toEqual(before);
  });

  it('renames and moves; refuses to dissolve a unit that is not empty, dissolves an empty one', async () => {
    const renamed = await id('DN.HAICHAU.HOATHUANTAY');
    const cell = await id('DN.HAICHAU.BINHTHUAN.CB01');
    const newParent = await id('DN.HAICHAU.HOACUONGNAM');
    const members = await total(cell, haichau);
    const answer = await reorganise(
      { steps: [{ kind: 'RENAME', units: [renamed], name: 'Đảng bộ phường Hòa Thuận' }, { kind: 'MOVE', units: [cell], parent: { id: newParent } }] },
      haichau,
    );
    expect(answer.userErrors).toEqual([]);
    const read = await t.gql(
      `query($r: ID, $c: ID) { r: unit(id: $r) { code name } c: unit(id: $c) { code parent { code } } }`,
      { r: renamed, c: cell },
      haichau,
    );
    // Codes never change.
    expect(read.data).toEqual({ r: { code: 'DN.HAICHAU.HOATHUANTAY', name: 'Đảng bộ phường Hòa Thuận' }, c: { code: 'DN.HAICHAU.BINHTHUAN.CB01', parent: { code: 'DN.HAICHAU.HOACUONGNAM' } } });
    // A report of a date names the unit as it was then (and so does its export, which is built from it).
    const named = async (asOf: string) =>
      (await t.gql(`query($u: ID!, $d: Date) { statistics(unitId: $u, asOf: $d) { unit { name } } }`, { u: renamed, d: asOf }, haichau)).data.statistics.unit.name;
    expect([await named('2025-06-30'), await named(REFORM)]).toEqual(['Đảng bộ phường Hòa Thuận Tây', 'Đảng bộ phường Hòa Thuận']);
    // Its lineage keeps the name it had before the rename and the one after.
    const changes = (await t.gql(`query($u: ID) { unit(id: $u) { lineage { changes { kind from { name } to { name } } } } }`, { u: renamed }, haichau)).data.unit.lineage.changes;
    expect(changes).toEqual([{ kind: 'RENAME', from: { name: 'Đảng bộ phường Hòa Thuận Tây' }, to: { name: 'Đảng bộ phường Hòa Thuận' } }]);
    expect(await children(newParent, haichau)).toContain('DN.HAICHAU.BINHTHUAN.CB01');
    expect(await total(cell, haichau)).toBe(members);
    const [{ path_then }] = await ownerQuery(t.db, `select path::text path_then from unit_period where unit_id = $1 and valid_to = $2`, [cell, REFORM]);
    expect(path_then).toContain(`.${await id('DN.HAICHAU.BINHTHUAN')}.`);
    // Flows across the move: the cell's members left Bình Thuận and came into Hòa Cường Nam by
    // the reorganisation, not by transfer; the cell's own flows follow it through the move.
    const flows = async (unitId: string) => {
      const result = await t.gql(
        `query($u: ID!) { flows(unitId: $u, from: "2025-06-01", to: "2025-07-31") { opening closing transfersIn transfersOut reorganisedIn reorganisedOut } }`,
        { u: unitId },
        admin,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data.flows;
    };
    const [out, into, moved] = [await flows(await id('DN.HAICHAU.BINHTHUAN')), await flows(newParent), await flows(cell)];
    expect(out.reorganisedOut).toBeGreaterThan(0);
    expect(out.reorganisedOut).toBe(await statistics(cell, '2025-06-30'));
    expect([out.reorganisedIn, into.reorganisedIn, into.reorganisedOut]).toEqual([0, out.reorganisedOut, 0]);
    expect([moved.opening, moved.closing]).toEqual([await statistics(cell, '2025-05-31'), await statistics(cell, '2025-07-31')]);
    expect([moved.reorganisedIn, moved.reorganisedOut]).toEqual([0, 0]);

    const full = await id('DN.HAICHAU.BINHTHUAN');
    const before = await counts();
    const refused = await reorganise({ steps: [{ kind: 'DISSOLVE', units: [full] }] }, haichau);
    expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'steps', '0', 'units', '0'], message: expect.stringContaining('give a successor') })]);
    expect(await counts()).toEqual(before);

    const [{ id: empty }] = await ownerQuery<{ id: string }>(
      t.db,
      `insert into org_unit (code, name, kind, parent_id) values ('DN.HAICHAU.BINHTHUAN.CB99', 'Chi bộ trống', 'CELL', $1) returning id::text`,
      [full],
    );
    const dissolved = await reorganise({ steps: [{ kind: 'DISSOLVE', units: [empty] }] }, haichau);
    expect(dissolved.userErrors).toEqual([]);
    expect(dissolved.units).toEqual([expect.objectContaining({ unitId: empty, ends: true })]);
    const [row] = await ownerQuery(t.db, `select valid_to::text from org_unit where id = $1`, [empty]);
    expect(row.valid_to).toBe(REFORM);
    expect(await children(full, haichau)).not.toContain('DN.HAICHAU.BINHTHUAN.CB99');
    const [l] = await ownerQuery(t.db, `select kind, to_unit_id from unit_lineage where unit_id = $1`, [empty]);
    expect(l).toEqual({ kind: 'DISSOLVE', to_unit_id: null });
  });

  it('a unit outside the scope gets the same answer as a missing one; a viewer is refused', async () => {
    const outside = await id('DN.THANHKHE');
    const outsideWard = (await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where parent_id = $1 limit 1`, [outside]))[0].id;
    const before = await counts();
    const a = await reorganise({ steps: [{ kind: 'RENAME', units: [outsideWard], name: 'Tên khác' }] }, haichau);
    const b = await reorganise({ steps: [{ kind: 'RENAME', units: ['999999999'], name: 'Tên khác' }] }, haichau);
    expect(a.userErrors).toEqual([{ field: ['input', 'steps', '0', 'units', '0'], code: 'NOT_FOUND', message: 'No such unit in your scope.' }]);
    expect(b.userErrors).toEqual(a.userErrors);
    // A target outside the scope too.
    const c = await reorganise({ steps: [{ kind: 'MOVE', units: [await id('DN.HAICHAU.HOACUONGNAM.CB01')], parent: { id: outsideWard } }] }, haichau);
    expect(c.userErrors).toEqual([{ field: ['input', 'steps', '0', 'parent', 'id'], code: 'NOT_FOUND', message: 'No such unit in your scope.' }]);
    // The staff's own unit is decided by the level above.
    const own = await reorganise({ steps: [{ kind: 'RENAME', units: [await id('DN.HAICHAU')], name: 'X' }] }, haichau);
    expect(own.userErrors[0].code).toBe('INVALID');
    const viewer = await t.login('sontra.viewer');
    const refused = await t.gql(REORGANISE, { input: { effectiveOn: REFORM, decision, reason: 'x', steps: [{ kind: 'RENAME', units: [outsideWard], name: 'X' }] } }, viewer);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.data?.reorganiseUnits ?? null).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('accounts of an ended unit are deactivated unless rehomed; a rehomed account signs in and sees its new unit', async () => {
    const [a, b] = [await id('DN.HAICHAU.HAICHAUI'), await id('DN.HAICHAU.HAICHAUII')];
    const hash = await hashPassword('test-password-2');
    await ownerQuery(
      t.db,
      `insert into account (username, password_hash, role, unit_id) values ('hc1.staff', $1, 'ORG_STAFF', $2), ('hc1.viewer', $1, 'COMMITTEE_VIEWER', $2)`,
      [hash, a],
    );
    const [{ id: keep }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'hc1.staff'`);
    const stale = await login('hc1.viewer', 'test-password-2');
    expect(stale).not.toBeNull();
    const membersOfBoth = (await total(a)) + (await total(b));
    const answer = await reorganise({ steps: [{ kind: 'MERGE', units: [a], into: [{ id: b }] }], rehomeAccounts: [{ accountId: keep, to: { id: b } }] }, haichau);
    expect(answer.userErrors).toEqual([]);
    expect(answer.units.find((u: any) => u.unitId === a).accounts).toEqual([
      { accountId: keep, username: 'hc1.staff', outcome: 'REHOMED', toUnitId: b, toKey: null },
      { accountId: expect.any(String), username: 'hc1.viewer', outcome: 'DEACTIVATED', toUnitId: null, toKey: null },
    ]);
    expect(await login('hc1.viewer', 'test-password-2')).toBeNull();
    // A token issued before no longer works either.
    expect((await t.gql(`{ me { username } }`, {}, stale)).status).toBe(401);
    const token = await login('hc1.staff', 'test-password-2');
    expect(token).not.toBeNull();
    const me = await t.gql(`{ me { unit { code } } }`, {}, token);
    expect(me.data.me.unit.code).toBe('DN.HAICHAU.HAICHAUII');
    expect(await total(b, token)).toBe(membersOfBoth);

    // An account may not be moved to a unit that ends.
    const [c, d] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code like 'DN.THANHKHE.%' and kind = 'WARD' order by code limit 2`);
    await ownerQuery(t.db, `insert into account (username, password_hash, role, unit_id) values ('tk.staff', $1, 'ORG_STAFF', $2)`, [hash, c.id]);
    const [{ id: other }] = await ownerQuery<{ id: string }>(t.db, `select id::text from account where username = 'tk.staff'`);
    const bad = await reorganise({ steps: [{ kind: 'MERGE', units: [c.id], into: [{ id: d.id }] }], rehomeAccounts: [{ accountId: other, to: { id: c.id } }] });
    expect(bad.userErrors).toEqual([expect.objectContaining({ field: ['input', 'rehomeAccounts', '0', 'to', 'id'] })]);
  });

  it('a transfer awaiting arrival in a merged cell goes to its successor; a split cell refuses it, naming the transfer', async () => {
    const [ward] = await ownerQuery<{ id: string }>(
      t.db,
      `select w.id::text from org_unit w where w.code like 'DN.SONTRA.%' and w.kind = 'WARD'
          and (select count(*) from org_unit c where c.parent_id = w.id) >= 3 order by w.code limit 1`,
    );
    const cells = await ownerQuery<{ id: string; code: string }>(t.db, `select id::text, code from org_unit where parent_id = $1 order by code limit 3`, [ward.id]);
    const movers = await ownerQuery<{ id: string; version: number }>(
      t.db,
      `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id
        where u.code like 'DN.NGUHANHSON.%' and m.status = 'OFFICIAL' and m.joined_on < '2020-01-01' and not m.under_review
          and not exists (select 1 from transfer x where x.member_id = m.id) order by m.id limit 2`,
    );
    const issue = async (member: { id: string; version: number }, cell: string) => {
      const issued = await t.gql(
        `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { message } } }`,
        { input: { memberId: member.id, expectedVersion: member.version, kind: 'PERMANENT', toUnitCode: cell, issuedOn: '2026-11-10', decision: { ...decision, date: '2026-11-10' } } },
        admin,
      );
      expect(issued.data.transferMember.userErrors).toEqual([]);
      return issued.data.transferMember.transfer.id as string;
    };
    const first = await issue(movers[0], cells[0].code);
    const merged = await reorganise({ effectiveOn: TODAY, decision: { ...decision, date: TODAY }, steps: [{ kind: 'MERGE', units: [cells[0].id], into: [{ id: cells[1].id }] }] });
    expect(merged.userErrors).toEqual([]);
    const pending = await t.gql(`{ transfers(filter: {status: [PENDING]}, first: 100) { edges { node { id toUnit { code } } } } }`, {}, admin);
    expect(pending.data.transfers.edges.find((e: any) => e.node.id === first).node.toUnit.code).toBe(cells[1].code);

    const second = await issue(movers[1], cells[2].code);
    const before = await counts();
    const split = await reorganise({
      effectiveOn: TODAY,
      decision: { ...decision, date: TODAY },
      newUnits: [
        { key: 'x', name: 'Chi bộ Một', kind: 'CELL', parent: { id: ward.id } },
        { key: 'y', name: 'Chi bộ Hai', kind: 'CELL', parent: { id: ward.id } },
      ],
      steps: [{ kind: 'SPLIT', units: [cells[2].id], into: [{ key: 'x' }, { key: 'y' }] }],
    });
    expect(split.userErrors).toEqual(expect.arrayContaining([expect.objectContaining({ field: ['input', 'steps', '0', 'units', '0'], message: expect.stringContaining(`Transfer ${second}`) })]));
    expect(await counts()).toEqual(before);
  });

  it('refuses a date before a later reorganisation of the same unit', async () => {
    const ward = await id('DN.HAICHAU.BINHTHUAN');
    const first = await reorganise({ effectiveOn: '2026-01-01', decision: { ...decision, date: '2025-12-20' }, steps: [{ kind: 'RENAME', units: [ward], name: 'Đảng bộ phường Bình Thuận Mới' }] });
    expect(first.userErrors).toEqual([]);
    const before = await counts();
    const earlier = await reorganise({ effectiveOn: '2025-12-01', steps: [{ kind: 'RENAME', units: [ward], name: 'Tên cũ hơn' }] });
    expect(earlier.userErrors).toEqual([expect.objectContaining({ field: ['input', 'steps', '0', 'units', '0'], message: expect.stringContaining('later change') })]);
    // The same day again is a later change too (on or before).
    const same = await reorganise({ effectiveOn: '2026-01-01', decision: { ...decision, date: '2025-12-20' }, steps: [{ kind: 'RENAME', units: [ward], name: 'Tên khác' }] });
    expect(same.userErrors[0].message).toContain('later change');
    expect(await counts()).toEqual(before);
    const [{ name }] = await ownerQuery(t.db, `select name from org_unit where id = $1`, [ward]);
    expect(name).toBe('Đảng bộ phường Bình Thuận Mới');
  });

  it('refuses what the input alone gets wrong: empty decision or reason, a future day, a decision after the day', async () => {
    const ward = await id('DN.HAICHAU.HOACUONGBAC');
    const before = await counts();
    const answer = await reorganise({
      effectiveOn: '2026-12-01',
      decision: { number: '', date: '2026-12-02', issuedBy: ' ' },
      reason: ' ',
      steps: [{ kind: 'RENAME', units: [ward], name: 'X' }],
    });
    expect(answer.userErrors.map((e: any) => e.field.join('.')).sort()).toEqual(
      ['input.decision.date', 'input.decision.issuedBy', 'input.decision.number', 'input.effectiveOn', 'input.reason'].sort(),
    );
    expect(await counts()).toEqual(before);
  });
});
