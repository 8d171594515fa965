import type { Client, ClientBase } from 'pg';
import { hashPassword } from '../src/access/passwords';
import { CITY, DISTRICTS, codeOf } from './danang-tree';
import { file } from './files';
import { person } from './people';
import { Random } from './random';
import type { DepartureCauseCode } from '../src/members/departure';

/**
 * The demo accounts (docs/api.md); all share DEMO_PASSWORD. `before` is the unit the seed gives
 * them in the tree before 2025; `unit` the unit after the reform of 1 July 2025, which moves
 * `haichau`, `sontra.viewer` and `thachthang` to the units that succeeded theirs and deactivates
 * `camle`, whose district committee was dissolved (seeds/demo-reform.ts). The test template
 * without the reform keeps them at `before`.
 */
export const DEMO_ACCOUNTS = [
  { username: 'admin', role: 'CITY_ADMIN', before: 'DN', unit: 'DN', active: true },
  { username: 'haichau', role: 'ORG_STAFF', before: 'DN.HAICHAU', unit: 'DN.HAICHAU2', active: true },
  { username: 'thachthang', role: 'ORG_STAFF', before: 'DN.HAICHAU.THACHTHANG', unit: 'DN.HAICHAU.THACHTHANG.CB01', active: true },
  { username: 'sontra.viewer', role: 'COMMITTEE_VIEWER', before: 'DN.SONTRA', unit: 'DN.SONTRA2', active: true },
  { username: 'reporter', role: 'REPORTER', before: 'DN', unit: 'DN', active: true },
  { username: 'auditor', role: 'AUDITOR', before: 'DN', unit: 'DN', active: true },
  { username: 'camle', role: 'ORG_STAFF', before: 'DN.CAMLE', unit: 'DN.CAMLE', active: false },
] as const;

export const DEMO_PASSWORD = 'hoso-demo';

/** The seed_task (migration 30) the seed leaves for the server: apply the 2025 reform. */
export const DEMO_REFORM_TASK = 'demo-reform-2025';

/** The data is generated as of this date, so it is the same whatever day the seed runs. */
export const DEMO_REFERENCE_DATE = '2026-11-01';

const SEED = 20_250_701;

interface UnitRow {
  id: string;
  code: string;
}

async function insertUnit(client: ClientBase, unit: { code: string; name: string; kind: string; parentId: string | null }) {
  const { rows } = await client.query<UnitRow>(
    'insert into org_unit (code, name, kind, parent_id) values ($1, $2, $3, $4) returning id, code',
    [unit.code, unit.name, unit.kind, unit.parentId],
  );
  return rows[0];
}

/**
 * Loads the demo data into an empty database: the Đà Nẵng tree before 2025, `members`
 * synthetic members spread over its cells, and the demo accounts. Deterministic.
 */
