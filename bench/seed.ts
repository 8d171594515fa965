import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { hashPassword } from '../src/access/passwords';
import { migrationsList } from '../migrations';
import { prepareDatabase } from '../src/database/database';
import { API_ROLE, OWNER_ROLE, dataDirSecret, ensureDatabase, type EmbeddedDatabase } from '../src/database/embedded';
import { MAX_UNIT_CODE_LENGTH } from '../src/graphql/ids';
import { codeSegmentOf } from '../src/units/unit-code';
import { addDays } from '../src/members/lifecycle';
import { BADGE_YEARS, nextCeremony } from '../src/members/party-badges';
import { ratingCategoryFor } from '../src/members/ratings';
import { CITY, DISTRICTS, codeOf } from '../seeds/danang-tree';
import {
  CITY_PROVINCE, GRASSROOTS_ORGANISATIONS, NATION, NATION_ACCOUNT, PROVINCES, communesOf, memberShares, provinceCode, provinceCommitteeBody, provinceCommitteeName,
} from '../seeds/vietnam-tree';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REFERENCE_DATE, DEMO_REFORM_TASK } from '../seeds/demo';
import { applyDemoReform, describeRun, httpGraphQL } from '../seeds/demo-reform';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { person, type PersonSeed } from '../seeds/people';
import { Random } from '../seeds/random';
import { deferSchema, existingTables, inParallel, restoreSchema, type Timing } from './bulk-load';
import { CopyRows, copyInto, type CopyTable } from './copy';
import { BENCH_DIR, BENCH_PG_PORT, benchDatabaseName, parseCount, parseOptions, reformedBenchDatabaseName, startBenchCluster, withDatabase } from './cluster';

/**
 * The benchmark dataset: a tree of units, with as many cells per ward or commune as it takes for
 * a cell to hold 30–60 members, and N synthetic members with their status and unit periods,
 * badges, yearly ratings, work history, cadre posts and transfers, plus the demo accounts. Its
 * shape (DatasetShape) is the Đà Nẵng tree of the demo below 2,000,000 members, the whole
 * country after the 2025 reform from there (Đà Nẵng's tree one of its provinces), or as
 * `--shape city|nation` says.
 *
 * `npm run bench:seed -- --members 1000000 [--shape city|nation] [--force] [--reformed]` (after
 * `npm run build`). The data go to the cluster in `.bench/` (bench/cluster.ts; one already
 * running there is used and left running), database `bench_<members>` (`_nation`/`_city`
 * appended for a shape forced on a size that has the other); a complete database is reused
 * (migrated if the code has new migrations), `--force` loads it again.
 *
 * Fast paths: rows are written with COPY (bench/copy.ts), all tables of a batch in one message;
 * two lanes (connections, transactions) split the wards so PostgreSQL uses both cores while Node
 * generates the next batch; as the owner with `hoso.bulk_load = 'on'`, so the audit triggers
 * skip the load; foreign keys, unique and exclusion constraints and secondary indexes are built
 * once at the end and checked against their definitions (bulk-load.ts), and the triggers whose
 * work the loader does itself or has redone at the end are off meanwhile (LOADER_TRIGGERS); the
 * reporting facts and member counts are rebuilt beside those builds; then VACUUM ANALYZE.
 * Deterministic: each ward has its own random stream and id range.
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
  /** Absent in the markers of loads before the nation shape existed: those are city-shaped. */
  shape?: DatasetShape;
  complete: true;
  seededAt: string;
  /** The migrations the derived data (reporting facts, statistics) were last built under. */
  migrations: string[];
  /** How long the load took, in seconds (absent in markers written before it was recorded). */
  loadSeconds?: number;
}

export interface BenchDatabase {
  name: string;
  ownerUrl: string;
  apiUrl: string;
  /** Superuser connection to this database. */
  superUrl: string;
  members: number;
  shape: DatasetShape;
  /** When the dataset was loaded, and how long that took (unknown for loads before it was recorded). */
  loadedAt?: string;
  loadSeconds?: number;
}

// ---------------------------------------------------------------------------------------------
// The tables a lane writes, as COPY takes them (bench/copy.ts)

const DECISION = ['decision_number', 'decision_date', 'decision_body'];

