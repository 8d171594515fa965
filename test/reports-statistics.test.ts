import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import {
  TODAY, AS_OF, ACTIVE, BREAKDOWNS, UPDATE, completedYears, partyYears, ageBand, partyAgeBand, counts, bump,
  sum, type Breakdown, type Stats, type MemberRow, reportsHarness,
} from './support/reports';

/**
 * Statistics: every unit's figures add up over the tree and match an independent count, a report
 * for a date stays fixed when data change after it, age and party-age bands are taken on the date
 * asked, and today's figures follow the tree after a unit moves.
 * Shared set-up and the hand-written date arithmetic: test/support/reports.ts.
 */
describe('reports', () => {
  let t: TestApp;
  let admin: string;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  const {
    start, unitId, statistics, stat, flows, activeListed, expectStatisticsMatchLists, allPages, pickMember,
    ok, admit, changeStatus, readmit, confirmOfficial,
  } = reportsHarness();

  beforeAll(async () => {
    ({ t, admin, staff } = await start());
  });
  afterAll(() => t.close());

  describe('statistics add up over the whole tree', () => {
    let units: { id: string; code: string; kind: string; parent: { id: string } | null }[];
    let byId: Map<string, Stats>;

    beforeAll(async () => {
      const listed = await allPages<{ id: string; code: string; kind: string; parent: { id: string } | null }>(
        `query($after: String) { units(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id code kind parent { id } } } } }`,
        {},
        admin,
        'units',
      );
      units = listed.nodes;
      expect(units.length).toBe(listed.totalCount);
      const stats = await statistics(units.map((u) => u.id), AS_OF);
      byId = new Map(stats.map((s) => [s.unit.id, s]));
    });

    it('every unit of the tree is reported on, with the asked date', async () => {
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from org_unit`);
      expect(units.length).toBe(n);
      expect(byId.size).toBe(n);
      for (const u of units) {
        expect(byId.get(u.id)).toMatchObject({ unit: { id: u.id, code: u.code }, asOf: AS_OF });
      }
    });

    it('for every unit: children + registeredDirectly = total, and each child total is that child’s own statistics', () => {
      const problems: string[] = [];
      for (const u of units) {
        const s = byId.get(u.id)!;
        const childSum = s.children.reduce((a, c) => a + c.total, 0);
        if (childSum + s.registeredDirectly !== s.total) problems.push(`${u.code}: children ${childSum} + direct ${s.registeredDirectly} ≠ ${s.total}`);
        const expectedChildren = units.filter((c) => c.parent?.id === u.id).map((c) => c.id).sort();
        const reported = s.children.map((c) => c.unit.id).sort();
        if (JSON.stringify(reported) !== JSON.stringify(expectedChildren)) problems.push(`${u.code}: children ${reported} ≠ tree ${expectedChildren}`);
        for (const child of s.children) {
          const own = byId.get(child.unit.id)!;
          if (child.total !== own.total) problems.push(`${u.code} → child ${own.unit.code}: ${child.total} ≠ ${own.total}`);
          if (JSON.stringify(counts(child.byStatus)) !== JSON.stringify(counts(own.byStatus))) {
            problems.push(`${u.code} → child ${own.unit.code}: byStatus differs`);
          }
        }
        // A cell has no children: everything in it is registered directly.
        if (u.kind === 'CELL' && s.registeredDirectly !== s.total) problems.push(`${u.code}: a cell registers its members directly`);
      }
      expect(problems).toEqual([]);
    });

    it('for every unit: each of the ten breakdowns adds up to total', () => {
      const problems: string[] = [];
      for (const u of units) {
        const s = byId.get(u.id)!;
        for (const b of BREAKDOWNS) if (sum(s[b]) !== s.total) problems.push(`${u.code}.${b}: ${sum(s[b])} ≠ ${s.total}`);
        for (const b of BREAKDOWNS) for (const c of s[b]) if (c.count < 0 || !c.label) problems.push(`${u.code}.${b}.${c.key}: ${c.count} "${c.label}"`);
      }
      expect(problems).toEqual([]);
      const city = units.find((u) => u.kind === 'CITY')!;
      expect(byId.get(city.id)!.total).toBeGreaterThan(0);
    });

    it('every unit’s total and the city’s statuses match an independent count over the status and unit periods', async () => {
      // On the rolls at the end of AS_OF: an active status period and a unit period covering that day.
      const rows = await ownerQuery<{ id: string; n: number }>(
        t.db,
        `select a.id::text, count(distinct sp.member_id)::int n
           from member_status_period sp
           join member_unit_period up on up.member_id = sp.member_id and up.valid_from <= $1::date and (up.valid_to is null or up.valid_to > $1::date)
           join org_unit u on u.id = up.unit_id
           join org_unit a on u.path <@ a.path
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date)
          group by a.id`,
        [AS_OF, ACTIVE],
      );
      const expected = new Map(rows.map((r) => [r.id, r.n]));
      const mismatches = units.filter((u) => (expected.get(u.id) ?? 0) !== byId.get(u.id)!.total).map((u) => `${u.code}: ${byId.get(u.id)!.total} ≠ ${expected.get(u.id) ?? 0}`);
      expect(mismatches).toEqual([]);

      const city = units.find((u) => u.kind === 'CITY')!;
      const statuses = await ownerQuery<{ status: string; n: number }>(
        t.db,
        `select sp.status, count(*)::int n from member_status_period sp
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date) group by sp.status`,
        [AS_OF, ACTIVE],
      );
      expect(counts(byId.get(city.id)!.byStatus)).toEqual(Object.fromEntries(statuses.filter((r) => r.n).map((r) => [r.status, r.n])));
      const [{ n: cityTotal }] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(distinct sp.member_id)::int n from member_status_period sp
          where sp.status = any($2) and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date)`,
        [AS_OF, ACTIVE],
      );
      expect(byId.get(city.id)!.total).toBe(cityTotal);
    });

    it('for every unit, statistics as of today count exactly the active members the members list gives for it', async () => {
      await expectStatisticsMatchLists(units.map((u) => u.id), admin);
    });
  });

  describe('a report for a date does not change when data change after it', () => {
    let ward: string;
    let before: { asOf: Stats; today: Stats; city: Stats };
    let m1: Awaited<ReturnType<typeof pickMember>>;
    let m2: Awaited<ReturnType<typeof pickMember>>;
    const newGender = (g: string) => (g === 'MALE' ? 'FEMALE' : 'MALE');
    const newEthnicity = (e: string | null) => (e === '26' ? '01' : '26');
    const newTheory = (p: string | null) => (p === 'CAO_CAP' ? 'SO_CAP' : 'CAO_CAP');

    beforeAll(async () => {
      ward = await unitId('DN.HAICHAU.THACHTHANG');
      const city = await unitId('DN');
      const [asOf, city1101] = await statistics([ward, city], AS_OF);
      before = { asOf, today: await stat(ward, null, staff), city: city1101 };
      m1 = await pickMember('DN.HAICHAU.THACHTHANG');
      m2 = await pickMember('DN.HAICHAU.THACHTHANG');
      await ok(
        UPDATE,
        { id: m1.id, expectedVersion: m1.version, gender: newGender(m1.gender), ethnicityCode: newEthnicity(m1.ethnicity), politicalTheoryCode: newTheory(m1.political_theory), reason: 'Theo CCCD' },
        'updateMember',
      );
      await changeStatus({ id: m2.id, version: m2.version } as MemberRow, 'DECEASED', TODAY);
    });

    it('statistics as of 2026-11-01 are identical after the edits and the death (ward as staff, city as admin)', async () => {
      expect(await stat(ward, AS_OF, staff)).toEqual(before.asOf);
      expect(await stat(await unitId('DN'), AS_OF)).toEqual(before.city);
    });

    it('as of today, the death dated today shows: one fewer on the rolls, one fewer official', async () => {
      const after = await stat(ward, null, staff);
      expect(after.asOf).toBe(TODAY);
      expect(after.total).toBe(before.today.total - 1);
      const status = counts(before.today.byStatus);
      bump(status, 'OFFICIAL', -1);
      expect(counts(after.byStatus)).toEqual(status);
    });

    // "Today" is the API's today (the clock the server runs with, 2026-11-20 here), which is also
    // statistics' default asOf and the day the death above took effect.
    it('as of today, the corrected gender, ethnicity and political theory show', async () => {
      const after = await stat(ward, null, staff);
      expect(after.asOf).toBe(TODAY);
      const expectShift = (b: Breakdown, from1: string, to1: string, from2: string) => {
        const expected = counts(before.today[b]);
        bump(expected, from1, -1);
        bump(expected, to1, +1);
        bump(expected, from2, -1); // the member who died
        expect.soft(counts(after[b]), b).toEqual(expected);
      };
      expectShift('byGender', m1.gender, newGender(m1.gender), m2.gender);
      expectShift('byEthnicity', m1.ethnicity ?? 'UNKNOWN', newEthnicity(m1.ethnicity), m2.ethnicity ?? 'UNKNOWN');
      expectShift('byPoliticalTheory', m1.political_theory ?? 'UNKNOWN', newTheory(m1.political_theory), m2.political_theory ?? 'UNKNOWN');
    });
  });

  describe('age and party age are taken on the date asked', () => {
    const CELL = 'DN.HAICHAU.THACHTHANG.CB03';
    const BORN = '1985-07-20';
    const JOINED = '2016-06-10';
    // Straddling the 41st birthday (2026-07-20) and the 10th year in the party (2026-06-10).
    const DATES = ['2016-06-09', '2026-06-09', '2026-06-10', '2026-07-19', '2026-07-20', AS_OF];

    it('a member made by hand falls in the bands computed from the dates, on each date', async () => {
      const cell = await unitId(CELL);
      const before = await Promise.all(DATES.map((d) => stat(cell, d)));
      await admit(CELL, { dateOfBirth: BORN, joinedOn: JOINED, official: true });
      const after = await Promise.all(DATES.map((d) => stat(cell, d)));
      DATES.forEach((date, i) => {
        const onRolls = date >= JOINED;
        expect(after[i].total, date).toBe(before[i].total + (onRolls ? 1 : 0));
        const ages = counts(before[i].byAgeBand);
        const partyAges = counts(before[i].byPartyAgeBand);
        if (onRolls) {
          bump(ages, ageBand(completedYears(BORN, date)), 1);
          bump(partyAges, partyAgeBand(partyYears([[JOINED, null]], date)), 1);
        }
        expect(counts(after[i].byAgeBand), `age band on ${date}`).toEqual(ages);
        expect(counts(after[i].byPartyAgeBand), `party age band on ${date}`).toEqual(partyAges);
      });
      // The dates really straddle the boundaries.
      expect(ageBand(completedYears(BORN, '2026-07-19'))).not.toBe(ageBand(completedYears(BORN, '2026-07-20')));
      expect(partyAgeBand(partyYears([[JOINED, null]], '2026-06-09'))).not.toBe(partyAgeBand(partyYears([[JOINED, null]], '2026-06-10')));
    });

    it('party age leaves out the time outside the party (removed, readmitted after 36 months)', async () => {
      const GAP_CELL = 'DN.HAICHAU.THACHTHANG.CB01';
      const cell = await unitId(GAP_CELL);
      const joined = '1994-01-10';
      const removedOn = '2000-01-10';
      const readmittedOn = '2004-01-10';
      const dates = ['1999-01-10', '2002-06-01', AS_OF];
      const before = await Promise.all(dates.map((d) => stat(cell, d)));
      const flowsBefore = await flows(['1994', '1995', '2000', '2004', '2005'].map((y) => ({ unitId: cell, from: `${y}-01-01`, to: `${y}-12-31` })));
      let m = await admit(GAP_CELL, { dateOfBirth: '1968-01-01', joinedOn: joined, official: true });
      m = await changeStatus(m, 'REMOVED', removedOn);
      m = await readmit(m, readmittedOn);
      m = await confirmOfficial(m);
      const after = await Promise.all(dates.map((d) => stat(cell, d)));
      const spans: [string, string | null][] = [[joined, removedOn], [readmittedOn, null]];
      // Each step of the story is one movement in the flows of its year.
      const years = ['1994', '1995', '2000', '2004', '2005'].map((y) => ({ unitId: cell, from: `${y}-01-01`, to: `${y}-12-31` }));
      const flowsAfter = await flows(years);
      const delta = flowsAfter.map((f, i) => ({
        admissions: f.admissions - flowsBefore[i].admissions,
        officialConfirmations: f.officialConfirmations - flowsBefore[i].officialConfirmations,
        removed: f.departures.find((d) => d.key === 'REMOVED')!.count - flowsBefore[i].departures.find((d) => d.key === 'REMOVED')!.count,
        readmissions: f.readmissions - flowsBefore[i].readmissions,
      }));
      const none = { admissions: 0, officialConfirmations: 0, removed: 0, readmissions: 0 };
      expect(delta).toEqual([
        { ...none, admissions: 1 }, // 1994-01-10 admitted
        { ...none, officialConfirmations: 1 }, // 1995-01-10 official
        { ...none, removed: 1 }, // 2000-01-10 removed
        { ...none, readmissions: 1 }, // 2004-01-10 readmitted
        { ...none, officialConfirmations: 1 }, // 2005-01-10 official again
      ]);
      dates.forEach((date, i) => {
        const onRolls = !(date >= removedOn && date < readmittedOn);
        expect(after[i].total, date).toBe(before[i].total + (onRolls ? 1 : 0));
        const partyAges = counts(before[i].byPartyAgeBand);
        if (onRolls) bump(partyAges, partyAgeBand(partyYears(spans, date)), 1);
        expect(counts(after[i].byPartyAgeBand), `party age band on ${date}`).toEqual(partyAges);
      });
      // Calendar time since admission is in another band than the party age: the gap matters.
      expect(partyAgeBand(completedYears(joined, AS_OF))).not.toBe(partyAgeBand(partyYears(spans, AS_OF)));
    });
  });

  describe('after a unit moves in the tree', () => {
    // The move is made as the owner, as an operator would, dated on the API's today through
    // app.effective_on (migration 26: the tree before that day stays in the unit's periods): a
    // ward moves to another district.
    it('today’s statistics follow the tree that the members list and scope follow', async () => {
      const ward = await unitId('DN.HAICHAU.HOACUONGBAC');
      const from = await unitId('DN.HAICHAU');
      const to = await unitId('DN.SONTRA');
      const city = await unitId('DN');
      const [wardBefore] = await activeListed([ward]);
      expect(wardBefore).toBeGreaterThan(0);
      const pastBefore = await stat(ward, AS_OF);
      const pastFrom = await stat(from, AS_OF);
      await ownerQuery(
        t.db,
        `with dated as (select set_config('app.effective_on', $3, true)) update org_unit set parent_id = $2 from dated where id = $1`,
        [ward, to, TODAY],
      );
      const [stale] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(*)::int n from member m join org_unit o on o.id = m.unit_id where m.unit_path <> o.path`,
      );
      expect(stale.n).toBe(0); // the member records followed the move
      await expectStatisticsMatchLists([ward, from, to, city], admin, true);
      // The ward's own report for a date before the move is what it was: its members were in it then.
      expect.soft((await stat(ward, AS_OF)).total, 'the moved ward as of 2026-11-01').toBe(pastBefore.total);
      const [fromStats, toStats] = await statistics([from, to], null);
      expect.soft(toStats.children.map((c) => c.unit.id), 'children of the new district').toContain(ward);
      expect.soft(fromStats.children.map((c) => c.unit.id), 'children of the old district').not.toContain(ward);
      // Before the day of the move, the tree of that date: the ward is still the old district's.
      const [fromPast, toPast] = await statistics([from, to], AS_OF);
      expect.soft(fromPast.children.map((c) => c.unit.id), 'children of the old district as of 2026-11-01').toContain(ward);
      expect.soft(toPast.children.map((c) => c.unit.id), 'children of the new district as of 2026-11-01').not.toContain(ward);
      expect.soft(fromPast.total, 'the old district as of 2026-11-01 is what it was').toBe(pastFrom.total);
      // The old district's own account: its figures cover its scope, not the ward that left, and add up.
      const haichau = await t.login('haichau');
      await expectStatisticsMatchLists([from], haichau, true);
      const own = await stat(from, null, haichau);
      expect.soft(own.children.reduce((a, c) => a + c.total, 0) + own.registeredDirectly, 'children + registeredDirectly as the old district').toBe(own.total);
    });
  });
});