export async function seedDemo(
  connect: () => Promise<Client>,
  options: { members: number },
): Promise<{ units: number; members: number }> {
  const random = new Random(SEED);
  const client = await connect();
  const wards: { id: string; weight: number; coTu: boolean; cells: string[]; address: string; committee: string }[] = [];
  let units = 1;
  await client.query('begin');
  // The initial load is not history: the owner's bulk-load switch skips the audit triggers.
  await client.query(`set local hoso.bulk_load = 'on'`);
  try {
    const city = await insertUnit(client, { code: CITY.code, name: CITY.name, kind: 'CITY', parentId: null });
    for (const district of DISTRICTS) {
      const districtCode = `${city.code}.${codeOf(district.name)}`;
      const districtRow = await insertUnit(client, {
        code: districtCode,
        name: `Đảng bộ ${district.type.toLowerCase()} ${district.name}`,
        kind: 'DISTRICT',
        parentId: city.id,
      });
      units++;
      const rural = district.type === 'Huyện';
      for (const [wardName, weight] of district.wards) {
        const wardCode = `${districtCode}.${codeOf(wardName)}`;
        const ward = await insertUnit(client, {
          code: wardCode,
          name: `Đảng bộ ${rural ? 'xã' : 'phường'} ${wardName}`,
          kind: 'WARD',
          parentId: districtRow.id,
        });
        units++;
        const cells: string[] = [];
        const cellCount = random.int(3, 8);
        for (let i = 1; i <= cellCount; i++) {
          const number = String(i).padStart(2, '0');
          const cell = await insertUnit(client, {
            code: `${wardCode}.CB${number}`,
            name: rural ? `Chi bộ thôn ${i}` : `Chi bộ khu dân cư số ${i}`,
            kind: 'CELL',
            parentId: ward.id,
          });
          cells.push(cell.id);
          units++;
        }
        wards.push({
          id: ward.id,
          weight,
          coTu: district.coTu?.includes(wardName) ?? false,
          cells,
          address: `${rural ? 'xã' : 'phường'} ${wardName}, ${district.type.toLowerCase()} ${district.name}, thành phố Đà Nẵng`,
          committee: `Đảng ủy ${rural ? 'xã' : 'phường'} ${wardName}`,
        });
      }
    }

    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    await client.end();
    throw error;
  }
  try {
    // Members in two lanes, each on its own connection and transaction, so PostgreSQL uses both
    // cores. Each ward has its own random stream and id range: the data do not depend on timing.
    const totalWeight = wards.reduce((sum, w) => sum + w.weight, 0);
    let nextId = 1;
    const plans = wards.map((ward, w) => {
      const count = w === wards.length - 1 ? options.members - nextId + 1 : Math.round((options.members * ward.weight) / totalWeight);
      const plan = { ...ward, firstId: nextId, count, random: new Random(SEED * 31 + w) };
      nextId += count;
      return plan;
    });
    const lanes = [plans.filter((_, i) => i % 2 === 0), plans.filter((_, i) => i % 2 === 1)];
    const counts = await Promise.all(
      lanes.map(async (lane) => {
        const laneClient = await connect();
        try {
          await laneClient.query('begin');
          await laneClient.query(`set local hoso.bulk_load = 'on'`);
          const n = await insertMembers(laneClient, lane);
          await laneClient.query('commit');
          return n;
        } finally {
          await laneClient.end();
        }
      }),
    );
    const members = counts.reduce((a, b) => a + b, 0);

    await client.query('begin');
    await client.query(`set local hoso.bulk_load = 'on'`);
    await client.query(`select setval(pg_get_serial_sequence('member', 'id'), greatest(1, (select max(id) from member)))`);
    await insertTransfers(client, random, wards);
    await insertCadres(client);
    await insertDeliberateIssues(client);

    for (const account of DEMO_ACCOUNTS) {
      await client.query(
        `insert into account (username, password_hash, role, unit_id)
         select $1, $2, $3, id from org_unit where code = $4`,
        [account.username, await hashPassword(DEMO_PASSWORD), account.role, account.before],
      );
    }
    // The bulk load skipped the reporting triggers too: the facts are built once, at the end.
    await client.query('select hoso_rebuild_all_member_facts()');
    // The 2025 reform is applied by the server through its API (seeds/demo-reform.ts).
    await client.query(`insert into seed_task (name) values ($1)`, [DEMO_REFORM_TASK]);
    await client.query('commit');
    await client.query('analyze');
    return { units, members };
  } catch (error) {
    // Leave an empty database, not half a demo: the next start seeds again.
    await client.query('rollback').catch(() => undefined);
    await client.query('truncate org_unit restart identity cascade');
    throw error;
  } finally {
    await client.end();
  }
}

const COLUMNS = [
  ['party_card_number', 'text'], ['full_name', 'text'], ['gender', 'text'], ['date_of_birth', 'date'],
  ['ethnicity', 'text'], ['religion', 'text'], ['national_id', 'text'], ['joined_on', 'date'],
  ['official_on', 'date'], ['status', 'text'], ['unit_id', 'bigint'], ['place_of_birth', 'text'],
  ['permanent_address', 'text'], ['phone', 'text'], ['occupation', 'text'], ['general_education', 'text'],
  ['professional_level', 'text'], ['political_theory', 'text'], ['state_management', 'text'], ['left_on', 'date'],
  ['id', 'bigint'],
] as const;