/** Every table a lane writes, in foreign-key order (members first). */
function laneTables() {
  return {
    // id given (COPY writes identity columns as given); unit_path and admission_ceremony_on
    // written here, with the triggers that would fill them off (LOADER_TRIGGERS).
    member: new CopyRows('member', [
      'id', 'party_card_number', 'full_name', 'gender', 'date_of_birth', 'ethnicity', 'religion', 'national_id', 'joined_on', 'official_on',
      'status', 'unit_id', 'unit_path', 'place_of_birth', 'permanent_address', 'phone', 'occupation', 'general_education', 'professional_level',
      'political_theory', 'state_management', 'left_on', 'admission_ceremony_on',
    ]),
    statusPeriod: new CopyRows('member_status_period', ['member_id', 'status', 'valid_from', 'valid_to']),
    unitPeriod: new CopyRows('member_unit_period', ['member_id', 'unit_id', 'valid_from', 'valid_to']),
    award: new CopyRows('award', ['member_id', 'kind', 'name', 'badge_years', 'awarded_on', ...DECISION]),
    rating: new CopyRows('quality_rating', ['member_id', 'year', 'score', 'category']),
    work: new CopyRows('work_history', ['member_id', 'from_date', 'to_date', 'position', 'organisation']),
    post: new CopyRows('post', ['member_id', 'title', 'unit_id', 'start_on', 'term_years', 'managed_by_unit_id', ...DECISION]),
    transfer: new CopyRows('transfer', [
      'member_id', 'kind', 'status', 'from_unit_id', 'to_unit_id', 'issued_on', 'report_by', 'confirmed_on', ...DECISION, 'reason',
      'member_name', 'member_party_card_number', 'member_date_of_birth',
    ]),
  };
}
type LaneTables = ReturnType<typeof laneTables>;

// ---------------------------------------------------------------------------------------------
// The tree

/**
 * The dataset's shape. `city`: the Đà Nẵng tree of the demo before 2025 (the city, 7 districts,
 * 56 wards, their cells), as the 100,000 and 1,000,000 datasets have always been, so their
 * figures stay comparable. `nation`: the whole party after the 2025 reform (seeds/vietnam-tree.ts),
 * the root over 34 provinces, Đà Nẵng among them with the city tree below it, the other 33 with
 * their commune committees, grassroots organisations and cells.
 */
export type DatasetShape = 'city' | 'nation';
export const SHAPES: readonly DatasetShape[] = ['city', 'nation'];

/** From this size up a dataset is nation-shaped unless `--shape city` says otherwise. */
export const NATION_SHAPE_FROM = 2_000_000;

export function defaultShape(members: number): DatasetShape {
  return members >= NATION_SHAPE_FROM ? 'nation' : 'city';
}

/**
 * The database of a dataset: `bench_<members>` in the shape its size has by default, with the
 * shape appended when it is forced to the other one (`bench_1000000_nation`), so a forced dataset
 * never takes the place of the one the earlier figures were measured on.
 */
export function datasetName(members: number, shape: DatasetShape): string {
  const name = benchDatabaseName(members);
  return shape === defaultShape(members) ? name : `${name}_${shape}`;
}

/**
 * The kind of the root and of the provinces. The schema's kinds (CITY, DISTRICT, WARD, CELL)
 * have none for the whole party nor for a province: CITY, "the root" and the tier a city's
 * committee sits at, is the nearest for both, and a label, as UnitKind says, not a level.
 */
const TOP_KIND = 'CITY';

interface Unit {
  id: string;
  name: string;
  path: string;
}

interface Cell extends Unit {
  /** The unit above it, which appoints its secretary. */
  parent: Unit;
}

/**
 * The members of one grassroots committee (a ward of the city, a commune of a province),
 * generated together: one random stream and one range of ids, so the data do not depend on
 * which lane loads it.
 */
interface WardPlan extends Unit {
  /** Posts given, in this order, to its first official members of working age: title, unit, managed by. */
  posts: [title: string, unit: Unit, managedBy: Unit][];
  /** The standing committee that presents the members' party badges. */
  badgeBody: string;
  coTu: boolean;
  address: string;
  cells: Cell[];
  firstId: number;
  count: number;
  random: Random;
}

/** A unit to insert, its parent named by code. */
interface UnitSpec {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
}

