import 'reflect-metadata';
import { Client } from 'pg';
import { hashPassword } from '../src/access/passwords';
import { migrationsList } from '../migrations';
import { prepareDatabase } from '../src/database/database';
import { ensureDatabase, type EmbeddedDatabase } from '../src/database/embedded';
import { addDays } from '../src/members/lifecycle';
import { BADGE_YEARS, nextCeremony } from '../src/members/party-badges';
import { ratingCategoryFor } from '../src/members/ratings';
import { CITY, DISTRICTS, codeOf } from '../seeds/danang-tree';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REFERENCE_DATE, DEMO_REFORM_TASK } from '../seeds/demo';
import { applyDemoReform, describeRun, httpGraphQL } from '../seeds/demo-reform';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { person, type PersonSeed } from '../seeds/people';
import { Random } from '../seeds/random';
import { deferSchema, existingTables, inParallel, restoreSchema, type Timing } from './bulk-load';
import { benchDatabaseName, parseCount, parseOptions, reformedBenchDatabaseName, startBenchCluster, withDatabase } from './cluster';

/**
 * The benchmark dataset: the Đà Nẵng tree of the demo, with as many cells per ward as it takes
 * for a cell to hold 30–60 members, and N synthetic members with their status and unit periods,
 * badges, yearly ratings, work history, cadre posts and transfers, plus the demo accounts.
 *
 * `npm run bench:seed -- --members 1000000 [--force] [--reformed]` (after `npm run build`). The data go to the
 * cluster in `.bench/` (bench/cluster.ts), database `bench_<members>`; a complete database is
 * reused (migrated if the code has new migrations), `--force` loads it again.
 *
 * Fast paths: rows are generated column by column and written as multi-row
 * `insert … select * from unnest($1::bigint[], …)`, all tables of a batch in one statement; two
 * lanes (connections, transactions) split the wards so PostgreSQL uses both cores while Node
 * generates the next batch; as the owner with `hoso.bulk_load = 'on'`, so the audit triggers
 * skip the load; foreign keys, unique and exclusion constraints and secondary indexes are built
 * once at the end and checked against their definitions (bulk-load.ts), and the loader writes
 * member.unit_path itself instead of the per-row trigger; the reporting facts, if the schema has
 * them, are rebuilt beside those builds; then VACUUM ANALYZE. Deterministic: each ward has its
 * own random stream and id range.
 */

const REFERENCE_DATE = DEMO_REFERENCE_DATE;
const SEED = 7_200_701;
/** Cells are sized for ~45 members (30–60 in practice: members pick a cell of their ward at random). */
const MEMBERS_PER_CELL = 45;
/** Members per insert batch (their sub-records go with them). */
const BATCH = 5000;
const RATING_YEARS = [2023, 2024, 2025];
const POSITIONS = ['Chuyên viên', 'Cán sự', 'Phó Trưởng phòng', 'Trưởng phòng', 'Giáo viên', 'Kỹ sư', 'Bác sĩ', 'Công nhân', 'Nhân viên', 'Kế toán'];
const ORGANISATIONS = ['UBND phường', 'Trường THCS', 'Bệnh viện Đà Nẵng', 'Công ty cổ phần', 'Sở Giáo dục và Đào tạo', 'Ban Chỉ huy quân sự', 'Hợp tác xã', 'Cảng Đà Nẵng', 'Sở Tài chính', 'Công an quận'];

/** The database marker: a complete load writes it as the database's comment, last. */
interface Marker {
  members: number;
  complete: true;
  seededAt: string;
  /** The migrations the derived data (reporting facts, statistics) were last built under. */
  migrations: string[];
}

export interface BenchDatabase {
  name: string;
  ownerUrl: string;
  apiUrl: string;
  /** Superuser connection to this database. */
  superUrl: string;
  members: number;
}

// ---------------------------------------------------------------------------------------------
// Rows, column by column

type Column = readonly [name: string, type: string];

/** One table's pending rows as one array per column: the parameters of an unnest insert. */
class Rows {
  private values: unknown[][];

  constructor(readonly table: string, readonly columns: readonly Column[], private readonly givenIds = false) {
    this.values = columns.map(() => []);
  }

  add(...row: unknown[]): void {
    for (let c = 0; c < row.length; c++) this.values[c].push(row[c]);
  }