/** Rows gathered column by column and written with one multi-row insert (unnest) per batch. */
class RowBuffer {
  private values: unknown[][];

  constructor(
    private readonly table: string,
    private readonly columns: readonly (readonly [string, string])[],
    private readonly overriding = false,
  ) {
    this.values = columns.map(() => []);
  }

  push(...row: unknown[]): void {
    row.forEach((value, c) => this.values[c].push(value));
  }

  get size(): number {
    return this.values[0].length;
  }

  /** Takes the gathered rows (synchronously) and returns the insert that writes them. */
  take(): (client: ClientBase) => Promise<unknown> {
    const values = this.values;
    this.values = this.columns.map(() => []);
    if (!values[0].length) return async () => undefined;
    const unnest = this.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    const sql =
      `insert into ${this.table} (${this.columns.map(([name]) => name).join(', ')}) ` +
      `${this.overriding ? 'overriding system value ' : ''}select * from unnest(${unnest})`;
    return (client) => client.query(sql, values);
  }
}

const MEMBER = [['member_id', 'bigint']] as const;

/**
 * Why a member left (departure.ts, CAUSES_BY_STATUS), derived from the status and the member's
 * id so that no number is drawn: removals alternate between the two common causes.
 */
export function departureCause(status: string, id: number): DepartureCauseCode | null {
  switch (status) {
    case 'REMOVED':
      return id % 2 === 0 ? 'LOST_QUALITIES' : 'SELF_ABANDONMENT';
    case 'EXPELLED':
      return 'DISCIPLINE';
    case 'RESIGNED':
      return 'VOLUNTARY_RESIGNATION';
    case 'DECEASED':
      return 'DEATH';
    default:
      return null;
  }
}

/** A decision number derived from the member's id (no number drawn), e.g. "37-QĐ/ĐU". */
export function decisionNumber(id: number, suffix: string): string {
  return `${10 + (id % 90)}-${suffix}`;
}

/** The member's status history as the lifecycle would have written it, the departure with its cause. */
function statusPeriods(id: number, p: ReturnType<typeof person>): [number, string, string, string | null, string | null][] {
  const periods: [number, string, string, string | null, string | null][] = [];
  const probationEnd = p.officialOn ?? (p.status === 'PROBATIONARY' ? null : p.leftOn);
  periods.push([id, 'PROBATIONARY', p.joinedOn, probationEnd, null]);
  if (p.officialOn) periods.push([id, 'OFFICIAL', p.officialOn, p.releasedOn ?? p.leftOn, null]);
  if (p.releasedOn) periods.push([id, 'RELEASED', p.releasedOn, null, null]);
  if (p.leftOn) periods.push([id, p.status, p.leftOn, null, departureCause(p.status, id)]);
  return periods;
}