/** A ward plan before its units exist: units by code. */
interface PlanSpec {
  code: string;
  posts: [title: string, unit: string, managedBy: string][];
  badgeBody: string;
  coTu: boolean;
  address: string;
  cells: string[];
  count: number;
}

/** The tree to insert, level by level (a level's parents are in the levels before it), and its ward plans. */
interface TreeSpec {
  levels: UnitSpec[][];
  plans: PlanSpec[];
  /** What the log says it built, e.g. "1 city, 7 districts, 56 wards, 2,222 cells". */
  summary: string;
}

/**
 * Counts in proportion to the weights, summing to `total`: each rounded, the last one what is
 * left (the city's wards have always been counted so). On a small total, where rounding up may
 * give out everything before the end, a count is never more than what is left.
 */
function shareOut(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  return weights.map((weight, i) => {
    const n = i === weights.length - 1 ? total - given : Math.min(total - given, Math.round((total * weight) / sum));
    given += n;
    return n;
  });
}

/** The codes of `count` cells under `parent`: CB01, CB02, … (as many digits as the largest needs). */
function cellCodes(parent: string, count: number): string[] {
  const digits = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `${parent}.CB${String(i + 1).padStart(digits, '0')}`);
}

/** Cells enough for ~MEMBERS_PER_CELL members each, at least three. */
function cellCountFor(members: number): number {
  return Math.max(3, Math.round(members / MEMBERS_PER_CELL));
}

/**
 * The Đà Nẵng tree of the demo before 2025 with `members` members: the city (coded DN), its
 * districts, wards and cells. `parent`: the unit above the city (the root, in the nation shape).
 */
function cityTree(members: number, parent: string | null) {
  const city: UnitSpec = { code: CITY.code, name: CITY.name, kind: 'CITY', parent };
  const districts = DISTRICTS.map((d): UnitSpec => ({ code: `${CITY.code}.${codeOf(d.name)}`, name: `Đảng bộ ${d.type.toLowerCase()} ${d.name}`, kind: 'DISTRICT', parent: city.code }));
  const wardSeeds = DISTRICTS.flatMap((d, di) => {
    const rural = d.type === 'Huyện';
    return d.wards.map(([name, weight], i) => ({
      unit: { code: `${districts[di].code}.${codeOf(name)}`, name: `Đảng bộ ${rural ? 'xã' : 'phường'} ${name}`, kind: 'WARD', parent: districts[di].code },
      district: districts[di],
      weight,
      rural,
      coTu: d.coTu?.includes(name) ?? false,
      address: `${rural ? 'xã' : 'phường'} ${name}, ${d.type.toLowerCase()} ${d.name}, thành phố Đà Nẵng`,
      firstOfDistrict: i === 0,
    }));
  });
  const counts = shareOut(members, wardSeeds.map((w) => w.weight));
  const cells: UnitSpec[] = [];
  const plans = wardSeeds.map((ward, w): PlanSpec => {
    const codes = cellCodes(ward.unit.code, cellCountFor(counts[w]));
    codes.forEach((code, i) => cells.push({ code, name: ward.rural ? `Chi bộ thôn ${i + 1}` : `Chi bộ khu dân cư số ${i + 1}`, kind: 'CELL', parent: ward.unit.code }));
    const committee = ward.unit.name.replace('Đảng bộ', 'Đảng ủy');
    const posts: PlanSpec['posts'] = [[`Bí thư ${committee}`, ward.unit.code, ward.district.code], [`Phó Bí thư ${committee}`, ward.unit.code, ward.unit.code]];
    if (ward.firstOfDistrict) {
      posts.push([`Bí thư ${ward.district.name.replace('Đảng bộ quận', 'Quận ủy').replace('Đảng bộ huyện', 'Huyện ủy')}`, ward.district.code, city.code]);
    }
    // In the nation the city's own secretary is appointed from above, like every province's.
    if (parent && w === 0) posts.push([`Bí thư Thành ủy Đà Nẵng`, city.code, parent]);
    return { code: ward.unit.code, posts, badgeBody: 'Thành ủy Đà Nẵng', coTu: ward.coTu, address: ward.address, cells: codes, count: counts[w] };
  });
  return { city, districts, wards: wardSeeds.map((w) => w.unit), cells, plans };
}