  get size(): number {
    return this.values[0].length;
  }

  /**
   * The insert of the gathered rows, its arrays numbered from parameter `first`; the buffer
   * starts again empty.
   */
  drain(first = 1): { sql: string; values: unknown[][] } | null {
    if (!this.size) return null;
    const values = this.values;
    this.values = this.columns.map(() => []);
    const names = this.columns.map(([name]) => name).join(', ');
    const arrays = this.columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
    const overriding = this.givenIds ? 'overriding system value ' : '';
    return { sql: `insert into ${this.table} (${names}) ${overriding}select * from unnest(${arrays})`, values };
  }
}

const DECISION: Column[] = [['decision_number', 'text'], ['decision_date', 'date'], ['decision_body', 'text']];

/** Every table a lane writes, in foreign-key order (members first). */
function laneTables() {
  return {
    member: new Rows('member', [
      ['id', 'bigint'], ['party_card_number', 'text'], ['full_name', 'text'], ['gender', 'text'], ['date_of_birth', 'date'],
      ['ethnicity', 'text'], ['religion', 'text'], ['national_id', 'text'], ['joined_on', 'date'], ['official_on', 'date'],
      ['status', 'text'], ['unit_id', 'bigint'], ['unit_path', 'ltree'], ['place_of_birth', 'text'], ['permanent_address', 'text'], ['phone', 'text'],
      ['occupation', 'text'], ['general_education', 'text'], ['professional_level', 'text'], ['political_theory', 'text'],
      ['state_management', 'text'], ['left_on', 'date'],
    ], true),
    statusPeriod: new Rows('member_status_period', [['member_id', 'bigint'], ['status', 'text'], ['valid_from', 'date'], ['valid_to', 'date']]),
    unitPeriod: new Rows('member_unit_period', [['member_id', 'bigint'], ['unit_id', 'bigint'], ['valid_from', 'date'], ['valid_to', 'date']]),
    award: new Rows('award', [
      ['member_id', 'bigint'], ['kind', 'text'], ['name', 'text'], ['badge_years', 'int'], ['awarded_on', 'date'], ...DECISION,
    ]),
    rating: new Rows('quality_rating', [['member_id', 'bigint'], ['year', 'int'], ['score', 'int'], ['category', 'text']]),
    work: new Rows('work_history', [['member_id', 'bigint'], ['from_date', 'date'], ['to_date', 'date'], ['position', 'text'], ['organisation', 'text']]),
    post: new Rows('post', [
      ['member_id', 'bigint'], ['title', 'text'], ['unit_id', 'bigint'], ['start_on', 'date'], ['term_years', 'int'],
      ['managed_by_unit_id', 'bigint'], ...DECISION,
    ]),
    transfer: new Rows('transfer', [
      ['member_id', 'bigint'], ['kind', 'text'], ['status', 'text'], ['from_unit_id', 'bigint'], ['to_unit_id', 'bigint'],
      ['issued_on', 'date'], ['report_by', 'date'], ['confirmed_on', 'date'], ...DECISION, ['reason', 'text'],
      ['member_name', 'text'], ['member_party_card_number', 'text'], ['member_date_of_birth', 'date'],
    ]),
  };
}
type LaneTables = ReturnType<typeof laneTables>;

// ---------------------------------------------------------------------------------------------
// The tree

interface Unit {
  id: string;
  name: string;
  path: string;
}

interface WardPlan extends Unit {
  city: Unit;
  district: Unit;
  /** Whether this is the district's first ward: its lane also fills the district's own post. */
  firstOfDistrict: boolean;
  rural: boolean;
  coTu: boolean;
  address: string;
  cells: Unit[];
  firstId: number;
  count: number;
  random: Random;
}

/** Inserts units (their paths set by the table's trigger) and returns them by code. */
async function insertUnits(client: Client, rows: { code: string; name: string; kind: string; parentId: string | null }[]) {
  const byCode = new Map<string, Unit>();
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    const { rows: inserted } = await client.query<Unit & { code: string }>(
      `insert into org_unit (code, name, kind, parent_id)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) returning id::text, code, name, path::text`,
      [chunk.map((r) => r.code), chunk.map((r) => r.name), chunk.map((r) => r.kind), chunk.map((r) => r.parentId)],
    );
    for (const { code, ...unit } of inserted) byCode.set(code, unit);
  }
  return byCode;
}