async function insertMembers(
  client: ClientBase,
  wards: { coTu: boolean; cells: string[]; address: string; committee: string; firstId: number; count: number; random: Random }[],
): Promise<number> {
  // The trigram index takes rows into its pending list; a bigger list merges far less often.
  await client.query(`set local gin_pending_list_limit = '256MB'`);
  const members = new RowBuffer('member', COLUMNS, true);
  const periods = new RowBuffer('member_status_period', [...MEMBER, ['status', 'text'], ['valid_from', 'date'], ['valid_to', 'date'], ['cause', 'text']]);
  const unitPeriods = new RowBuffer('member_unit_period', [...MEMBER, ['unit_id', 'bigint'], ['valid_from', 'date']]);
  const work = new RowBuffer('work_history', [...MEMBER, ['from_date', 'date'], ['to_date', 'date'], ['position', 'text'], ['organisation', 'text']]);
  const training = new RowBuffer('training', [...MEMBER, ['from_date', 'date'], ['to_date', 'date'], ['institution', 'text'], ['programme', 'text'], ['qualification', 'text']]);
  const awards = new RowBuffer('award', [...MEMBER, ['kind', 'text'], ['name', 'text'], ['badge_years', 'int'], ['awarded_on', 'date'], ['decision_number', 'text'], ['decision_date', 'date'], ['decision_body', 'text'], ['posthumous', 'bool']]);
  const ratings = new RowBuffer('quality_rating', [...MEMBER, ['year', 'int'], ['score', 'int'], ['category', 'text']]);
  const disciplines = new RowBuffer('discipline', [
    ...MEMBER, ['form', 'text'], ['decided_on', 'date'], ['grounds', 'text'], ['decision_number', 'text'], ['decision_date', 'date'], ['decision_body', 'text'],
  ]);
  const family = new RowBuffer('family_relation', [...MEMBER, ['relation', 'text'], ['full_name', 'text'], ['birth_year', 'int']]);
  let inserted = 0;
  // The database writes one batch while the next is generated (PostgreSQL runs on the other core).
  let writing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    inserted += members.size;
    // Members first: every other row names one.
    const inserts = [members, periods, unitPeriods, work, training, awards, ratings, disciplines, family].map((b) => b.take());
    const previous = writing;
    writing = (async () => {
      await previous;
      for (const insert of inserts) await insert(client);
    })();
    // A failed batch must not go unnoticed until the end.
    writing.catch(() => undefined);
  };

  for (const ward of wards) {
    const random = ward.random;
    for (let i = 0; i < ward.count; i++) {
      // Ids are given here (the database is empty) so the periods can name their member.
      const id = ward.firstId + i;
      const p = person(random, { coTu: ward.coTu, today: DEMO_REFERENCE_DATE, address: ward.address });
      // Cards are issued once a member is official; numbers and national IDs derive from the id,
      // so they are unique without coordination between the loading lanes.
      const card = p.status === 'PROBATIONARY' ? null : String(48_000_000 + id);
      const nationalId = p.hasNationalId ? p.nationalIdPrefix + String((id * 7919) % 1_000_000).padStart(6, '0') : null;
      const cell = random.pick(ward.cells);
      const row = [
        card, p.fullName, p.gender, p.dateOfBirth, p.ethnicity, p.religion, nationalId,
        p.joinedOn, p.officialOn, p.status, cell, p.placeOfBirth, p.permanentAddress, p.phone, p.occupation,
        p.generalEducation, p.professionalLevel, p.politicalTheory, p.stateManagement, p.leftOn, id,
      ];
      members.push(...row);
      for (const period of statusPeriods(id, p)) periods.push(...period);
      unitPeriods.push(id, cell, p.joinedOn);
      const f = file(random, p, DEMO_REFERENCE_DATE);
      for (const entry of f.work) work.push(id, ...entry);
      for (const entry of f.training) training.push(id, ...entry);
      for (const [years, on, posthumous] of f.badges) {
        awards.push(id, 'PARTY_BADGE', `Huy hiệu ${years} năm tuổi Đảng`, years, on, `${years}-QĐ/TU`, on, 'Thành ủy Đà Nẵng', posthumous);
      }
      for (const entry of f.ratings) ratings.push(id, ...entry);
      // Every discipline rests on a decision dated the day it was decided, by the ward's committee.
      for (const [form, on, grounds] of f.disciplines) disciplines.push(id, form, on, grounds, decisionNumber(id, 'QĐ/ĐU'), on, ward.committee);
      // Expulsion is one act (expulsion.ts): the EXPELLED status and its discipline entry, the same day.
      if (p.status === 'EXPELLED' && p.leftOn) {
        disciplines.push(id, 'EXPULSION', p.leftOn, 'Vi phạm nghiêm trọng Điều lệ Đảng', decisionNumber(id, 'QĐ/ĐU'), p.leftOn, ward.committee);
      }
      for (const entry of f.family) family.push(id, ...entry);
      if (members.size >= 5000) flush();
    }
  }
  flush();
  await writing;
  return inserted;
}

