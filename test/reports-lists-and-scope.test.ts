import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import {
  AS_OF, DUPLICATES, sum, reportsHarness,
} from './support/reports';

/**
 * Operational lists (probation ending, missing national ID), duplicateMembers, and who may see
 * which report: roles and scope.
 * Shared set-up and the hand-written date arithmetic: test/support/reports.ts.
 */
describe('reports', () => {
  let t: TestApp;
  let admin: string;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  const { start, unitId, stat, allPages, admit, changeStatus, readmit } = reportsHarness();

  beforeAll(async () => {
    ({ t, admin, staff } = await start());
  });
  afterAll(() => t.close());

  describe('operational lists: probation ending, missing national ID', () => {
    const MEMBERS = `query($filter: MemberFilter, $after: String) { members(filter: $filter, first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }`;
    const BY = '2026-12-20'; // today + 30 days

    it('probationEndsBy lists exactly the probationary members whose 12 months end by then (readmitted ones from readmission)', async () => {
      // Hand-made: one due within the month, one readmitted whose new probation ends later although admitted long ago.
      const dueSoon = await admit('DN.HAICHAU.THACHTHANG.CB01', { dateOfBirth: '1995-05-05', joinedOn: '2025-12-10' });
      let back = await admit('DN.HAICHAU.THACHTHANG.CB01', { dateOfBirth: '1980-05-05', joinedOn: '2010-01-01', official: true });
      back = await changeStatus(back, 'REMOVED', '2020-01-01');
      back = await readmit(back, '2026-01-05');

      for (const by of [BY, '2027-01-05', '2026-12-09']) {
        const { nodes, totalCount } = await allPages<{ id: string; status: string }>(MEMBERS, { filter: { probationEndsBy: by } }, admin, 'members');
        expect(nodes.length).toBe(totalCount);
        // Independently: the open status period is probation, begun 12 months or more before `by`.
        const expected = await ownerQuery<{ id: string }>(
          t.db,
          `select sp.member_id::text id from member_status_period sp
            where sp.valid_to is null and sp.status = 'PROBATIONARY' and (sp.valid_from + interval '12 months')::date <= $1::date`,
          [by],
        );
        expect(nodes.map((n) => n.id).sort(), by).toEqual(expected.map((r) => r.id).sort());
        expect(nodes.every((n) => n.status === 'PROBATIONARY')).toBe(true);
        const ids = new Set(nodes.map((n) => n.id));
        expect(ids.has(dueSoon.id), `${by}: admitted 2025-12-10`).toBe(by >= '2026-12-10');
        expect(ids.has(back.id), `${by}: readmitted 2026-01-05`).toBe(by >= '2027-01-05');
      }
    });

    it('hasNationalId: false lists exactly the records without a national ID; true the others', async () => {
      const missing = await allPages<{ id: string }>(MEMBERS, { filter: { hasNationalId: false } }, admin, 'members');
      const expected = await ownerQuery<{ id: string }>(t.db, `select id::text from member where national_id is null`);
      expect(expected.length).toBeGreaterThan(0);
      expect(missing.nodes.map((n) => n.id).sort()).toEqual(expected.map((r) => r.id).sort());
      const having = await t.gql(`query { members(filter: { hasNationalId: true }, first: 1) { totalCount } }`, {}, admin);
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member where national_id is not null`);
      expect(having.data.members.totalCount).toBe(n);
      // Within a ward account's scope only.
      const ward = await t.gql(`query { members(filter: { hasNationalId: false }, first: 1) { totalCount } }`, {}, staff);
      const [{ n: inWard }] = await ownerQuery<{ n: number }>(
        t.db,
        `select count(*)::int n from member where national_id is null and unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG')`,
      );
      expect(ward.data.members.totalCount).toBe(inWard);
    });
  });

  describe('duplicateMembers', () => {
    let inWard: string[];
    let outside: string[];
    const BORN = '1961-02-27';

    beforeAll(async () => {
      inWard = [
        (await admit('DN.HAICHAU.THACHTHANG.CB01', { fullName: 'Nguyễn Văn Ấn', dateOfBirth: BORN, joinedOn: '1990-01-01', gender: 'MALE' })).id,
        (await admit('DN.HAICHAU.THACHTHANG.CB02', { fullName: 'NGUYEN van AN', dateOfBirth: BORN, joinedOn: '1991-01-01', gender: 'MALE' })).id,
      ];
      // The same person in another district, and a pair that lies wholly outside the ward.
      outside = [
        (await admit('DN.SONTRA.MANTHAI.CB01', { fullName: 'nguyễn văn ấn', dateOfBirth: BORN, joinedOn: '1992-01-01', gender: 'MALE' }, admin)).id,
        (await admit('DN.SONTRA.MANTHAI.CB01', { fullName: 'Hồ Thị Trùng', dateOfBirth: BORN, joinedOn: '1993-01-01' }, admin)).id,
        (await admit('DN.SONTRA.MANTHAI.CB02', { fullName: 'HO THI TRUNG', dateOfBirth: BORN, joinedOn: '1994-01-01' }, admin)).id,
      ];
    });

    const groups = async (token: string, unitId?: string) =>
      (await allPages<{ id: string; members: { id: string; fullName: string; dateOfBirth: string }[] }>(DUPLICATES, { unitId }, token, 'duplicateMembers')).nodes;

    it('same name without regard to diacritics or case and same birth date: one group with both records', async () => {
      const found = await groups(staff);
      const ours = found.filter((g) => g.members.some((m) => inWard.includes(m.id)));
      expect(ours).toHaveLength(1);
      expect(ours[0].members.map((m) => m.id).sort()).toEqual([...inWard].sort());
      expect(ours[0].id).toBe(String(Math.min(...inWard.map(Number))));
      expect(ours[0].members.map((m) => m.fullName).sort()).toEqual(['NGUYEN van AN', 'Nguyễn Văn Ấn']);
      for (const g of found) {
        expect(g.members.length).toBeGreaterThan(1);
        expect(new Set(g.members.map((m) => m.dateOfBirth)).size).toBe(1);
      }
    });

    it('a ward account sees no group or record outside its ward; the city sees the whole group', async () => {
      const wardPath = (await ownerQuery<{ path: string }>(t.db, `select path::text from org_unit where code = 'DN.HAICHAU.THACHTHANG'`))[0].path;
      const found = await groups(staff);
      const seen = found.flatMap((g) => g.members.map((m) => m.id));
      for (const id of outside) expect(seen).not.toContain(id);
      const rows = await ownerQuery<{ inside: boolean }>(t.db, `select unit_path <@ $2::ltree as inside from member where id = any($1::bigint[])`, [seen, wardPath]);
      expect(rows.every((r) => r.inside)).toBe(true);

      const city = await groups(admin);
      const ours = city.find((g) => g.members.some((m) => m.id === inWard[0]))!;
      expect(ours.members.map((m) => m.id).sort()).toEqual([...inWard, outside[0]].sort());
      expect(city.some((g) => g.members.some((m) => m.id === outside[1]))).toBe(true);
      // A ward account naming a unit of another district: NOT_FOUND.
      const foreign = await t.gql(DUPLICATES, { unitId: await unitId('DN.SONTRA') }, staff);
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('scope and roles', () => {
    let reporter: string;
    let auditor: string;
    let viewer: string;
    beforeAll(async () => {
      [reporter, auditor, viewer] = await Promise.all([t.login('reporter'), t.login('auditor'), t.login('sontra.viewer')]);
      // What the lists below must name, made here rather than left to another file's tests: a member
      // of DN.HAICHAU.THACHTHANG.CB02 due for the 30-year badge at 2027-02-03, and a duplicate pair.
      await admit('DN.HAICHAU.THACHTHANG.CB02', { dateOfBirth: '1970-05-01', joinedOn: '1996-12-15', official: true });
      await admit('DN.HAICHAU.THACHTHANG.CB01', { fullName: 'Trần Văn Lặp', dateOfBirth: '1972-08-08', joinedOn: '1998-01-01', gender: 'MALE' });
      await admit('DN.HAICHAU.THACHTHANG.CB02', { fullName: 'TRAN VAN LAP', dateOfBirth: '1972-08-08', joinedOn: '1999-01-01', gender: 'MALE' });
    });

    it('REPORTER gets statistics, flows, badgesDue and duplicateMembers, with the non-sensitive fields of the members named', async () => {
      const city = await unitId('DN');
      const cell = await unitId('DN.HAICHAU.THACHTHANG.CB02');
      const result = await t.gql(
        `query($city: ID!, $cell: ID!) {
          statistics(unitId: $city, asOf: "2026-11-01") { total byReligion { key count } byEthnicity { key count } }
          flows(unitId: $city, from: "2026-01-01", to: "2026-11-01") { opening closing }
          badgesDue(unitId: $cell, ceremonyOn: "2027-02-03", first: 100) { totalCount edges { node { badgeYears member { id fullName dateOfBirth status unit { code } } } } }
          duplicateMembers(first: 100) { totalCount edges { node { id members { id fullName dateOfBirth } } } }
        }`,
        { city, cell },
        reporter,
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data.statistics.total).toBe((await stat(city, AS_OF)).total);
      expect(sum(result.data.statistics.byReligion)).toBe(result.data.statistics.total);
      expect(result.data.badgesDue.edges.length).toBeGreaterThan(0);
      expect(result.data.badgesDue.edges[0].node.member.fullName).toEqual(expect.any(String));
      expect(result.data.duplicateMembers.totalCount).toBeGreaterThan(0);
    });

    it('REPORTER asking the national ID or religion of a member named in a list gets FORBIDDEN', async () => {
      const cell = await unitId('DN.HAICHAU.THACHTHANG.CB02');
      const badges = await t.gql(
        `query($cell: ID!) { badgesDue(unitId: $cell, ceremonyOn: "2027-02-03", first: 5) { edges { node { member { id nationalId } } } } }`,
        { cell },
        reporter,
      );
      expect(badges.errors?.length).toBeGreaterThan(0);
      expect(badges.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
      expect(JSON.stringify(badges.data ?? null)).not.toMatch(/\d{12}/);
      const duplicates = await t.gql(`query { duplicateMembers(first: 5) { edges { node { members { id religion ethnicity } } } } }`, {}, reporter);
      expect(duplicates.errors?.length).toBeGreaterThan(0);
      expect(duplicates.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    });

    it('AUDITOR gets FORBIDDEN for every report', async () => {
      const city = await unitId('DN');
      for (const query of [
        `query($u: ID!) { statistics(unitId: $u) { total } }`,
        `query($u: ID!) { flows(unitId: $u, from: "2026-01-01", to: "2026-11-01") { closing } }`,
        `query($u: ID!) { badgesDue(unitId: $u) { totalCount } }`,
        `query($u: ID!) { duplicateMembers(unitId: $u) { totalCount } }`,
      ]) {
        const result = await t.gql(query, { u: city }, auditor);
        expect(result.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
        expect(result.data ?? null, query).toBeNull();
      }
    });

    it('a ward account asking about a unit outside its ward gets NOT_FOUND, like a unit that does not exist', async () => {
      const outside = [await unitId('DN.SONTRA'), await unitId('DN.SONTRA.MANTHAI.CB01'), await unitId('DN.HAICHAU'), await unitId('DN'), '999999', 'abc'];
      for (const u of outside) {
        for (const query of [
          `query($u: ID!) { statistics(unitId: $u, asOf: "2026-11-01") { total } }`,
          `query($u: ID!) { flows(unitId: $u, from: "2026-01-01", to: "2026-11-01") { closing } }`,
          `query($u: ID!) { badgesDue(unitId: $u) { totalCount } }`,
        ]) {
          const result = await t.gql(query, { u }, staff);
          expect(result.errors?.[0].extensions?.code, `${query} ${u}`).toBe('NOT_FOUND');
          expect(JSON.stringify(result.errors)).not.toMatch(/SONTRA|Sơn Trà|HAICHAU/);
        }
      }
      // Its own ward and cells are fine, and add up to what the city sees of them.
      const ward = await unitId('DN.HAICHAU.THACHTHANG');
      expect((await stat(ward, AS_OF, staff)).total).toBe((await stat(ward, AS_OF, admin)).total);
    });

    it('COMMITTEE_VIEWER gets its district’s statistics (same as the city sees), not another district’s', async () => {
      const sontra = await unitId('DN.SONTRA');
      const own = await stat(sontra, AS_OF, viewer);
      expect(own).toEqual(await stat(sontra, AS_OF, admin));
      expect(own.total).toBeGreaterThan(0);
      const other = await t.gql(`query($u: ID!) { statistics(unitId: $u) { total } }`, { u: await unitId('DN.HAICHAU') }, viewer);
      expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