/** The city, its 7 districts and 56 wards, and cells enough for the members; one level per statement. */
async function buildTree(client: Client, members: number): Promise<WardPlan[]> {
  const [city] = (await insertUnits(client, [{ code: CITY.code, name: CITY.name, kind: 'CITY', parentId: null }])).values();
  const districts = await insertUnits(
    client,
    DISTRICTS.map((d) => ({ code: `${CITY.code}.${codeOf(d.name)}`, name: `Đảng bộ ${d.type.toLowerCase()} ${d.name}`, kind: 'DISTRICT', parentId: city.id })),
  );
  const wards = DISTRICTS.flatMap((d) => {
    const districtCode = `${CITY.code}.${codeOf(d.name)}`;
    const rural = d.type === 'Huyện';
    return d.wards.map(([name, weight], i) => ({
      code: `${districtCode}.${codeOf(name)}`,
      name: `Đảng bộ ${rural ? 'xã' : 'phường'} ${name}`,
      weight,
      rural,
      coTu: d.coTu?.includes(name) ?? false,
      address: `${rural ? 'xã' : 'phường'} ${name}, ${d.type.toLowerCase()} ${d.name}, thành phố Đà Nẵng`,
      city,
      district: districts.get(districtCode)!,
      firstOfDistrict: i === 0,
    }));
  });
  const wardUnits = await insertUnits(client, wards.map((w) => ({ code: w.code, name: w.name, kind: 'WARD', parentId: w.district.id })));

  const totalWeight = wards.reduce((sum, w) => sum + w.weight, 0);
  let nextId = 1;
  const plans = wards.map((ward, w) => {
    const count = w === wards.length - 1 ? members - nextId + 1 : Math.round((members * ward.weight) / totalWeight);
    const cellCount = Math.max(3, Math.round(count / MEMBERS_PER_CELL));
    const digits = Math.max(2, String(cellCount).length);
    const cells = Array.from({ length: cellCount }, (_, i) => ({
      code: `${ward.code}.CB${String(i + 1).padStart(digits, '0')}`,
      name: ward.rural ? `Chi bộ thôn ${i + 1}` : `Chi bộ khu dân cư số ${i + 1}`,
    }));
    const plan = { ...ward, ...wardUnits.get(ward.code)!, cells, firstId: nextId, count, random: new Random(SEED * 31 + w) };
    nextId += count;
    return plan;
  });
  const cells = await insertUnits(
    client,
    plans.flatMap((p) => p.cells.map((c) => ({ code: c.code, name: c.name, kind: 'CELL', parentId: p.id }))),
  );
  return plans.map((p) => ({ ...p, cells: p.cells.map((c) => cells.get(c.code)!) }));
}

// ---------------------------------------------------------------------------------------------
// One member's file

