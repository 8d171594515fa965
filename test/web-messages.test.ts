import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { DECISION_BOUNDS, GRAPHQL_JS_WRAPPERS, MESSAGE_CATALOGUE, vietnameseMessage, type CatalogueEntry } from '../web/src/ui/messages';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

// The staff application says the API's messages in Vietnamese (web/src/ui/messages.ts) while the
// API keeps its English for other clients. Here the real API is provoked into its refusals and
// each message is checked to come out Vietnamese, dates dd/mm/yyyy; and every entry of the
// catalogue is checked to still be what the server writes, so a message changed on the server
// fails here instead of showing English on a Vietnamese screen.

const TODAY = '2026-11-20';
const MERGED = '2026-10-01';
const decision = (date: string) => ({ number: '31-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });

/** Letters only Vietnamese writes (a vowel with its tone or hat, đ): English has none. */
const VIETNAMESE_LETTERS = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
const ISO_DATES = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/** The Vietnamese of an API message: not the English, in Vietnamese letters, its dates dd/mm/yyyy. */
function expectVietnamese(message: string | undefined): string {
  expect(message, 'the API answered a message').toBeTruthy();
  const said = vietnameseMessage(message!);
  expect(said, `not in the catalogue: ${message}`).not.toBe(message);
  expect(said).toMatch(VIETNAMESE_LETTERS);
  expect(said, said).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  for (const [, y, m, d] of message!.matchAll(ISO_DATES)) expect(said).toContain(`${d}/${m}/${y}`);
  return said;
}

describe('the API’s messages in the staff application’s Vietnamese', () => {
  let t: TestApp;
  let admin: string;
  let haichau: string;
  let staff: string;
  let ended: { id: string; code: string };
  let mergedInto: string;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    admin = await t.login('admin');
    haichau = await t.login('haichau');
    staff = await t.login('thachthang');
    // Two cells of Thạch Thang merged on 1 October into a new one: an ended cell (its code still
    // finds it) and a cell with no figures before that day.
    const cells = await ownerQuery<{ id: string; code: string; parent: string }>(
      t.db,
      `select id::text, code, parent_id::text as parent from org_unit where code like 'DN.HAICHAU.THACHTHANG.%' and kind = 'CELL' order by code limit 2`,
    );
    const merged = await t.gql(
      `mutation($input: ReorganiseUnitsInput!) { reorganiseUnits(input: $input) { createdUnits { id } userErrors { field message } } }`,
      {
        input: {
          effectiveOn: MERGED, decision: decision('2026-09-20'), reason: 'Hợp nhất hai chi bộ',
          newUnits: [{ key: 'cb', name: 'Chi bộ Khu dân cư hợp nhất', kind: 'CELL', parent: { id: cells[0]!.parent } }],
          steps: [{ kind: 'MERGE', units: cells.map((c) => c.id), into: [{ key: 'cb' }] }],
        },
      },
      admin,
    );
    expect(merged.errors, JSON.stringify(merged.errors)).toBeUndefined();
    expect(merged.data.reorganiseUnits.userErrors).toEqual([]);
    ended = cells[0]!;
    mergedInto = merged.data.reorganiseUnits.createdUnits[0].id;
  });
  afterAll(() => t?.close());

  /** A member of Hải Châu in `status`, with what the scenarios need. */
  async function memberOf(token: string, status: string, where: (m: any) => boolean = () => true) {
    const list = await t.gql(
      `query($status: [MemberStatus!]) { members(first: 100, filter: { status: $status }) { edges { node { id version joinedOn probationEndsOn underReview unit { id code } } } } }`,
      { status: [status] },
      token,
    );
    expect(list.errors, JSON.stringify(list.errors)).toBeUndefined();
    const member = list.data.members.edges.map((e: any) => e.node).find(where);
    expect(member, `a ${status} member`).toBeTruthy();
    return member;
  }

  const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } userErrors { field code message } } }`;
  const CONFIRM = `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { member { id } userErrors { field code message } } }`;

  it('editing a record: a 5-digit national ID, the reason it needs, a birth date in the future, a date that is no day, a text too long', async () => {
    const member = await memberOf(haichau, 'OFFICIAL');
    const id = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, nationalId: '12345' } }, haichau);
    const errors = id.data.updateMember.userErrors;
    const national = errors.find((e: any) => e.field.at(-1) === 'nationalId');
    expect(expectVietnamese(national?.message)).toBe('Số CCCD phải gồm đúng 12 chữ số.');
    const reason = errors.find((e: any) => e.field.at(-1) === 'reason');
    expect(expectVietnamese(reason?.message)).toContain('“Số CCCD”');

    const born = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, dateOfBirth: '2090-01-01', reason: 'Sửa theo giấy khai sinh' } }, haichau);
    expect(expectVietnamese(born.data.updateMember.userErrors[0]?.message)).toBe('Ngày sinh phải trước ngày vào Đảng.');

    // A date that is not in the calendar: graphql-js's words around the Date scalar's message.
    const noDay = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, dateOfBirth: '1990-02-30' } }, haichau);
    expect(noDay.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const said = expectVietnamese(noDay.errors![0]!.message);
    expect(said).toContain('30/02/1990');
    expect(said).toContain('dd/mm/yyyy');

    const long = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, homeTown: 'x'.repeat(5000) } }, haichau);
    expect(long.errors?.[0]?.extensions?.argument).toBe('input.homeTown');
    expect(expectVietnamese(long.errors![0]!.message)).toContain('“Quê quán”');
  });

  it('a stale version (CONFLICT), a member outside the scope, a role that may not change records', async () => {
    const member = await memberOf(haichau, 'OFFICIAL');
    const stale = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version + 1, homeTown: 'Đà Nẵng' } }, haichau);
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(expectVietnamese(stale.errors![0]!.message)).toContain(`bản ${member.version}`);

    const away = await t.gql(CONFIRM, { input: { id: '999999999', expectedVersion: 1, decision: decision('2026-11-01') } }, haichau);
    expect(expectVietnamese(away.data.confirmOfficial.userErrors[0]?.message)).toBe('Không tìm thấy đảng viên này trong phạm vi của bạn.');

    const reporter = await t.login('reporter');
    const refused = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, homeTown: 'Đà Nẵng' } }, reporter);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expectVietnamese(refused.errors![0]!.message);

    const anonymous = await t.gql(`{ members(first: 1) { totalCount } }`, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expectVietnamese(anonymous.errors![0]!.message);
  });

  it('lifecycle: confirming before probation ends, a decision dated before its end, a change the lifecycle does not allow, readmitting an active member', async () => {
    const early = await memberOf(haichau, 'PROBATIONARY', (m) => m.probationEndsOn > TODAY);
    const before = await t.gql(CONFIRM, { input: { id: early.id, expectedVersion: early.version, decision: decision(TODAY) } }, haichau);
    const said = expectVietnamese(before.data.confirmOfficial.userErrors.find((e: any) => e.field.at(-1) === 'id')?.message);
    expect(said).toContain(early.probationEndsOn.split('-').reverse().join('/'));

    const due = await memberOf(haichau, 'PROBATIONARY', (m) => m.probationEndsOn <= TODAY && m.probationEndsOn > m.joinedOn);
    const dated = await t.gql(CONFIRM, { input: { id: due.id, expectedVersion: due.version, decision: decision(due.joinedOn) } }, haichau);
    const onDate = dated.data.confirmOfficial.userErrors.find((e: any) => e.field.at(-1) === 'date');
    expect(expectVietnamese(onDate?.message)).toContain('ngày hết 12 tháng dự bị');

    const status = await t.gql(
      `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { member { id } userErrors { field code message } } }`,
      { input: { id: due.id, expectedVersion: due.version, status: 'OFFICIAL', effectiveOn: TODAY, decision: decision(TODAY), reason: 'Thử' } },
      haichau,
    );
    expectVietnamese(status.data.changeMemberStatus.userErrors[0]?.message);

    const official = await memberOf(haichau, 'OFFICIAL');
    const readmit = await t.gql(
      `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { member { id } userErrors { field code message } } }`,
      { input: { id: official.id, expectedVersion: official.version, joinedOn: TODAY, decision: decision(TODAY), reason: 'Thử' } },
      haichau,
    );
    expect(expectVietnamese(readmit.data.readmitMember.userErrors[0]?.message)).toBe('Đảng viên chưa ra khỏi Đảng, không có việc kết nạp lại.');
  });

  it('transfers: to a cell that ended, issued in the future, cancelling one that does not exist', async () => {
    const mover = await memberOf(haichau, 'OFFICIAL', (m) => m.unit.code.startsWith('DN.HAICHAU.HAICHAUI.') && !m.underReview && m.joinedOn < '2020-01-01');
    const TRANSFER = `mutation($input: TransferMemberInput!) { transferMember(input: $input) { transfer { id } userErrors { field code message } } }`;
    const toEnded = await t.gql(
      TRANSFER,
      { input: { memberId: mover.id, expectedVersion: mover.version, kind: 'PERMANENT', toUnitCode: ended.code, issuedOn: TODAY, decision: decision(TODAY), reason: 'Chuyển nơi ở' } },
      haichau,
    );
    const onCode = toEnded.data.transferMember.userErrors.find((e: any) => e.field.at(-1) === 'toUnitCode');
    expect(onCode?.message).toContain(`ended on ${MERGED}`);
    expect(expectVietnamese(onCode.message)).toContain('đã kết thúc hoạt động từ ngày 01/10/2026');

    const future = await t.gql(
      TRANSFER,
      { input: { memberId: mover.id, expectedVersion: mover.version, kind: 'PERMANENT', toUnitCode: 'DN.HAICHAU.THACHTHANG.CB03', issuedOn: '2026-12-24', decision: decision(TODAY), reason: 'Chuyển nơi ở' } },
      haichau,
    );
    const onIssue = future.data.transferMember.userErrors.find((e: any) => e.field.at(-1) === 'issuedOn');
    expectVietnamese(onIssue?.message);

    const cancel = await t.gql(
      `mutation($input: CancelTransferInput!) { cancelTransfer(input: $input) { transfer { id } userErrors { field code message } } }`,
      { input: { transferId: '999999999', reason: 'Thử' } },
      staff,
    );
    expectVietnamese(cancel.data.cancelTransfer.userErrors[0]?.message);
  });

  it('sign-in, reports and arguments: a wrong password, a date before a unit was formed, a page too large, a date out of range', async () => {
    const login = await t.gql(
      `mutation($input: LoginInput!) { login(input: $input) { token userErrors { field code message } } }`,
      { input: { username: 'haichau', password: 'wrong-password' } },
      null,
    );
    expect(login.data.login.token).toBeNull();
    expect(expectVietnamese(login.data.login.userErrors[0]?.message)).toBe('Sai tên đăng nhập hoặc mật khẩu.');

    const early = await t.gql(`query($id: ID!) { statistics(unitId: $id, asOf: "2026-09-30") { total } }`, { id: mergedInto }, admin);
    expect(early.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(expectVietnamese(early.errors![0]!.message)).toContain('được thành lập từ ngày 01/10/2026');

    const page = await t.gql(`{ members(first: 500) { totalCount } }`, {}, haichau);
    expect(page.errors?.[0]?.extensions?.argument).toBe('first');
    expect(expectVietnamese(page.errors![0]!.message)).toContain('“Số dòng mỗi trang”');

    const far = await t.gql(`query($id: ID!) { statistics(unitId: $id, asOf: "2200-01-01") { total } }`, { id: mergedInto }, admin);
    expect(far.errors?.[0]?.extensions?.argument).toBe('asOf');
    expect(expectVietnamese(far.errors![0]!.message)).toContain('31/12/2100');
  });

  it('a message the catalogue does not know is shown as the API wrote it; a Vietnamese text stays as it is', () => {
    expect(vietnameseMessage('Some message the API may add one day.')).toBe('Some message the API may add one day.');
    const said = vietnameseMessage('A national ID (CCCD) has exactly 12 digits.');
    expect(vietnameseMessage(said)).toBe(said);
    // A part the sentence cannot say (an unknown status) leaves the whole message in English, not half translated.
    expect(vietnameseMessage('SUSPENDED cannot change to OFFICIAL.')).toBe('SUSPENDED cannot change to OFFICIAL.');
  });
});

describe('the catalogue follows the server’s messages', () => {
  /** The server's source, tests left out (a test may still quote a message the server no longer writes). */
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(file);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [fs.readFileSync(file, 'utf8')] : [];
    });
  const server = sources(path.resolve(__dirname, '..', 'src')).join('\n');

  const missing = (entries: readonly CatalogueEntry[], text: string) =>
    entries.flatMap((entry) => entry.literals.filter((literal) => !text.includes(literal)).map((literal) => `${entry.pattern.source}: "${literal}"`));

  it('every fixed part of every entry is still written in src/', () => {
    expect(MESSAGE_CATALOGUE.length).toBeGreaterThan(100);
    expect(missing(MESSAGE_CATALOGUE, server)).toEqual([]);
    expect(missing(DECISION_BOUNDS, server)).toEqual([]);
  });

  it('the graphql-js wording around a refused variable is still graphql-js’s', () => {
    const graphqlJs = fs.readFileSync(path.resolve(__dirname, '..', 'node_modules', 'graphql', 'execution', 'values.js'), 'utf8');
    expect(missing(GRAPHQL_JS_WRAPPERS, graphqlJs)).toEqual([]);
  });

  it('the check can fail: a message the server does not write is found missing', () => {
    const invented = { literals: ['The member is on holiday until '], pattern: /^$/, say: () => '' };
    expect(missing([invented], server)).toHaveLength(1);
  });
});