/** Share of a commune's cells that belong to its grassroots organisations rather than to its residential areas. */
const GRASSROOTS_CELL_SHARE = 0.3;
/** Cells per grassroots organisation (at least; a commune with fewer grassroots cells has none). */
const CELLS_PER_GRASSROOTS = 3;

/**
 * The nation after the 2025 reform: the root, the 34 provinces (Đà Nẵng the city tree), each
 * province's commune committees with members in proportion to weights drawn per commune (wards
 * heavier, special zones light), and under each commune its residential cells and, in the larger
 * ones, grassroots organisations with cells of their own. Members pick a cell of their commune at
 * random, whichever unit it is under.
 */
function nationTree(members: number): TreeSpec {
  const root: UnitSpec = { code: NATION.code, name: NATION.name, kind: TOP_KIND, parent: null };
  const shares = memberShares();
  const provinceCounts = shareOut(members, PROVINCES.map((p) => shares.get(p)!));
  const provinces: UnitSpec[] = [];
  const communes: UnitSpec[] = [];
  const grassroots: UnitSpec[] = [];
  const cells: UnitSpec[] = [];
  const plans: PlanSpec[] = [];
  let city: ReturnType<typeof cityTree> | null = null;
  for (const [p, province] of PROVINCES.entries()) {
    if (province.name === CITY_PROVINCE) {
      city = cityTree(provinceCounts[p], root.code);
      provinces.push(city.city);
      communes.push(...city.wards);
      cells.push(...city.cells);
      plans.push(...city.plans);
      continue;
    }
    const unit: UnitSpec = { code: provinceCode(province), name: provinceCommitteeName(province), kind: TOP_KIND, parent: root.code };
    provinces.push(unit);
    // The communes' names and weights have their own stream, apart from the members'.
    const random = new Random(SEED * 17 + p);
    const seeds = communesOf(province, random);
    const weights = seeds.map((c) => (c.kind === 'phường' ? 1.3 : c.kind === 'đặc khu' ? 0.3 : 1) * (0.6 + 0.8 * random.next()));
    const counts = shareOut(provinceCounts[p], weights);
    for (const [c, commune] of seeds.entries()) {
      const name = `Đảng bộ ${commune.kind} ${commune.name}`;
      const code = `${unit.code}.${codeSegmentOf(name)}`;
      communes.push({ code, name, kind: 'WARD', parent: unit.code });
      const total = cellCountFor(counts[c]);
      const grassrootsCells = Math.round(total * GRASSROOTS_CELL_SHARE);
      const organisations = Math.min(GRASSROOTS_ORGANISATIONS.length, Math.floor(grassrootsCells / CELLS_PER_GRASSROOTS));
      const residential = organisations ? total - grassrootsCells : total;
      const codes = cellCodes(code, residential);
      codes.forEach((cell, i) => cells.push({ code: cell, name: commune.kind === 'phường' ? `Chi bộ tổ dân phố ${i + 1}` : `Chi bộ thôn ${i + 1}`, kind: 'CELL', parent: code }));
      const committee = name.replace('Đảng bộ', 'Đảng ủy');
      const posts: PlanSpec['posts'] = [[`Bí thư ${committee}`, code, unit.code], [`Phó Bí thư ${committee}`, code, code]];
      if (c === 0) posts.push([`Bí thư ${provinceCommitteeBody(province)}`, unit.code, root.code]);
      for (let g = 0; g < organisations; g++) {
        const organisationName = `Đảng bộ ${GRASSROOTS_ORGANISATIONS[g]}`;
        const organisation: UnitSpec = { code: `${code}.${codeSegmentOf(organisationName)}`, name: organisationName, kind: 'WARD', parent: code };
        grassroots.push(organisation);
        posts.push([`Bí thư ${organisation.name.replace('Đảng bộ', 'Đảng ủy')}`, organisation.code, code]);
        // The commune's grassroots cells dealt out in turn: the first organisations get the odd ones.
        const own = Math.floor(grassrootsCells / organisations) + (g < grassrootsCells % organisations ? 1 : 0);
        const ownCodes = cellCodes(organisation.code, own);
        ownCodes.forEach((cell, i) => cells.push({ code: cell, name: `Chi bộ ${i + 1}`, kind: 'CELL', parent: organisation.code }));
        codes.push(...ownCodes);
      }
      const address = `${commune.kind} ${commune.name}, ${province.type.toLowerCase()} ${province.name}`;
      plans.push({ code, posts, badgeBody: provinceCommitteeBody(province), coTu: false, address, cells: codes, count: counts[c] });
    }
  }
  for (const unit of [...communes, ...grassroots, ...cells]) {
    if (unit.code.length > MAX_UNIT_CODE_LENGTH) throw new Error(`Unit code ${unit.code} is longer than ${MAX_UNIT_CODE_LENGTH} characters.`);
  }
  return {
    levels: [[root], provinces, city!.districts, communes, grassroots, cells],
    plans,
    summary:
      `1 root, ${provinces.length} provinces, ${city!.districts.length} districts and ${city!.wards.length} wards (Đà Nẵng), ` +
      `${(communes.length - city!.wards.length).toLocaleString('en')} communes, ${grassroots.length.toLocaleString('en')} grassroots organisations, ` +
      `${cells.length.toLocaleString('en')} cells`,
  };
}