/** The same day `years` later (29 February → 28 February), on ISO date strings. */
function plusYears(iso: string, years: number): string {
  const date = `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
  return date.endsWith('-02-29') ? `${date.slice(0, 8)}28` : date;
}

// Badge years, ceremony days and rating categories are the app's rules (src/members/party-badges.ts, ratings.ts).
const category = ratingCategoryFor;

/** The member's status history as the lifecycle would have written it (the same rule as the demo seed). */
function addStatusPeriods(t: LaneTables, id: number, p: PersonSeed): void {
  t.statusPeriod.add(id, 'PROBATIONARY', p.joinedOn, p.officialOn ?? p.leftOn);
  if (p.officialOn) t.statusPeriod.add(id, 'OFFICIAL', p.officialOn, p.releasedOn ?? p.leftOn);
  if (p.releasedOn) t.statusPeriod.add(id, 'RELEASED', p.releasedOn, null);
  if (p.leftOn) t.statusPeriod.add(id, p.status, p.leftOn, null);
}

/** Badges due by party age and presented at a ceremony; now and then a certificate of merit. */
function addAwards(t: LaneTables, random: Random, id: number, p: PersonSeed): void {
  const until = p.leftOn ?? REFERENCE_DATE;
  for (const years of BADGE_YEARS) {
    const reached = plusYears(p.joinedOn, years);
    if (reached > until) break;
    const awarded = nextCeremony(reached);
    if (awarded <= REFERENCE_DATE) {
      t.award.add(id, 'PARTY_BADGE', `Huy hiệu ${years} năm tuổi Đảng`, years, awarded, `${years}-QĐ/TU`, awarded, 'Thành ủy Đà Nẵng');
    }
  }
  const firstYear = p.officialOn ? Math.max(2015, Number(p.officialOn.slice(0, 4)) + 1) : 9999;
  if (firstYear <= 2025 && random.chance(0.08)) {
    const year = random.int(firstYear, 2025);
    const on = `${year}-12-20`;
    if (on <= until) {
      t.award.add(id, 'CERTIFICATE', 'Giấy khen đảng viên hoàn thành xuất sắc nhiệm vụ', null, on, `${random.int(10, 99)}-QĐ/ĐU`, on, 'Đảng ủy phường');
    }
  }
}

/** A rating for each year the member was active (not released, not gone) at its end. */
function addRatings(t: LaneTables, random: Random, id: number, p: PersonSeed): void {
  for (const year of RATING_YEARS) {
    const end = `${year}-12-31`;
    if (p.joinedOn > end || (p.leftOn && p.leftOn <= end) || (p.releasedOn && p.releasedOn <= end)) continue;
    const score = Math.min(100, Math.max(35, Math.round(78 + (random.next() - 0.5) * 40)));
    t.rating.add(id, year, score, category(score));
  }
}

function addWork(t: LaneTables, random: Random, id: number, p: PersonSeed): void {
  const start = plusYears(p.dateOfBirth, random.int(18, 24));
  if (start >= REFERENCE_DATE || !random.chance(0.4)) return;
  const change = plusYears(start, random.int(3, 15));
  if (change < REFERENCE_DATE && random.chance(0.6)) {
    t.work.add(id, start, change, random.pick(POSITIONS), random.pick(ORGANISATIONS));
    t.work.add(id, change, p.occupation === 'HUU_TRI' ? plusYears(p.dateOfBirth, 60) : null, random.pick(POSITIONS), random.pick(ORGANISATIONS));
  } else {
    t.work.add(id, start, null, random.pick(POSITIONS), random.pick(ORGANISATIONS));
  }
}

/** A date a random number of days (1..span) after `from`. */
function daysAfter(random: Random, from: string, span: number): string {
  return addDays(from, random.int(1, Math.max(1, span)));
}

// ---------------------------------------------------------------------------------------------
// A lane: its wards' members, in batches, in one transaction

interface LaneResult {
  members: number;
  rows: Record<string, number>;
}

async function loadLane(client: Client, wards: WardPlan[]): Promise<LaneResult> {
  const t = laneTables();
  const rows: Record<string, number> = {};
  let members = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  /**
   * Hands the gathered rows to the database, every table in one statement (data-modifying CTEs;
   * no foreign key is checked during the load, so their order does not matter): one round trip
   * per batch, so a lane's connection does not wait for Node, busy generating the other lane's
   * rows, between tables. The next batch is generated while this one is written.
   */
  const flush = async () => {
    const parts: string[] = [];
    const values: unknown[][] = [];
    for (const rowsOf of Object.values(t)) {
      const insert = rowsOf.drain(values.length + 1);
      if (!insert) continue;
      rows[rowsOf.table] = (rows[rowsOf.table] ?? 0) + insert.values[0].length;
      parts.push(`${rowsOf.table}_rows as (${insert.sql})`);
      values.push(...insert.values);
    }
    await inFlight; // at most one batch in flight: memory stays bounded
    if (!parts.length) return;
    const writing = client.query(`with ${parts.join(', ')} select 1`, values);
    writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
    inFlight = writing;
  };

  await client.query('begin');
  await client.query(`set local hoso.bulk_load = 'on'`);
  for (const [w, ward] of wards.entries()) {
    const random = ward.random;
    // Another ward of the lane: where a member transferred from, or to (its cells' ids are known here).
    const elsewhere = wards[(w + 1) % wards.length];
    const secretaries = new Set<Unit>();
    const wardPosts: [title: string, unit: Unit, managedBy: Unit][] = [
      [`Bí thư ${ward.name.replace('Đảng bộ', 'Đảng ủy')}`, ward, ward.district],
      [`Phó Bí thư ${ward.name.replace('Đảng bộ', 'Đảng ủy')}`, ward, ward],
    ];
    if (ward.firstOfDistrict) {
      wardPosts.push([`Bí thư ${ward.district.name.replace('Đảng bộ quận', 'Quận ủy').replace('Đảng bộ huyện', 'Huyện ủy')}`, ward.district, ward.city]);
    }
    for (let i = 0; i < ward.count; i++) {
      const id = ward.firstId + i;
      const p = person(random, { coTu: ward.coTu, today: REFERENCE_DATE, address: ward.address });
      const cell = random.pick(ward.cells);
      // Cards are issued once official; card numbers and national IDs derive from the id, so
      // they are unique without coordination between lanes (the ID: province and century
      // digits, then a permutation of the id modulo 10^8, unique up to 100 million members).
      const card = p.status === 'PROBATIONARY' ? null : String(48_000_000 + id);
      const nationalId = p.hasNationalId ? p.nationalIdPrefix.slice(0, 4) + String((id * 7919 + 104_729) % 100_000_000).padStart(8, '0') : null;
      t.member.add(
        id, card, p.fullName, p.gender, p.dateOfBirth, p.ethnicity, p.religion, nationalId, p.joinedOn, p.officialOn, p.status,
        cell.id, cell.path, p.placeOfBirth, p.permanentAddress, p.phone, p.occupation, p.generalEducation, p.professionalLevel,
        p.politicalTheory, p.stateManagement, p.leftOn,
      );
      addStatusPeriods(t, id, p);
      addAwards(t, random, id, p);
      addRatings(t, random, id, p);
      addWork(t, random, id, p);

      const active = p.status === 'OFFICIAL' || p.status === 'RELEASED';
      // About 2% moved here from another ward after becoming official: two unit periods and a confirmed transfer.
      if (active && p.officialOn! < '2026-06-01' && random.chance(0.02)) {
        const from = random.pick(elsewhere.cells);
        const arrived = daysAfter(random, addDays(p.officialOn!, 30), (Date.parse('2026-09-30') - Date.parse(p.officialOn!)) / 86_400_000 - 30);
        const issued = addDays(arrived, -random.int(5, 25));
        t.unitPeriod.add(id, from.id, p.joinedOn, arrived);
        t.unitPeriod.add(id, cell.id, arrived, null);
        t.transfer.add(id, 'PERMANENT', 'CONFIRMED', from.id, cell.id, issued, addDays(issued, 30), arrived,
          `${random.int(10, 99)}-GGT/ĐU`, issued, elsewhere.name, 'Chuyển nơi cư trú', p.fullName, card, p.dateOfBirth);
      } else {
        t.unitPeriod.add(id, cell.id, p.joinedOn, null);
        // A few official members are leaving now: a pending transfer, some of them overdue.
        if (p.status === 'OFFICIAL' && random.chance(0.0005)) {
          const issued = addDays(REFERENCE_DATE, -random.int(1, 75));
          t.transfer.add(id, random.chance(0.85) ? 'PERMANENT' : 'TEMPORARY', 'PENDING', cell.id, random.pick(elsewhere.cells).id,
            issued, addDays(issued, 30), null, `${random.int(10, 99)}-GGT/ĐU`, issued, ward.name, 'Chuyển nơi cư trú', p.fullName, card, p.dateOfBirth);
        }
      }

      // Cadres: each cell's secretary (managed by the ward), the ward's secretary (managed by the
      // district) and deputy, and the district's secretary (managed by the city), taken from
      // official members of working age as they come; the terms began after the 2022 congresses.
      if (p.status === 'OFFICIAL' && p.officialOn! < '2022-03-01' && p.dateOfBirth >= '1966-01-01' && p.dateOfBirth <= '1992-12-31') {
        const startOn = daysAfter(random, '2022-05-01', 60);
        if (wardPosts.length) {
          const [title, unit, managedBy] = wardPosts.shift()!;
          t.post.add(id, title, unit.id, startOn, 5, managedBy.id, `${random.int(100, 999)}-QĐ/TU`, startOn, managedBy.name);
        } else if (!secretaries.has(cell)) {
          secretaries.add(cell);
          t.post.add(id, `Bí thư ${cell.name}`, cell.id, startOn, 5, ward.id, `${random.int(10, 99)}-QĐ/ĐU`, startOn, ward.name);
        }
      }
      if (t.member.size >= BATCH) await flush();
      // Let the other lane's finished statement be answered with its next one.
      else if (i % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    members += ward.count;
  }
  await flush();
  await inFlight;
  await client.query('commit');
  return { members, rows };
}

// ---------------------------------------------------------------------------------------------
// The whole load

/** Tables the load writes in bulk. */
const BULK_TABLES = ['member', 'member_status_period', 'member_unit_period', 'award', 'quality_rating', 'work_history', 'post', 'transfer'];
/**
 * Tables hoso_rebuild_all_member_facts fills (when the schema has them): their indexes and
 * constraints are built after it (without the profile periods' exclusion constraint it takes
 * 8 s instead of 12 s for 100,000 members).
 */
const FACT_TABLES = ['member_profile_period', 'member_fact'];
/** The loader writes unit_path itself (the cell's path), so this per-row lookup is off during the load. */
const LOADER_TRIGGERS = ['member.member_unit_path_before'];

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The three longest statements, shortly: "member_status_period exclude 41.0 s, …". */
function slowest(timings: Timing[]): string {
  return [...timings]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 3)
    .map((t) => {
      const what = t.sql.includes('hoso_rebuild_all_member_facts')
        ? 'reporting facts'
        : `${/(?:alter table|on)\s+(?:public\.)?(\w+)/i.exec(t.sql)?.[1]} ${/exclude|unique|foreign key|using gist|using gin/i.exec(t.sql)?.[0].toLowerCase() ?? 'index'}`;
      return `${what} ${t.seconds.toFixed(1)} s`;
    })
    .join(', ');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * The reporting facts (hoso_rebuild_all_member_facts, from the reports' migration), as one
 * message, so it can run beside the index builds (bulk-load.ts). Null when the schema has none.
 */
async function factsRebuild(client: Client): Promise<string | null> {
  const { rows } = await client.query<{ exists: boolean }>(`select to_regproc('hoso_rebuild_all_member_facts') is not null as exists`);
  return rows[0].exists ? `begin; set local hoso.bulk_load = 'on'; select hoso_rebuild_all_member_facts(); commit` : null;
}

/**
 * Statistics of the loaded tables, so the facts' joins are planned for their real sizes. Not of
 * the tables the rebuild fills itself: analysed while still empty, member_profile_period made
 * it plan nested loops over sequential scans (114 s instead of 14 s for 100,000 members).
 */
async function analyzeLoaded(client: Client): Promise<void> {
  await client.query(`analyze ${BULK_TABLES.join(', ')}`);
}

/**
 * VACUUM as well as ANALYZE, table by table on two connections: it sets hint bits and the
 * visibility map now, so neither the first benchmark run nor an insert-triggered autovacuum
 * does that work in the middle of a measurement.
 */
async function vacuumAnalyze(url: string): Promise<void> {
  const client = await connect(url);
  const { rows } = await client.query<{ name: string }>(
    `select c.oid::regclass::text as name from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by pg_table_size(c.oid) desc`,
  );
  await client.end();
  await inParallel(url, rows.map((r) => `vacuum (analyze) ${r.name}`));
}

async function readMarker(superUrl: string, database: string): Promise<Marker | null | undefined> {
  const client = await connect(superUrl);
  try {
    const { rows } = await client.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [database],
    );
    if (!rows.length) return undefined; // no database
    try {
      const marker = JSON.parse(rows[0].comment ?? 'null') as Marker | null;
      return marker?.complete ? marker : null;
    } catch {
      return null;
    }
  } finally {
    await client.end();
  }
}

async function appliedMigrations(database: BenchDatabase): Promise<string[]> {
  const client = await connect(database.ownerUrl);
  const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  await client.end();
  return rows.map((r) => r.name);
}

async function writeMarker(superUrl: string, database: BenchDatabase, seededAt: string): Promise<void> {
  const marker: Marker = { members: database.members, complete: true, seededAt, migrations: await appliedMigrations(database) };
  const admin = await connect(superUrl);
  await admin.query(`comment on database ${admin.escapeIdentifier(database.name)} is ${admin.escapeLiteral(JSON.stringify(marker))}`);
  await admin.end();
}

/**
 * The benchmark database for `members` members in the running bench cluster: reused when a
 * previous load completed, else loaded now. Reused data are migrated if the code has new
 * migrations, and their derived data rebuilt; data migrated by a migration the code no longer
 * has (renamed or rewritten during development) are loaded again.
 */
export async function ensureBenchDatabase(
  cluster: EmbeddedDatabase,
  members: number,
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = benchDatabaseName(members);
  const database: BenchDatabase = {
    name,
    members,
    ownerUrl: cluster.ownerUrl(name),
    apiUrl: cluster.apiUrl(name),
    superUrl: withDatabase(cluster.superUrl, name),
  };
  const marker = options.force ? null : await readMarker(cluster.superUrl, name);
  const known = new Set(migrationsList.map((m) => m.name));
  const unknown = marker ? (await appliedMigrations(database)).filter((m) => !known.has(m)) : [];
  if (marker && unknown.length) {
    log(`${name} was migrated with ${unknown.join(', ')}, which this code no longer has: loading it again`);
  } else if (marker) {
    await prepareDatabase({ ownerUrl: database.ownerUrl, superUrl: cluster.superUrl, database: name }, { demoSeed: false, demoMembers: 0 }, log);
    if (migrationsList.some((m) => !marker.migrations?.includes(m.name))) {
      // New migrations on old data: let them see the whole dataset (facts, statistics).
      const started = Date.now();
      const client = await connect(database.ownerUrl);
      try {
        await analyzeLoaded(client);
        const rebuild = await factsRebuild(client);
        if (rebuild) await client.query(rebuild);
      } finally {
        await client.end();
      }
      await vacuumAnalyze(database.ownerUrl);
      log(`reporting facts rebuilt and statistics refreshed for the new migrations: ${seconds(started)}`);
      await writeMarker(cluster.superUrl, database, marker.seededAt);
    }
    log(`${name}: reusing the dataset loaded ${marker.seededAt} (--force loads it again)`);
    return database;
  }
  await seedBenchDatabase(cluster, database, log);
  return database;
}

async function seedBenchDatabase(cluster: EmbeddedDatabase, database: BenchDatabase, log: (line: string) => void): Promise<void> {
  const { name, members } = database;
  const started = Date.now();
  let phase = Date.now();
  const done = (what: string) => {
    log(`${what}: ${seconds(phase)}`);
    phase = Date.now();
  };
  log(`${name}: loading ${members.toLocaleString('en')} members`);
  const admin = await connect(cluster.superUrl);
  await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
  await admin.end();
  await ensureDatabase(cluster.superUrl, name);
  await prepareDatabase({ ownerUrl: database.ownerUrl, superUrl: cluster.superUrl, database: name }, { demoSeed: false, demoMembers: 0 }, () => {});
  done('database created and migrated');

  const client = await connect(database.ownerUrl);
  try {
    await client.query('begin');
    await client.query(`set local hoso.bulk_load = 'on'`);
    const wards = await buildTree(client, members);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const account of DEMO_ACCOUNTS) {
      await client.query(
        `insert into account (username, password_hash, role, unit_id) select $1, $2, $3, id from org_unit where code = $4`,
        [account.username, passwordHash, account.role, account.before],
      );
    }
    await client.query('commit');
    done(`units (1 city, ${DISTRICTS.length} districts, ${wards.length} wards, ${wards.reduce((n, w) => n + w.cells.length, 0)} cells) and the demo accounts`);

    const deferred = await deferSchema(client, await existingTables(client, BULK_TABLES), LOADER_TRIGGERS);
    const deferredFacts = await deferSchema(client, await existingTables(client, FACT_TABLES), []);
    // Two lanes, wards dealt alternately (ward sizes follow the demo's weights, so the lanes even out).
    const lanes = [wards.filter((_, i) => i % 2 === 0), wards.filter((_, i) => i % 2 === 1)];
    const results = await Promise.all(
      lanes.map(async (lane) => {
        const laneClient = await connect(database.ownerUrl);
        try {
          return await loadLane(laneClient, lane);
        } finally {
          await laneClient.end();
        }
      }),
    );
    const rows: Record<string, number> = {};
    for (const result of results) for (const [table, n] of Object.entries(result.rows)) rows[table] = (rows[table] ?? 0) + n;
    await client.query(`select setval(pg_get_serial_sequence('member', 'id'), (select max(id) from member))`);
    done(`members and their files (${(members / ((Date.now() - phase) / 1000)).toFixed(0)} members/s): ` +
      Object.entries(rows).map(([table, n]) => `${table} ${n.toLocaleString('en')}`).join(', '));

    await analyzeLoaded(client);
    const rebuild = await factsRebuild(client);
    if (!rebuild) log('no hoso_rebuild_all_member_facts() in this schema: no reporting facts');
    const timings = await restoreSchema(database.ownerUrl, [deferred, deferredFacts], rebuild ? [rebuild] : []);
    done(`indexes and constraints built${rebuild ? ' beside the reporting facts' : ''} (${timings.length} statements, two at a time; ` +
      `the longest ${slowest(timings)}), checked against their definitions`);
  } finally {
    await client.end();
  }
  await vacuumAnalyze(database.ownerUrl);
  done('vacuum (analyze)');

  await writeMarker(cluster.superUrl, database, new Date().toISOString());
  log(`${name}: ${members.toLocaleString('en')} members loaded in ${seconds(started)}`);
}

/**
 * The same dataset after the 2025 reform, database `bench_<members>_reformed`, built as the demo
 * is (seeds/demo-reform.ts): a clone of the dataset before, through which a server started for
 * the purpose applies the reorganisations of 1 January and 1 July 2025 with `reorganiseUnits`,
 * dry run then real run. For the reports across the reform (bench/reports.ts --reformed); the
 * request-path scenarios (bench/run.ts) keep the tree before, which PostGraphile is measured on
 * too. The reform rewrites every member's path twice (dry run and run): about 1.4 ms per member
 * on this machine, so a few minutes for 100,000 members.
 */
export async function ensureReformedBenchDatabase(
  cluster: EmbeddedDatabase,
  members: number,
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const base = await ensureBenchDatabase(cluster, members, options);
  const name = reformedBenchDatabaseName(members);
  const database: BenchDatabase = { name, members, ownerUrl: cluster.ownerUrl(name), apiUrl: cluster.apiUrl(name), superUrl: withDatabase(cluster.superUrl, name) };
  const marker = options.force ? null : await readMarker(cluster.superUrl, name);
  if (marker && (await appliedMigrations(database)).join() === (await appliedMigrations(base)).join()) {
    log(`${name}: reusing the reformed dataset of ${marker.seededAt}`);
    return database;
  }
  const started = Date.now();
  const admin = await connect(cluster.superUrl);
  await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
  await admin.end();
  await ensureDatabase(cluster.superUrl, name, base.name);
  const owner = () => connect(database.ownerUrl);
  const client = await owner();
  await client.query(`insert into seed_task (name) values ($1) on conflict do nothing`, [DEMO_REFORM_TASK]);
  await client.end();
  const secret = 'bench-reform-secret-that-is-long-enough-for-hs256';
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOSO_JWT_SECRET: secret, HOSO_LOG_LEVEL: 'silent' });
  const app = await startApp(config, { apiUrl: database.apiUrl, jwtSecret: secret, log: (line, error) => log(error ? `${line}: ${String(error)}` : line) });
  try {
    const runs = await applyDemoReform(owner, httpGraphQL(app.url), DEMO_PASSWORD);
    for (const run of runs) for (const line of describeRun(run)) log(line);
  } finally {
    await app.close();
  }
  await vacuumAnalyze(database.ownerUrl);
  await writeMarker(cluster.superUrl, database, new Date().toISOString());
  log(`${name}: the 2025 reform applied in ${seconds(started)}`);
  return database;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const members = parseCount(options.get('members') ?? '1000000');
  const started = Date.now();
  const cluster = await startBenchCluster();
  console.log(`bench cluster started: ${seconds(started)}`);
  try {
    const force = options.get('force') === 'true';
    if (options.get('reformed') === 'true') await ensureReformedBenchDatabase(cluster, members, { force });
    else await ensureBenchDatabase(cluster, members, { force });
  } finally {
    await cluster.stop();
  }
  process.exit(0);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
