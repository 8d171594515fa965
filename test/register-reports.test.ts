import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import { AS_OF, ACTIVE, TODAY, UPDATE, counts, daysBetween, reportsHarness, type Count } from './support/reports';

/**
 * Reports in the forms' categories (issue 12, item 6): general education counted by level
 * whatever grading system was recorded, political theory "none" apart from "not declared", the
 * average age, and the religions checked against the recognised list (a Protestant church
 * counted as Tin lành, kept on its records but no longer recorded).
 */
describe('reports in the forms’ categories', () => {
  let t: TestApp;
  let admin: string;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  const { start, unitId, stat, ok, admit } = reportsHarness();

  /** A raw change of old data, as an import would have left it, dated the app's today. */
  async function legacy(sql: string) {
    await ownerQuery(t.db, `begin; select set_config('app.today', '${TODAY}', true); ${sql}; commit`);
  }

  /** Mean of exact ages (days lived over 365.2425) to one decimal, computed here by hand. */
  function meanAge(birthDates: string[], on: string): number | null {
    if (!birthDates.length) return null;
    const days = birthDates.reduce((a, dob) => a + daysBetween(dob, on), 0);
    return Math.round((days / birthDates.length / 365.2425) * 10) / 10;
  }

  beforeAll(async () => {
    ({ t, admin, staff } = await start());
  });
  afterAll(() => t.close());

  describe('catalogues', () => {
    it('religion lists the 16 recognised religions, Hiếu Nghĩa Tà Lơn included and the Presbyterian church left out', async () => {
      const result = await t.gql(`{ catalogue(kind: RELIGION) { code label } }`, {}, staff);
      const codes = result.data.catalogue.map((c: { code: string }) => c.code);
      expect(codes).toHaveLength(16);
      expect(result.data.catalogue).toContainEqual({ code: 'HIEU_NGHIA_TA_LON', label: 'Phật giáo Hiếu Nghĩa Tà Lơn' });
      expect(codes).not.toContain('TRUONG_LAO');
      expect(codes).toContain('TIN_LANH');
    });

    it('the database holds the same rows, the retired code counted as Tin lành', async () => {
      const rows = await ownerQuery<{ code: string; label: string; counted_as: string | null }>(
        t.db, `select code, label, counted_as from religion order by position`,
      );
      const api = (await t.gql(`{ catalogue(kind: RELIGION) { code label } }`, {}, staff)).data.catalogue;
      expect(rows.filter((r) => r.counted_as === null).map(({ code, label }) => ({ code, label }))).toEqual(api);
      expect(rows.filter((r) => r.counted_as !== null)).toEqual([{ code: 'TRUONG_LAO', label: 'Giáo hội Trưởng lão Việt Nam', counted_as: 'TIN_LANH' }]);
    });

    it('political theory has NONE (chưa qua đào tạo) first, in the API and the database', async () => {
      const api = (await t.gql(`{ catalogue(kind: POLITICAL_THEORY) { code label } }`, {}, staff)).data.catalogue;
      const rows = await ownerQuery<{ code: string; label: string }>(t.db, `select code, label from political_theory_level order by position`);
      expect(api).toEqual(rows);
      expect(api[0]).toEqual({ code: 'NONE', label: 'Chưa qua đào tạo' });
    });

    it('existing members with no political theory keep no value (nothing rewritten to NONE)', async () => {
      const [{ n }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member where political_theory = 'NONE'`);
      expect(n).toBe(0);
      const [{ unset }] = await ownerQuery<{ unset: number }>(t.db, `select count(*)::int unset from member where political_theory is null`);
      expect(unset).toBeGreaterThan(0);
    });
  });

  describe('statistics of a cell after members are recorded in every category', () => {
    let cell: string;
    let cellCode: string;
    let before: Awaited<ReturnType<typeof stat>>;
    let after: Awaited<ReturnType<typeof stat>>;
    let presbyterian: { id: string; version: number };

    beforeAll(async () => {
      [{ code: cellCode }] = await ownerQuery<{ code: string }>(
        t.db, `select code from org_unit where code like 'DN.HAICHAU.THACHTHANG.%' and kind = 'CELL' order by code limit 1`,
      );
      cell = await unitId(cellCode);
      before = await stat(cell, null);

      // Five new members, each then given its education, theory and religion by a correction.
      const details = [
        { dateOfBirth: '1990-03-10', joinedOn: '2018-05-19', generalEducation: '5/12', politicalTheoryCode: 'NONE', religionCode: 'HIEU_NGHIA_TA_LON' },
        { dateOfBirth: '1985-07-01', joinedOn: '2012-09-02', generalEducation: '7/10', politicalTheoryCode: 'NONE', religionCode: null },
        { dateOfBirth: '1980-12-31', joinedOn: '2010-02-03', generalEducation: '9/9', politicalTheoryCode: null, religionCode: 'TIN_LANH' },
        { dateOfBirth: '1995-02-28', joinedOn: '2020-11-07', generalEducation: '9/12', politicalTheoryCode: 'SO_CAP', religionCode: null },
        { dateOfBirth: '1975-06-15', joinedOn: '2005-06-15', generalEducation: null, politicalTheoryCode: null, religionCode: null },
      ];
      const made = [];
      for (const d of details) {
        const member = await admit(cellCode, { dateOfBirth: d.dateOfBirth, joinedOn: d.joinedOn, official: true });
        const updated = await ok(
          UPDATE,
          {
            id: member.id, expectedVersion: member.version, generalEducation: d.generalEducation,
            politicalTheoryCode: d.politicalTheoryCode, religionCode: d.religionCode, reason: 'Bổ sung lý lịch theo hồ sơ gốc',
          },
          'updateMember',
        );
        made.push(updated);
      }
      // Old data: one member recorded with the Presbyterian church, one with an unreadable education.
      await legacy(`update member set religion = 'TRUONG_LAO', general_education = '13/12' where id = ${Number(made[4].id)}`);
      const [row] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [made[4].id]);
      presbyterian = { id: made[4].id, version: row.version };
      after = await stat(cell, null);
    });

    const delta = (key: 'byGeneralEducation' | 'byPoliticalTheory' | 'byReligion') => {
      const d: Record<string, number> = {};
      for (const c of after[key]) d[c.key] = c.count;
      for (const c of before[key]) d[c.key] = (d[c.key] ?? 0) - c.count;
      return Object.fromEntries(Object.entries(d).filter(([, n]) => n !== 0));
    };

    it('general education is counted by level whatever the system: lines are the forms’ levels, never the text typed', () => {
      expect(after.total).toBe(before.total + 5);
      expect(after.byGeneralEducation.map((c: Count) => c.key)).toEqual(['PRIMARY', 'LOWER_SECONDARY', 'UPPER_SECONDARY', 'UNREADABLE', 'UNKNOWN']);
      expect(after.byGeneralEducation.map((c: Count) => c.label)).toEqual(['Tiểu học', 'Trung học cơ sở', 'Trung học phổ thông', 'Ghi không rõ cấp học', 'Chưa khai']);
      // 5/12 primary; 7/10 and 9/12 lower secondary; 9/9 upper secondary; 13/12 unreadable.
      expect(delta('byGeneralEducation')).toEqual({ PRIMARY: 1, LOWER_SECONDARY: 2, UPPER_SECONDARY: 1, UNREADABLE: 1 });
    });

    it('political theory counts NONE apart from UNKNOWN, every level listed', () => {
      expect(after.byPoliticalTheory.map((c: Count) => c.key)).toEqual(['NONE', 'SO_CAP', 'TRUNG_CAP', 'CAO_CAP', 'CU_NHAN', 'UNKNOWN']);
      expect(after.byPoliticalTheory.find((c: Count) => c.key === 'NONE')!.label).toBe('Chưa qua đào tạo');
      expect(after.byPoliticalTheory.find((c: Count) => c.key === 'UNKNOWN')!.label).toBe('Chưa khai');
      expect(delta('byPoliticalTheory')).toEqual({ NONE: 2, SO_CAP: 1, UNKNOWN: 2 });
    });

    it('religions: Hiếu Nghĩa Tà Lơn counted, the Presbyterian church counted as Tin lành, never a line of its own', () => {
      expect(delta('byReligion')).toEqual({ HIEU_NGHIA_TA_LON: 1, TIN_LANH: 2, NONE: 2 });
      expect(after.byReligion.map((c: Count) => c.key)).not.toContain('TRUONG_LAO');
    });

    it('the member’s own record still reads the church it holds (not rewritten)', async () => {
      const result = await t.gql(`query($id: ID!) { member(id: $id) { religion } }`, { id: presbyterian.id }, staff);
      expect(result.errors).toBeUndefined();
      expect(result.data.member.religion).toBe('Giáo hội Trưởng lão Việt Nam');
    });

    it('the retired code is refused for a new value, naming the field, and nothing is written', async () => {
      const [other] = await ownerQuery<{ id: string; version: number }>(
        t.db,
        `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id
          where u.code = $1 and m.status = 'OFFICIAL' and m.id <> $2 order by m.id limit 1`,
        [cellCode, presbyterian.id],
      );
      const result = await t.gql(UPDATE, { input: { id: other.id, expectedVersion: other.version, religionCode: 'TRUONG_LAO', reason: 'Theo hồ sơ' } }, staff);
      expect(result.errors).toBeUndefined();
      expect(result.data.updateMember.member).toBeNull();
      expect(result.data.updateMember.userErrors).toEqual([expect.objectContaining({ field: ['input', 'religionCode'] })]);
      const [row] = await ownerQuery<{ version: number; religion: string | null }>(t.db, `select version, religion from member where id = $1`, [other.id]);
      expect(row.version).toBe(other.version);
      expect(row.religion).not.toBe('TRUONG_LAO');
    });

    it('the 9-year system is accepted as recorded', async () => {
      const [row] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member where general_education = '9/9'`);
      expect(row.n).toBeGreaterThanOrEqual(1);
    });

    it('the average age is the mean of the members’ exact ages on the date, to one decimal', async () => {
      const rows = await ownerQuery<{ dob: string }>(
        t.db,
        `select m.date_of_birth::text dob from member m join org_unit u on u.id = m.unit_id where u.code = $1 and m.status = any($2)`,
        [cellCode, ACTIVE],
      );
      expect(rows.length).toBe(after.total);
      expect(after.averageAge).toBe(meanAge(rows.map((r) => r.dob), TODAY));
      expect(after.averageAge).not.toBe(before.averageAge);
    });
  });

  it('the city’s average age on a past date is the mean over the members on the rolls that day', async () => {
    const city = await unitId('DN');
    const stats = await stat(city, AS_OF, admin);
    const rows = await ownerQuery<{ dob: string }>(
      t.db,
      `select m.date_of_birth::text dob from member m
        where exists (select 1 from member_status_period sp
                       where sp.member_id = m.id and sp.status = any($2)
                         and sp.valid_from <= $1::date and (sp.valid_to is null or sp.valid_to > $1::date))
          and exists (select 1 from member_unit_period up
                       where up.member_id = m.id and up.valid_from <= $1::date and (up.valid_to is null or up.valid_to > $1::date))`,
      [AS_OF, ACTIVE],
    );
    expect(rows.length).toBe(stats.total);
    expect(stats.averageAge).toBe(meanAge(rows.map((r) => r.dob), AS_OF));
    expect(stats.averageAge).toBeGreaterThan(18);
  });

  it('a unit with no member on the date has no average age', async () => {
    const city = await unitId('DN');
    const stats = await stat(city, '1930-01-01', admin);
    expect(stats.total).toBe(0);
    expect(stats.averageAge).toBeNull();
    expect(counts(stats.byGeneralEducation)).toEqual({});
  });

});