/**
 * Transfers awaiting arrival, some of them overdue (issued more than 30 days before the
 * reference date), between wards of different districts; Thạch Thang both sends and receives.
 */
async function insertTransfers(client: ClientBase, random: Random, wards: { cells: string[] }[]) {
  const { rows: thachThang } = await client.query<{ id: string }>(
    `select id::text from org_unit where code like 'DN.HAICHAU.THACHTHANG.CB%' order by code`,
  );
  const cells = wards.flatMap((w) => w.cells);
  const moves: [string, string][] = [];
  for (let i = 0; i < 24; i++) moves.push([random.pick(cells), random.pick(cells)]);
  if (thachThang.length) {
    moves.push([thachThang[0].id, random.pick(cells)], [random.pick(cells), thachThang[0].id], [random.pick(cells), thachThang[1]?.id ?? thachThang[0].id]);
  }
  for (const [from, to] of moves) {
    if (from === to) continue;
    const daysAgo = random.int(1, 75);
    const { rows } = await client.query<{ id: string }>(
      `select m.id::text from member m where m.unit_id = $1 and m.status = 'OFFICIAL' and m.under_review = false
          and not exists (select 1 from transfer t where t.member_id = m.id and t.status = 'PENDING')
        order by m.id limit 1 offset $2`,
      [from, random.int(0, 5)],
    );
    if (!rows.length) continue;
    // A temporary transfer ends six months after issue (transfer-rules.ts: 3 months to under a year).
    await client.query(
      `insert into transfer (member_id, kind, from_unit_id, to_unit_id, issued_on, report_by, decision_number, decision_date,
                             decision_body, reason, member_name, member_party_card_number, member_date_of_birth, returns_on)
       select m.id, $2::text, $3, $4, d.issued, d.issued + 30, $5, d.issued, u.name, 'Chuyển nơi cư trú', m.full_name, m.party_card_number, m.date_of_birth,
              case when $2::text = 'TEMPORARY' then (d.issued + interval '6 months')::date end
         from member m, org_unit u, (select $6::date - $7::int as issued) d
        where m.id = $1 and u.id = $3`,
      [rows[0].id, random.chance(0.85) ? 'PERMANENT' : 'TEMPORARY', from, to, `${random.int(10, 99)}-GGT/ĐU`, DEMO_REFERENCE_DATE, daysAgo],
    );
  }
}

/**
 * A few cadres: each ward's secretary (managed by the district, so a ward account does not see
 * the post) and deputy (managed by the ward), and each district's secretary (managed by the city).
 */
async function insertCadres(client: ClientBase) {
  const posts: [string, string, string, number][] = [
    // title, kind of the unit where the post is held, kind of the managing unit (its ancestor or itself), member rank
    ['Bí thư Đảng ủy', 'WARD', 'DISTRICT', 0],
    ['Phó Bí thư Đảng ủy', 'WARD', 'WARD', 1],
    ['Bí thư Quận ủy', 'DISTRICT', 'CITY', 0],
  ];
  for (const [title, heldAt, managedAt, rank] of posts) {
    await client.query(
      `insert into post (member_id, title, unit_id, managed_by_unit_id, start_on, term_years, decision_number, decision_date, decision_body)
       select m.id, $1 || ' ' || replace(replace(replace(h.name, 'Đảng bộ ', ''), 'quận ', ''), 'huyện ', ''), h.id, g.id, s.start_on, 5,
              (100 + h.id) || '-QĐ/TU', s.start_on, g.name
         from org_unit h
         join org_unit g on g.kind = $3 and h.path <@ g.path
         cross join lateral (
           select m.id, m.joined_on from member m
            where m.unit_path <@ h.path and m.status = 'OFFICIAL' and m.date_of_birth between '1966-01-01' and '1986-12-31'
            order by m.joined_on, m.id offset $4 limit 1) m
         cross join lateral (select greatest(date '2020-10-15', m.joined_on + interval '10 years')::date as start_on) s
        where h.kind = $2`,
      [title, heldAt, managedAt, rank],
    );
  }
}

