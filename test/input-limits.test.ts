import 'reflect-metadata';
import { getNamedType, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import {
  DEFAULT_MAX_LENGTH,
  describesLimit,
  inputDefinitions,
  inputProblem,
  limitOf,
  queryParamsProblem,
  textProblem,
} from '../src/graphql/input-limits';
import { buildAppSchema, buildBareSchema } from '../src/app/schema';
import { ownerQuery } from './support/db';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/app';

const NUL = '\u0000';
const LONE_SURROGATE = 'ab\uD800c';

describe('input limits: every argument and input field of the schema has one, stated in its description', () => {
  for (const [name, build] of [['bare', buildBareSchema], ['executable', buildAppSchema]] as const) {
    it(`every String, ID, Int and Float input has a limit its description states (${name} schema)`, () => {
      const missing: string[] = [];
      let checked = 0;
      for (const { coordinate, def, isArgument } of inputDefinitions(build())) {
        const named = getNamedType(def.type).name;
        if (!['String', 'ID', 'Int', 'Float'].includes(named)) continue;
        checked++;
        const limit = limitOf(def, isArgument);
        if (!limit) missing.push(`${coordinate}: no limit`);
        else if (!describesLimit(def.description, limit)) missing.push(`${coordinate}: description "${def.description}" does not state it`);
        else if (['Int', 'Float'].includes(named) && !(limit.min! <= limit.max!)) missing.push(`${coordinate}: empty range`);
      }
      expect(missing).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  }

  it('limits declared on an input class hold on the input classes that extend it', () => {
    const schema = buildBareSchema();
    for (const type of ['CreateMemberInput', 'UpdateMemberInput']) {
      const fields = (schema.getType(type) as any).getFields();
      expect(limitOf(fields.homeTown, false), type).toEqual({ maxLength: 300 });
      expect(fields.homeTown.description, type).toBe('Home town (quê quán). At most 300 characters.');
    }
    const update = (schema.getType('UpdateMemberInput') as any).getFields();
    expect(limitOf(update.expectedVersion, false)).toEqual({ min: 1, max: 1_000_000_000 });
    expect(limitOf(update.id, false)).toEqual({ maxLength: DEFAULT_MAX_LENGTH });
    const planning = (schema.getType('AddPlanningEntryInput') as any).getFields();
    expect(limitOf(planning.periodStart, false)).toEqual({ min: 1900, max: 2100 });
  });
});

describe('input limits: the walker over an operation (no server)', () => {
  const schema = buildAppSchema();
  const problem = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const document = parse(query);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    return inputProblem(schema, document, operation, variables);
  };

  it('finds NUL and lone surrogates in literals and variables, at any depth, naming the path', () => {
    expect(problem(`{ unit(code: "DN\\u0000X") { id } }`)).toMatchObject({ argument: 'code' });
    expect(problem(`query($c: String) { unit(code: $c) { id } }`, { c: `DN${NUL}` })).toMatchObject({ argument: 'code' });
    expect(problem(`query($f: MemberFilter) { members(filter: $f) { totalCount } }`, { f: { search: LONE_SURROGATE } })).toMatchObject({
      argument: 'filter.search',
      message: expect.stringContaining('surrogate'),
    });
    // A variable inside a literal object, and an item of a list.
    expect(problem(`query($h: String) { __typename } mutation M($h: String) { updateMember(input: { id: "1", expectedVersion: 1, homeTown: $h }) { member { id } } }`, { h: NUL }, 'M'))
      .toMatchObject({ argument: 'input.homeTown' });
    expect(problem(`mutation($i: UpdateMemberInput!) { updateMember(input: $i) { member { id } } }`, { i: { id: '1', expectedVersion: 1, introducers: ['A', `B${NUL}`] } }))
      .toMatchObject({ argument: 'input.introducers' });
    // A single value where a list is expected is coerced to a list of one: still checked.
    expect(problem(`mutation($i: UpdateMemberInput!) { updateMember(input: $i) { member { id } } }`, { i: { id: '1', expectedVersion: 1, introducers: NUL } }))
      .toMatchObject({ argument: 'input.introducers' });
    // Even where a custom scalar (Date) takes the string.
    expect(problem(`query($d: Date!) { me { id } members { edges { node { statusOn(date: $d) } } } }`, { d: `2020-01-01${NUL}` })).toMatchObject({ argument: 'date' });
  });

  it('uses the operation’s variable defaults, and checks only the operation that runs', () => {
    expect(problem(`query($c: String = "A\\u0000") { unit(code: $c) { id } }`)).toMatchObject({ argument: 'code' });
    expect(problem(`query($c: String = "A\\u0000") { unit(code: $c) { id } }`, { c: 'DN' })).toBeNull();
    const two = `query A { unit(code: "DN\\u0000") { id } } query B { unit(code: "DN") { id } }`;
    expect(problem(two, {}, 'B')).toBeNull();
    expect(problem(two, {}, 'A')).toMatchObject({ argument: 'code' });
  });

  it('lengths count characters, not UTF-16 units; ranges include their bounds', () => {
    const update = `mutation($i: UpdateMemberInput!) { updateMember(input: $i) { member { id } } }`;
    expect(problem(update, { i: { id: '1', expectedVersion: 1, homeTown: 'ễ'.repeat(300) } })).toBeNull();
    expect(problem(update, { i: { id: '1', expectedVersion: 1, homeTown: '𝔸'.repeat(300) } })).toBeNull(); // 600 UTF-16 units
    expect(problem(update, { i: { id: '1', expectedVersion: 1, homeTown: 'a'.repeat(301) } })).toEqual({
      argument: 'input.homeTown',
      message: 'input.homeTown must be at most 300 characters long (got 301).',
    });
    expect(problem(update, { i: { id: 'x'.repeat(DEFAULT_MAX_LENGTH + 1), expectedVersion: 1 } })).toMatchObject({ argument: 'input.id' });
    expect(problem(update, { i: { id: '1', expectedVersion: 0 } })).toMatchObject({ argument: 'input.expectedVersion' });
    const plan = `mutation($i: AddPlanningEntryInput!) { addPlanningEntry(input: $i) { entry { id } } }`;
    const entry = { memberId: '1', postTitle: 'Bí thư', managedByUnitId: '1' };
    expect(problem(plan, { i: { ...entry, periodStart: 1900, periodEnd: 2100 } })).toBeNull();
    expect(problem(plan, { i: { ...entry, periodStart: 2025, periodEnd: 2101 } })).toEqual({
      argument: 'input.periodEnd',
      message: 'input.periodEnd must be between 1900 and 2100, got 2101.',
    });
    expect(problem(`{ members(first: 101) { totalCount } }`)).toMatchObject({ argument: 'first' });
    expect(problem(`{ members(first: 100) { totalCount } }`)).toBeNull();
  });

  it('textProblem: NUL, lone surrogates (either half), length', () => {
    expect(textProblem('a\u0000', undefined, 'x')).toMatch(/NUL/);
    expect(textProblem('\uDC00a', undefined, 'x')).toMatch(/surrogate/);
    expect(textProblem('a\uD800', undefined, 'x')).toMatch(/surrogate/);
    expect(textProblem('😀 Nguyễn', 8, 'x')).toBeNull(); // a surrogate pair is one character
    expect(textProblem('abc', 2, 'x')).toMatch(/at most 2 characters/);
  });

  it('queryParamsProblem: the same text rule, and at most 200 characters, per query-string parameter', () => {
    expect(queryParamsProblem(new URLSearchParams('unitId=12&status=OFFICIAL&search=Nguy%E1%BB%85n'))).toBeNull();
    expect(queryParamsProblem(new URLSearchParams('unitId=12&search=a%00b'))).toEqual({ argument: 'search', message: expect.stringMatching(/NUL/) });
    // (URLSearchParams itself turns lone surrogates into U+FFFD: its values are USVStrings.)
    expect(queryParamsProblem(new URLSearchParams({ search: 'x'.repeat(200) }))).toBeNull();
    expect(queryParamsProblem(new URLSearchParams({ search: 'x'.repeat(201) }))).toMatchObject({ argument: 'search', message: expect.stringMatching(/at most 200/) });
    const badName = queryParamsProblem(new URLSearchParams('a%00b=1'));
    expect(badName?.message).toMatch(/NUL/);
    expect(badName?.argument).not.toContain(NUL);
  });
});

describe('input limits end to end: NUL, lone surrogates, oversized text and numbers are BAD_USER_INPUT naming the field, nothing written', () => {
  let t: TestApp;
  let staff: string;
  let member: { id: string; version: number; home_town: string | null; full_name: string };
  let ward: string;

  const MEMBER_ROW = `select id::text, version, home_town, full_name from member where id = $1`;
  const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id version homeTown } userErrors { field message } } }`;

  const expectRefused = (result: GraphQLResponse, argument: string) => {
    expect(result.errors, JSON.stringify(result).slice(0, 500)).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
  };
  const expectUnchanged = async () => {
    const [row] = await ownerQuery<typeof member>(t.db, MEMBER_ROW, [member.id]);
    expect(row).toEqual(member);
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock('2026-06-15') });
    staff = await t.login('thachthang');
    const [m] = await ownerQuery<{ id: string; ward: string }>(
      t.db,
      `select m.id::text, w.id::text as ward from member m join org_unit c on c.id = m.unit_id join org_unit w on w.id = c.parent_id
        where w.code = 'DN.HAICHAU.THACHTHANG' and m.status = 'OFFICIAL' order by m.id limit 1`,
    );
    ward = m.ward;
    [member] = await ownerQuery(t.db, MEMBER_ROW, [m.id]);
  });
  afterAll(() => t.close());

  it('login, anonymously: NUL in the username, a lone surrogate in the password', async () => {
    const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`;
    expectRefused(await t.gql(LOGIN, { input: { username: `admin${NUL}`, password: 'hoso-demo' } }), 'input.username');
    expectRefused(await t.gql(LOGIN, { input: { username: 'admin', password: `hoso-demo${LONE_SURROGATE}` } }), 'input.password');
    expectRefused(await t.gql(`mutation { login(input: { username: "admin\\u0000", password: "x" }) { token } }`), 'input.username');
    expectRefused(await t.gql(LOGIN, { input: { username: 'a'.repeat(65), password: 'x' } }), 'input.username');
    // The limiter saw none of these: the right password still works at once.
    expect(await t.login('admin')).toBeTruthy();
  });

  it('search and unit(code:): NUL as a variable and as a literal', async () => {
    const SEARCH = `query($filter: MemberFilter) { members(filter: $filter) { totalCount } }`;
    expectRefused(await t.gql(SEARCH, { filter: { search: `Nguyễn${NUL}` } }, staff), 'filter.search');
    expectRefused(await t.gql(SEARCH, { filter: { search: LONE_SURROGATE } }, staff), 'filter.search');
    expectRefused(await t.gql(SEARCH, { filter: { search: 'a'.repeat(101) } }, staff), 'filter.search');
    expectRefused(await t.gql(`{ unit(code: "DN.HAICHAU\\u0000") { id } }`, {}, staff), 'code');
    expectRefused(await t.gql(`query($code: String) { unit(code: $code) { id } }`, { code: `DN${NUL}` }, staff), 'code');
    expectRefused(await t.gql(`query($id: ID) { member(id: $id) { id } }`, { id: `1${NUL}` }, staff), 'id');
    // The limits let ordinary input through.
    const ok = await t.gql(SEARCH, { filter: { search: 'Nguyễn' } }, staff);
    expect(ok.errors).toBeUndefined();
  });

  it('a mutation input: NUL via variables and via a literal; oversized homeTown, name and reason; nothing written', async () => {
    const base = { id: member.id, expectedVersion: member.version };
    expectRefused(await t.gql(UPDATE, { input: { ...base, homeTown: `Đà Nẵng${NUL}` } }, staff), 'input.homeTown');
    expectRefused(
      await t.gql(`mutation { updateMember(input: { id: "${member.id}", expectedVersion: ${member.version}, homeTown: "Đà\\u0000Nẵng" }) { member { id } } }`, {}, staff),
      'input.homeTown',
    );
    expectRefused(await t.gql(UPDATE, { input: { ...base, homeTown: 'Đ'.repeat(250_000) } }, staff), 'input.homeTown');
    expectRefused(await t.gql(UPDATE, { input: { ...base, fullName: 'Nguyễn Văn '.repeat(50_000), reason: 'Sai tên' } }, staff), 'input.fullName');
    expectRefused(await t.gql(UPDATE, { input: { ...base, phone: '0905123456', reason: 'x'.repeat(900_000) } }, staff), 'input.reason');
    expectRefused(await t.gql(UPDATE, { input: { ...base, introducers: ['Trần Văn A', `Lê Văn B${NUL}`] } }, staff), 'input.introducers');
    await expectUnchanged();

    // At the limit it is taken.
    const homeTown = `${'Phường Thạch Thang, quận Hải Châu, '.repeat(9).slice(0, 299)}.`; // stored trimmed
    const ok = await t.gql(UPDATE, { input: { ...base, homeTown } }, staff);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateMember).toMatchObject({ userErrors: [], member: { homeTown } });
    member = { ...member, version: ok.data.updateMember.member.version, home_town: homeTown };
    await expectUnchanged();
  });

  it('numbers out of range: a huge planning year, a birth year of 1700, a term of 0 years; nothing written', async () => {
    const count = async () => (await ownerQuery<{ n: number }>(t.db, `select count(*)::int as n from planning_entry where member_id = $1`, [member.id]))[0].n;
    const before = await count();
    const PLAN = `mutation($input: AddPlanningEntryInput!) { addPlanningEntry(input: $input) { entry { id } userErrors { field message } } }`;
    const entry = { memberId: member.id, postTitle: 'Phó Bí thư', managedByUnitId: ward, reason: 'Quy hoạch' };
    expectRefused(await t.gql(PLAN, { input: { ...entry, periodStart: 2025, periodEnd: 2_147_483_647 } }, staff), 'input.periodEnd');
    expectRefused(await t.gql(PLAN, { input: { ...entry, periodStart: -2_147_483_648, periodEnd: 2030 } }, staff), 'input.periodStart');
    expectRefused(await t.gql(PLAN, { input: { ...entry, periodStart: 2025, periodEnd: 2030, reason: 'x'.repeat(2001) } }, staff), 'input.reason');
    expect(await count()).toBe(before);

    const ADD = `mutation($input: AddSubRecordInput!) { addSubRecord(input: $input) { userErrors { code field } } }`;
    const families = async () => (await ownerQuery<{ n: number }>(t.db, `select count(*)::int as n from family_relation where member_id = $1`, [member.id]))[0].n;
    const familiesBefore = await families();
    expectRefused(await t.gql(ADD, { input: { memberId: member.id, family: { relation: 'Cha', fullName: 'Lê Văn Cổ', birthYear: 1700 } } }, staff), 'input.family.birthYear');
    expectRefused(await t.gql(ADD, { input: { memberId: member.id, family: { relation: 'Cha', fullName: 'Lê Văn Cổ', note: `a${NUL}` } } }, staff), 'input.family.note');
    expect(await families()).toBe(familiesBefore);

    const APPOINT = `mutation($input: AppointToPostInput!) { appointToPost(input: $input) { post { id } userErrors { field } } }`;
    const decision = { number: '5-QĐ/ĐU', date: '2024-02-20', issuedBy: 'Đảng ủy phường Thạch Thang' };
    expectRefused(
      await t.gql(APPOINT, { input: { memberId: member.id, title: 'Bí thư', unitId: ward, managedByUnitId: ward, startOn: '2024-03-01', termYears: 0, decision } }, staff),
      'input.termYears',
    );
    expectRefused(
      await t.gql(APPOINT, { input: { memberId: member.id, title: 'Bí thư', unitId: ward, managedByUnitId: ward, startOn: '2024-03-01', decision: { ...decision, number: `5${NUL}` } } }, staff),
      'input.decision.number',
    );
  });
});
