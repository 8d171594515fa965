import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DISTRICTS } from '../seeds/danang-tree';
import { person } from '../seeds/people';
import { Random } from '../seeds/random';
import { createTestDatabase, ownerQuery, type TestDatabase } from './support/db';

/** The demo seed is the product's first impression: the real tree, plausible people, lawful dates. */
describe('the demo seed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('is the Đà Nẵng tree before 2025: the city, 7 districts, 56 wards, 3–8 cells each', async () => {
    const kinds = await ownerQuery<{ kind: string; n: string }>(db, `select kind, count(*) n from org_unit group by kind`);
    const count = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(count.CITY).toBe(1);
    expect(count.DISTRICT).toBe(7);
    expect(count.WARD).toBe(56);
    const cells = await ownerQuery<{ min: number; max: number }>(
      db,
      `select min(n)::int min, max(n)::int max from (select count(*) n from org_unit where kind = 'CELL' group by parent_id) c`,
    );
    expect(cells[0].min).toBeGreaterThanOrEqual(3);
    expect(cells[0].max).toBeLessThanOrEqual(8);
    const wards = await ownerQuery<{ code: string; name: string }>(db, `select code, name from org_unit where code in ('DN.HAICHAU.THACHTHANG', 'DN.HOAVANG.HOABAC')`);
    expect(wards).toEqual(
      expect.arrayContaining([
        { code: 'DN.HAICHAU.THACHTHANG', name: 'Đảng bộ phường Thạch Thang' },
        { code: 'DN.HOAVANG.HOABAC', name: 'Đảng bộ xã Hòa Bắc' },
      ]),
    );
    expect(DISTRICTS.reduce((n, d) => n + d.wards.length, 0)).toBe(56);
  });

  it('has the requested number of members, each in a cell, with unique card numbers and national IDs', async () => {
    const [row] = await ownerQuery<{ n: number; cards: number; ids: number; not_cell: number }>(
      db,
      `select count(*)::int n, count(distinct party_card_number)::int cards, count(distinct national_id)::int ids,
              count(*) filter (where u.kind <> 'CELL')::int not_cell
         from member m join org_unit u on u.id = m.unit_id`,
    );
    expect(row.n).toBe(inject('db').testMembers);
    expect(row.not_cell).toBe(0);
    const [nulls] = await ownerQuery<{ cards: number; ids: number }>(
      db,
      `select count(party_card_number)::int cards, count(national_id)::int ids from member`,
    );
    expect(row.cards).toBe(nulls.cards); // every card number present is unique
    expect(row.ids).toBe(nulls.ids);
  });

  it('obeys the lifecycle: admission at full 18 to full 60 years in months, official exactly 12 months after admission, no card while probationary', async () => {
    const [bad] = await ownerQuery<{ age: number; official: number; probation_card: number; end_official: number }>(
      db,
      `select
         count(*) filter (where extract(year from age(joined_on, date_of_birth)) * 12 + extract(month from age(joined_on, date_of_birth))
                                not between 18 * 12 and 60 * 12)::int age,
         count(*) filter (where status <> 'PROBATIONARY' and official_on <> joined_on + interval '12 months')::int official,
         count(*) filter (where status = 'PROBATIONARY' and (party_card_number is not null or official_on is not null))::int probation_card,
         count(*) filter (where status = 'PROBATIONARY' and joined_on < date '2026-11-01' - interval '14 months')::int end_official
       from member`,
    );
    expect(bad).toEqual({ age: 0, official: 0, probation_card: 0, end_official: 0 });
  });

  it('has realistic people: Vietnamese names with diacritics, mostly Kinh, Cơ Tu only in Hòa Vang’s mountain communes', async () => {
    const [shape] = await ownerQuery<{ diacritics: number; kinh: number; total: number; cotu_elsewhere: number; cotu: number }>(
      db,
      `select count(*) filter (where full_name <> hoso_fold(full_name) collate "C")::int diacritics,
              count(*) filter (where ethnicity = '01')::int kinh, count(*)::int total,
              count(*) filter (where ethnicity = '26' and u.code not similar to 'DN.HOAVANG.(HOABAC|HOANINH|HOAPHU)%')::int cotu_elsewhere,
              count(*) filter (where ethnicity = '26')::int cotu
         from member m join org_unit u on u.id = m.unit_id`,
    );
    expect(shape.diacritics / shape.total).toBeGreaterThan(0.95);
    expect(shape.kinh / shape.total).toBeGreaterThan(0.9);
    expect(shape.cotu).toBeGreaterThan(0);
    expect(shape.cotu_elsewhere).toBe(0);
    const statuses = await ownerQuery<{ status: string; share: number }>(
      db,
      `select status, count(*)::float / sum(count(*)) over () share from member group by status`,
    );
    const share = Object.fromEntries(statuses.map((s) => [s.status, s.share]));
    expect(share.OFFICIAL).toBeGreaterThan(0.75);
    expect(share.PROBATIONARY).toBeGreaterThan(0.005);
  });

  it('keeps status and unit as dated periods: the open period is the current status and cell, with no gaps', async () => {
    const [check] = await ownerQuery<{ members: number; open_status_ok: number; open_unit_ok: number; gaps: number; starts: number }>(
      db,
      `select (select count(*)::int from member) members,
              (select count(*)::int from member m join member_status_period p on p.member_id = m.id and p.valid_to is null and p.status = m.status) open_status_ok,
              (select count(*)::int from member m join member_unit_period p on p.member_id = m.id and p.valid_to is null and p.unit_id = m.unit_id) open_unit_ok,
              (select count(*)::int from member_status_period a where a.valid_to is not null
                 and not exists (select 1 from member_status_period b where b.member_id = a.member_id and b.valid_from = a.valid_to)) gaps,
              (select count(*)::int from member m join member_status_period p on p.member_id = m.id and p.valid_from = m.joined_on and p.status = 'PROBATIONARY') starts`,
    );
    expect(check.open_status_ok).toBe(check.members);
    expect(check.open_unit_ok).toBe(check.members);
    expect(check.starts).toBe(check.members);
    expect(check.gaps).toBe(0);
  });

  it('is deterministic: the same seed gives the same people', () => {
    const run = () => {
      const random = new Random(42);
      return Array.from({ length: 200 }, () => person(random, { coTu: false, today: '2026-11-01' }));
    };
    expect(run()).toEqual(run());
  });
});