/**
 * Records that break a rule of the register on purpose, so `dataQualityIssues` has something to
 * show: exactly DELIBERATE_ISSUES of them, one per rule below, all in the Hải Châu district
 * outside Thạch Thang (the district's account sees them, the Thạch Thang ward's does not). Real
 * registers hold such records from before the rules were enforced; the API would refuse each of
 * these today, so they are written here as raw rows. The generated data break none of the rules:
 * for the city the check lists exactly these (test/data-quality.test.ts holds it so).
 *
 * 1. RATING_OUTSIDE_MEMBERSHIP: a rating for a year three years before the member's admission.
 * 2. BADGE_TWICE: a member's first party badge entered a second time.
 * 3. AWARD_WITHOUT_DECISION: a certificate of merit (giấy khen) with no decision.
 * 4. POST_OPEN_AFTER_LEAVING: a post never ended for a member who has since died.
 * 5. DECISION_BEFORE_BIRTH: a work history entry whose decision is dated before the member's birth.
 */
export const DELIBERATE_ISSUES = 5;

async function insertDeliberateIssues(client: ClientBase) {
  // The n-th member (by id) of Hải Châu outside Thạch Thang meeting a condition: deterministic for a given seed size.
  const pick = (condition: string, offset: number) => `
    select m.* from member m
     where m.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU')
       and not m.unit_path <@ (select path from org_unit where code = 'DN.HAICHAU.THACHTHANG')
       and ${condition}
     order by m.id offset ${offset} limit 1`;
  const official = `m.status = 'OFFICIAL' and m.joined_on between '1990-01-01' and '2015-12-31'`;
  const statements = [
    `insert into quality_rating (member_id, year, score, category)
     select m.id, extract(year from m.joined_on)::int - 3, 80, 'TOT' from (${pick(official, 0)}) m`,
    `insert into award (member_id, kind, name, badge_years, awarded_on, decision_number, decision_date, decision_body)
     select a.member_id, a.kind, a.name, a.badge_years, a.awarded_on, a.decision_number, a.decision_date, a.decision_body
       from award a where a.kind = 'PARTY_BADGE' and a.member_id = (select m.id from (${pick(
         `m.status = 'OFFICIAL' and exists (select 1 from award b where b.member_id = m.id and b.kind = 'PARTY_BADGE')`, 0,
       )}) m)
      order by a.awarded_on, a.id limit 1`,
    `insert into award (member_id, kind, name, awarded_on)
     select m.id, 'CERTIFICATE', 'Giấy khen đảng viên hoàn thành xuất sắc nhiệm vụ', m.joined_on + interval '5 years' from (${pick(official, 1)}) m`,
    `insert into post (member_id, title, unit_id, managed_by_unit_id, start_on, term_years, decision_number, decision_date, decision_body)
     select m.id, 'Chi ủy viên', m.unit_id, w.id, s.start_on, 5, '07-QĐ/ĐU', s.start_on, w.name
       from (${pick(`m.status = 'DECEASED' and m.left_on >= m.joined_on + interval '3 years'`, 0)}) m
       join org_unit c on c.id = m.unit_id join org_unit w on w.id = c.parent_id
      cross join lateral (select (m.left_on - interval '2 years')::date as start_on) s`,
    `insert into work_history (member_id, from_date, position, organisation, decision_number, decision_date, decision_body)
     select m.id, m.date_of_birth + interval '20 years', 'Cán sự', 'UBND phường', '15/QĐ-UBND', m.date_of_birth - interval '1 year', 'UBND phường'
       from (${pick(official, 2)}) m`,
  ];
  for (const sql of statements) {
    const { rowCount } = await client.query(sql);
    if (rowCount !== 1) throw new Error(`the demo's deliberate data quality issue was not written: ${sql}`);
  }
}