/** The Đà Nẵng tree alone, as the city-shaped datasets have it. */
function cityShapedTree(members: number): TreeSpec {
  const { city, districts, wards, cells, plans } = cityTree(members, null);
  return {
    levels: [[city], districts, wards, cells],
    plans,
    summary: `1 city, ${districts.length} districts, ${wards.length} wards, ${cells.length.toLocaleString('en')} cells`,
  };
}

/** Inserts units (their paths set by the table's trigger), given with their parents' ids, and returns them by code. */
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

/**
 * Inserts the tree of the shape, one level per statement, and returns its ward plans with their
 * ids, member counts and random streams (each plan its own, by its place in the tree's order,
 * and its own range of member ids).
 */
async function buildTree(client: Client, members: number, shape: DatasetShape): Promise<{ plans: WardPlan[]; summary: string }> {
  const tree = shape === 'nation' ? nationTree(members) : cityShapedTree(members);
  const units = new Map<string, Unit>();
  const parentOf = new Map<string, string>();
  for (const level of tree.levels) {
    for (const unit of level) if (unit.parent) parentOf.set(unit.code, unit.parent);
    const inserted = await insertUnits(client, level.map((u) => ({ code: u.code, name: u.name, kind: u.kind, parentId: u.parent ? units.get(u.parent)!.id : null })));
    for (const [code, unit] of inserted) units.set(code, unit);
  }
  const unit = (code: string) => units.get(code)!;
  let nextId = 1;
  const plans = tree.plans.map((plan, w): WardPlan => {
    const ward: WardPlan = {
      ...unit(plan.code),
      posts: plan.posts.map(([title, at, managedBy]) => [title, unit(at), unit(managedBy)]),
      badgeBody: plan.badgeBody,
      coTu: plan.coTu,
      address: plan.address,
      cells: plan.cells.map((code) => ({ ...unit(code), parent: unit(parentOf.get(code)!) })),
      firstId: nextId,
      count: plan.count,
      random: new Random(SEED * 31 + w),
    };
    nextId += plan.count;
    return ward;
  });
  return { plans, summary: tree.summary };
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
function addAwards(t: LaneTables, random: Random, id: number, p: PersonSeed, badgeBody: string): void {
  const until = p.leftOn ?? REFERENCE_DATE;
  for (const years of BADGE_YEARS) {
    const reached = plusYears(p.joinedOn, years);
    if (reached > until) break;
    const awarded = nextCeremony(reached);
    if (awarded <= REFERENCE_DATE) {
      t.award.add(id, 'PARTY_BADGE', `Huy hiệu ${years} năm tuổi Đảng`, years, awarded, `${years}-QĐ/TU`, awarded, badgeBody);
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
   * Hands the gathered rows to the database, every table's COPY in one message (no foreign key
   * is checked during the load, so their order does not matter): the lane's connection does not
   * wait for Node, busy generating the other lane's rows, between tables. The next batch is
   * generated while this one is written.
   */
  const flush = async () => {
    const tables: CopyTable[] = [];
    for (const rowsOf of Object.values(t)) {
      const copy = rowsOf.drain();
      if (!copy) continue;
      rows[copy.table] = (rows[copy.table] ?? 0) + copy.count;
      tables.push(copy);
    }
    await inFlight; // at most one batch in flight: memory stays bounded
    if (!tables.length) return;
    const writing = copyInto(client, tables);
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
    const wardPosts = [...ward.posts];
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
        p.politicalTheory, p.stateManagement, p.leftOn, p.joinedOn,
      );
      addStatusPeriods(t, id, p);
      addAwards(t, random, id, p, ward.badgeBody);
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

      // Cadres: the ward's posts (its secretary, managed by the district, and deputy; the first
      // ward of a district also the district's secretary, managed by the city; in the nation the
      // commune's, its province's and its grassroots organisations' likewise), then each cell's
      // secretary (managed by the unit above the cell), taken from official members of working
      // age as they come; the terms began after the 2022 congresses.
      if (p.status === 'OFFICIAL' && p.officialOn! < '2022-03-01' && p.dateOfBirth >= '1966-01-01' && p.dateOfBirth <= '1992-12-31') {
        const startOn = daysAfter(random, '2022-05-01', 60);
        if (wardPosts.length) {
          const [title, unit, managedBy] = wardPosts.shift()!;
          t.post.add(id, title, unit.id, startOn, 5, managedBy.id, `${random.int(100, 999)}-QĐ/TU`, startOn, managedBy.name);
        } else if (!secretaries.has(cell)) {
          secretaries.add(cell);
          t.post.add(id, `Bí thư ${cell.name}`, cell.id, startOn, 5, cell.parent.id, `${random.int(10, 99)}-QĐ/ĐU`, startOn, cell.parent.name);
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
/**
 * Triggers off during the load, switched on again at its end (bulk-load.ts), whose work the
 * loader does itself or has done once at the end:
 * - unit_path (the cell's path) and admission_ceremony_on (the admission's date, as the trigger
 *   defaults it) are written by the loader; member_unit_alive, which refuses a member in an ended
 *   unit, is skipped by a bulk load anyway, and the loader's cells are all alive. With no BEFORE
 *   ROW trigger left, COPY writes member in multi-row batches too;
 * - the member counters (member_count and member_subtree_count, migrations 23–25) are recounted
 *   once at the end (hoso_rebuild_member_counts, as migration 23 asks of a load that switches
 *   them off). Kept per statement, they upsert the rows of every unit above the inserted
 *   members, the root's in every batch of both lanes, so the second lane waited for the first
 *   lane's transaction to end: the lanes ran one after the other;
 * - the period tables' fact triggers are skipped by a bulk load (the facts are rebuilt at the
 *   end), but still kept each statement's rows as a transition table;
 * - the name words of the search (migration 32) are written once at the end
 *   (hoso_rebuild_member_name_words, as the migration asks of a load that switches them off),
 *   with their index in place: per statement they cost the load about three times its member rows.
 */
const LOADER_TRIGGERS = [
  'member.member_unit_path_before', 'member.member_default_ceremony_before', 'member.member_unit_alive', 'member.member_count_insert',
  'member_status_period.member_status_period_insert_facts', 'member_unit_period.member_unit_period_insert_facts',
  'member.member_name_word_insert',
];

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
        : t.sql.includes('hoso_rebuild_member_counts')
        ? 'member counts'
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
 * What a load finishes once its indexes are built (each when the schema has it): the name words
 * of the search written (LOADER_TRIGGERS), and the weekly statistics snapshots built (migration
 * 33: the facts' rebuild marked them all stale), so the API starts with them ready rather than
 * building them while it is measured.
 */
async function afterLoad(ownerUrl: string, done: (what: string) => void): Promise<void> {
  const client = await connect(ownerUrl);
  try {
    const { rows } = await client.query<{ words: boolean; weeks: boolean }>(
      `select to_regproc('hoso_rebuild_member_name_words') is not null as words, to_regproc('hoso_statistics_rebuild') is not null as weeks`,
    );
    if (rows[0].words) {
      await client.query('select hoso_rebuild_member_name_words()');
      done('name words of the search written');
    }
    if (rows[0].weeks) {
      await client.query(`set statement_timeout = 0`);
      await client.query('select hoso_statistics_rebuild(null)');
      const [{ units, weeks }] = (await client.query<{ units: number; weeks: number }>(
        `select (select count(*)::int from stat_unit) as units, (select count(distinct week)::int from stat_snapshot) as weeks`,
      )).rows;
      done(`statistics snapshots built (${units} units, ${weeks} weeks)`);
    }
  } finally {
    await client.end();
  }
}

/** The member counters recounted (LOADER_TRIGGERS), also beside the index builds; null when the schema has none. */
async function countsRebuild(client: Client): Promise<string | null> {
  const { rows } = await client.query<{ exists: boolean }>(`select to_regproc('hoso_rebuild_member_counts') is not null as exists`);
  return rows[0].exists ? 'select hoso_rebuild_member_counts()' : null;
}

/** Those of the triggers (`table.trigger`) that exist in this schema. */
async function existingTriggers(client: Client, triggers: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select t as name from unnest($1::text[]) t
      where exists (select 1 from pg_trigger where tgrelid = to_regclass(split_part(t, '.', 1)) and tgname = split_part(t, '.', 2))`,
    [triggers],
  );
  return rows.map((r) => r.name);
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

async function writeMarker(superUrl: string, database: BenchDatabase, seededAt: string, loadSeconds?: number): Promise<void> {
  const marker: Marker = { members: database.members, shape: database.shape, complete: true, seededAt, migrations: await appliedMigrations(database), loadSeconds };
  const admin = await connect(superUrl);
  await admin.query(`comment on database ${admin.escapeIdentifier(database.name)} is ${admin.escapeLiteral(JSON.stringify(marker))}`);
  await admin.end();
}

/**
 * The benchmark database for `members` members in the running bench cluster, in the shape given
 * (by default the size's, defaultShape): reused when a previous load of that shape completed,
 * else loaded now. Reused data are migrated if the code has new migrations, and their derived
 * data rebuilt; data migrated by a migration the code no longer has (renamed or rewritten during
 * development) are loaded again.
 */
export async function ensureBenchDatabase(
  cluster: EmbeddedDatabase,
  members: number,
  options: { force?: boolean; shape?: DatasetShape; log?: (line: string) => void } = {},
): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const shape = options.shape ?? defaultShape(members);
  const name = datasetName(members, shape);
  const database: BenchDatabase = {
    name,
    members,
    shape,
    ownerUrl: cluster.ownerUrl(name),
    apiUrl: cluster.apiUrl(name),
    superUrl: withDatabase(cluster.superUrl, name),
  };
  const marker = options.force ? null : await readMarker(cluster.superUrl, name);
  const known = new Set(migrationsList.map((m) => m.name));
  const unknown = marker ? (await appliedMigrations(database)).filter((m) => !known.has(m)) : [];
  if (marker && unknown.length) {
    log(`${name} was migrated with ${unknown.join(', ')}, which this code no longer has: loading it again`);
  } else if (marker && (marker.shape ?? 'city') !== shape) {
    log(`${name} holds a ${marker.shape ?? 'city'}-shaped dataset, not a ${shape}-shaped one: loading it again`);
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
      await afterLoad(database.ownerUrl, log);
      await vacuumAnalyze(database.ownerUrl);
      log(`reporting facts rebuilt and statistics refreshed for the new migrations: ${seconds(started)}`);
      await writeMarker(cluster.superUrl, database, marker.seededAt, marker.loadSeconds);
    }
    log(`${name}: reusing the ${shape}-shaped dataset loaded ${marker.seededAt} (--force loads it again)`);
    return { ...database, loadedAt: marker.seededAt, loadSeconds: marker.loadSeconds };
  }
  return seedBenchDatabase(cluster, database, log);
}

async function seedBenchDatabase(cluster: EmbeddedDatabase, database: BenchDatabase, log: (line: string) => void): Promise<BenchDatabase> {
  const { name, members, shape } = database;
  const started = Date.now();
  let phase = Date.now();
  const done = (what: string) => {
    log(`${what}: ${seconds(phase)}`);
    phase = Date.now();
  };
  log(`${name}: loading ${members.toLocaleString('en')} members, ${shape}-shaped`);
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
    const { plans: wards, summary } = await buildTree(client, members, shape);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    // The demo's accounts at their units before the reform (Đà Nẵng's tree in both shapes), and the root's in the nation.
    const accounts = [...DEMO_ACCOUNTS.map((a) => ({ username: a.username, role: a.role, unit: a.before })), ...(shape === 'nation' ? [NATION_ACCOUNT] : [])];
    for (const account of accounts) {
      await client.query(
        `insert into account (username, password_hash, role, unit_id) select $1, $2, $3, id from org_unit where code = $4`,
        [account.username, passwordHash, account.role, account.unit],
      );
    }
    await client.query('commit');
    done(`units (${summary}) and the ${accounts.length} accounts`);

    const deferred = await deferSchema(client, await existingTables(client, BULK_TABLES), await existingTriggers(client, LOADER_TRIGGERS));
    const deferredFacts = await deferSchema(client, await existingTables(client, FACT_TABLES), []);
    // Two lanes, wards dealt alternately (ward sizes follow weights, neighbours alike, so the lanes even out).
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
    const recount = await countsRebuild(client);
    const timings = await restoreSchema(database.ownerUrl, [deferred, deferredFacts], [rebuild, recount].filter((sql) => sql !== null));
    done(`indexes and constraints built${rebuild ? ' beside the reporting facts' : ''}${recount ? ' and the member counts' : ''} ` +
      `(${timings.length} statements, two at a time; the longest ${slowest(timings)}), checked against their definitions`);
  } finally {
    await client.end();
  }
  await afterLoad(database.ownerUrl, done);
  await vacuumAnalyze(database.ownerUrl);
  done('vacuum (analyze)');

  const loadedAt = new Date().toISOString();
  const loadSeconds = (Date.now() - started) / 1000;
  await writeMarker(cluster.superUrl, database, loadedAt, loadSeconds);
  log(`${name}: ${members.toLocaleString('en')} members loaded in ${seconds(started)}`);
  return { ...database, loadedAt, loadSeconds };
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
  options: { force?: boolean; shape?: DatasetShape; log?: (line: string) => void } = {},
): Promise<BenchDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const base = await ensureBenchDatabase(cluster, members, options);
  // The reform is Đà Nẵng's, which both shapes have; a forced shape's reformed dataset is named after it too.
  const name = base.name === benchDatabaseName(members) ? reformedBenchDatabaseName(members) : `${base.name}_reformed`;
  const database: BenchDatabase = { name, members, shape: base.shape, ownerUrl: cluster.ownerUrl(name), apiUrl: cluster.apiUrl(name), superUrl: withDatabase(cluster.superUrl, name) };
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

/** `--shape city|nation`; undefined when not given (the size's default). */
export function parseShape(text: string | undefined): DatasetShape | undefined {
  if (text === undefined) return undefined;
  if (!SHAPES.includes(text as DatasetShape)) throw new Error(`--shape is one of ${SHAPES.join(', ')}, not "${text}".`);
  return text as DatasetShape;
}

/**
 * The bench cluster: started here, or the one another process runs on the same folder (a
 * benchmark, a long-lived cluster kept up for several loads), which is then left running:
 * starting a second postmaster on it fails, and stopping it would pull it from under its owner.
 */
async function openBenchCluster(): Promise<EmbeddedDatabase> {
  const pidFile = path.join(BENCH_DIR, 'pg', 'postmaster.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  let running = false;
  try {
    running = pid > 0 && process.kill(pid, 0);
  } catch {
    running = false; // a pid file left by a killed server: startBenchCluster clears it
  }
  if (!running) return startBenchCluster();
  const url = (role: string, secret: string) => (database: string) =>
    `postgres://${role}:${encodeURIComponent(dataDirSecret(BENCH_DIR, secret))}@127.0.0.1:${BENCH_PG_PORT}/${database}`;
  return {
    superUrl: url('postgres', 'superPassword')('postgres'),
    ownerUrl: url(OWNER_ROLE, 'ownerPassword'),
    apiUrl: url(API_ROLE, 'apiPassword'),
    stop: async () => undefined,
  };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const members = parseCount(options.get('members') ?? '1000000');
  const shape = parseShape(options.get('shape'));
  const started = Date.now();
  const cluster = await openBenchCluster();
  console.log(`bench cluster ready: ${seconds(started)}`);
  try {
    const force = options.get('force') === 'true';
    if (options.get('reformed') === 'true') await ensureReformedBenchDatabase(cluster, members, { force, shape });
    else await ensureBenchDatabase(cluster, members, { force, shape });
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
