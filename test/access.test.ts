import { execute, extendSchema, GraphQLError, GraphQLObjectType, parse } from 'graphql';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../src/access/capabilities';
import { catalogueItem } from '../src/catalogues/catalogues';
import { PERMISSIONS } from '../src/access/permissions';
import { applyShield, meets, reachOf, ruledFields, unguardedReads } from '../src/access/shield';
import { Role } from '../src/access/roles';
import { SENSITIVE_MEMBER_FIELD_NAMES } from '../src/access/sensitive';
import { openOrm } from '../src/database/orm';
import { rlsBypassReasons } from '../src/database/role-check';
import { buildAppSchema, buildBareSchema } from '../src/app/schema';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

describe('roles and capabilities (docs/access.md table)', () => {
  it.each([
    [Role.CITY_ADMIN, ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit']],
    [Role.ORG_STAFF, ['readRecords', 'readSensitive', 'changeRecords', 'readStatistics']],
    [Role.COMMITTEE_VIEWER, ['readRecords', 'readStatistics']],
    [Role.REPORTER, ['readRecords', 'readStatistics']],
    [Role.AUDITOR, ['readAudit']],
  ] as const)('%s has exactly %j', (role, expected) => {
    const all = ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit'] as const;
    expect(all.filter((c) => can(role, c))).toEqual(expected);
  });
});

describe('reference catalogues', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('every signed-in role reads them, with the rows the database holds', async () => {
    const rows = await ownerQuery<{ code: string; label: string }>(t.db, `select code, label from ethnic_group order by position`);
    expect(rows).toHaveLength(54);
    for (const username of ['admin', 'sontra.viewer', 'reporter', 'auditor']) {
      const result = await t.gql(`{ catalogue(kind: ETHNIC_GROUP) { code label } }`, {}, await t.login(username));
      expect(result.data.catalogue).toEqual(rows);
    }
    expect((await t.gql(`{ catalogue(kind: RELIGION) { code } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('deny by default', () => {
  it('every field of the record types has its own rule (no wildcard opens a new field)', () => {
    const schema = buildBareSchema();
    for (const typeName of ['Member', 'OrgUnit', 'Account', 'Query', 'Mutation']) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const typeRules = PERMISSIONS[typeName] as Record<string, unknown>;
      expect(typeof typeRules).toBe('object');
      expect(Object.keys(typeRules)).not.toContain('*');
      for (const field of Object.keys(type.getFields())) {
        expect(typeRules[field], `${typeName}.${field} has no rule`).toBeDefined();
      }
    }
  });

  it('a field added without a rule is denied, even to the city administrator', async () => {
    const extended = extendSchema(buildBareSchema(), parse(`extend type Query { probe: String } extend type Member { secret: String }`));
    (extended.getQueryType()!.getFields().probe as any).resolve = () => 'a secret';
    const shielded = applyShield(extended);
    // A new field of a record type, even a plain property, is closed too: shield's fallback rule.
    const secret = (shielded.getType('Member') as GraphQLObjectType).getFields().secret;
    const admin = { kind: 'account', id: '1', name: 'admin', role: Role.CITY_ADMIN, unitId: '1', scope: { path: '1' } };
    const outcome = (await secret.resolve!({ id: '1', secret: 'x' }, {}, { account: admin }, {} as any)) as GraphQLError;
    expect(outcome).toBeInstanceOf(GraphQLError);
    expect(outcome.extensions.code).toBe('FORBIDDEN');
    const result = await execute({ schema: shielded, document: parse('{ probe }'), contextValue: { account: admin } });
    expect(result.data?.probe ?? null).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('where the shield places its rules (src/access/shield.ts)', () => {
  const bare = buildBareSchema();
  const fieldsOf = (schema: typeof bare, type: string) => (schema.getType(type) as GraphQLObjectType).getFields();

  it('a plain field of a record is not wrapped; a sensitive one and every operation are', () => {
    const app = buildAppSchema();
    // Left as TypeGraphQL built it: whoever holds a Member has passed readRecords.
    for (const field of ['id', 'fullName', 'status', 'unit', 'posts', 'awards', 'ratings']) {
      expect(fieldsOf(app, 'Member')[field].resolve, `Member.${field}`).toBe(fieldsOf(bare, 'Member')[field].resolve);
    }
    expect(fieldsOf(app, 'Award').name.resolve).toBe(fieldsOf(bare, 'Award').name.resolve);
    expect(fieldsOf(app, 'MemberEdge').node.resolve).toBe(fieldsOf(bare, 'MemberEdge').node.resolve);
    // Wrapped: what differs from the object's rule, and the operations.
    for (const [type, field] of [['Member', 'nationalId'], ['Member', 'disciplines'], ['Award', 'ground'], ['MemberStatusPeriod', 'cause'], ['OrgUnit', 'members'], ['Query', 'members'], ['Query', 'me'], ['Mutation', 'login'], ['Mutation', 'updateMember']]) {
      expect(fieldsOf(app, type)[field].resolve, `${type}.${field}`).not.toBe(fieldsOf(bare, type)[field].resolve);
    }
    const ruled = ruledFields(bare);
    expect(ruled.get('Member')!.sort()).toEqual([...SENSITIVE_MEMBER_FIELD_NAMES].sort());
    expect(ruled.get('Query')).toEqual(Object.keys(bare.getQueryType()!.getFields()));
    expect(ruled.get('Mutation')).toEqual(Object.keys(bare.getMutationType()!.getFields()));
  });

  it('no caller reaches an unwrapped field whose need it does not meet', () => {
    expect(unguardedReads(bare, ruledFields(bare))).toEqual([]);
    // Checked independently of the placement: every field returning a record asks, itself or on
    // the way to it, for what the record's plain fields need.
    const reach = reachOf(bare);
    expect([...reach.get('Member')!].sort()).toEqual([Role.CITY_ADMIN, Role.COMMITTEE_VIEWER, Role.ORG_STAFF, Role.REPORTER]);
    expect([...reach.get('Member')!].every((caller) => meets(caller, 'readRecords'))).toBe(true);
    expect([...reach.get('DisciplineRecord')!].every((caller) => meets(caller, 'readSensitive'))).toBe(true);
  });

  it('a placement that leaves a field open is found, and the schema refuses to build', () => {
    const ruled = ruledFields(bare);
    const open = new Map(ruled);
    open.set('Member', ruled.get('Member')!.filter((field) => field !== 'nationalId'));
    expect(unguardedReads(bare, open)).toEqual(
      expect.arrayContaining([`${Role.COMMITTEE_VIEWER} reads Member.nationalId (needs readSensitive)`]),
    );
    // A path that would hand a Member to a role without readRecords wraps Member's plain fields too.
    const widened = extendSchema(bare, parse(`extend type AuditIntegrity { someone: Member }`));
    expect(ruledFields(widened).get('Member')).toContain('fullName');
    expect(() => applyShield(widened)).not.toThrow();
  });
});

describe('field-level data and row-level security', () => {
  let t: TestApp;
  let member: { id: string; national_id: string; religion: string | null; ward: string };
  beforeAll(async () => {
    t = await startTestApp();
    [member] = await ownerQuery(
      t.db,
      `select m.id::text, m.national_id, m.religion, w.code as ward from member m
         join org_unit c on c.id = m.unit_id join org_unit w on w.id = c.parent_id
        where w.code like 'DN.SONTRA.%' and m.national_id is not null order by m.id limit 1`,
    );
  });
  afterAll(() => t.close());

  const SENSITIVE = `query($id: ID) { member(id: $id) { id fullName nationalId religion ethnicity } }`;

  it('a committee viewer reads the record but gets FORBIDDEN for each sensitive field', async () => {
    const viewer = await t.login('sontra.viewer');
    const result = await t.gql(SENSITIVE, { id: member.id }, viewer);
    expect(result.data.member.id).toBe(member.id);
    expect(result.data.member.fullName).toBeTruthy();
    expect(result.data.member.nationalId).toBeNull();
    expect(result.data.member.religion).toBeNull();
    expect(result.data.member.ethnicity).toBeNull();
    const forbidden = result.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));
    expect(forbidden.sort()).toEqual(['member.ethnicity', 'member.nationalId', 'member.religion']);
    expect(JSON.stringify(result)).not.toContain(member.national_id);
  });

  it('a committee viewer cannot find a member by national ID (a filter is an oracle)', async () => {
    const viewer = await t.login('sontra.viewer');
    const result = await t.gql(`query($s: String) { members(filter: { search: $s }) { totalCount } }`, { s: member.national_id }, viewer);
    expect(result.data.members.totalCount).toBe(0);
    const admin = await t.login('admin');
    const asAdmin = await t.gql(`query($s: String) { members(filter: { search: $s }) { totalCount } }`, { s: member.national_id }, admin);
    expect(asAdmin.data.members.totalCount).toBe(1);
  });

  it('staff read the sensitive fields', async () => {
    const admin = await t.login('admin');
    const result = await t.gql(`query($id: ID) { member(id: $id) { nationalId religion religionCode } }`, { id: member.id }, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data.member.nationalId).toBe(member.national_id);
    expect(result.data.member.religionCode).toBe(member.religion);
    expect(result.data.member.religion).toBe(catalogueItem('RELIGION', member.religion)?.label ?? null);
  });

  it('an auditor cannot read member records', async () => {
    const auditor = await t.login('auditor');
    const result = await t.gql(`{ members { totalCount } }`, {}, auditor);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('raw SQL through the API role with a ward scope returns only that ward’s rows', async () => {
    const [{ path }] = await ownerQuery<{ path: string }>(t.db, `select path::text from org_unit where code = 'DN.HAICHAU.THACHTHANG'`);
    const client = new Client({ connectionString: t.db.apiUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('app.scope', $1, true)`, [path]);
      const members = await client.query<{ code: string }>(
        `select u.code from member m join org_unit u on u.id = m.unit_id`,
      );
      expect(members.rows.length).toBeGreaterThan(0);
      expect(members.rows.every((r) => r.code.startsWith('DN.HAICHAU.THACHTHANG.'))).toBe(true);
      const units = await client.query<{ code: string }>(`select code from org_unit`);
      expect(units.rows.every((r) => r.code.startsWith('DN.HAICHAU.THACHTHANG'))).toBe(true);
      // Writing outside the scope is refused too: the row is invisible, so nothing is updated.
      const outside = await client.query(`update member set full_name = 'X' where id = $1`, [member.id]);
      expect(outside.rowCount).toBe(0);
      await client.query('rollback');
      // And with no scope at all, nothing.
      const none = await client.query(`select count(*)::int n from member`);
      expect(none.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('the API role cannot bypass row-level security; the owner role would be refused in production', async () => {
    expect(await rlsBypassReasons(t.app.orm)).toEqual([]);
    const ownerOrm = await openOrm(t.db.ownerUrl, 1);
    try {
      expect((await rlsBypassReasons(ownerOrm)).join()).toMatch(/role hoso_owner owns .*member/);
    } finally {
      await ownerOrm.close(true);
    }
  });
});

describe('API keys for reporting tools', () => {
  let t: TestApp;
  let admin: string;
  let haichauId: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin');
    [{ id: haichauId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU'`);
  });
  afterAll(() => t.close());

  const CREATE = `mutation($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id name role unit { code } revokedAt } userErrors { field code message } }
  }`;

  it('a city admin creates a key that is shown once, stored hashed, and works as a bearer token with its role and unit', async () => {
    const created = await t.gql(CREATE, { input: { name: 'Báo cáo quý', role: 'REPORTER', unitId: haichauId } }, admin);
    expect(created.data.createApiKey.userErrors).toEqual([]);
    const { key, apiKey } = created.data.createApiKey;
    expect(apiKey).toMatchObject({ name: 'Báo cáo quý', role: 'REPORTER', unit: { code: 'DN.HAICHAU' }, revokedAt: null });
    const [stored] = await ownerQuery<{ secret_hash: string }>(t.db, `select secret_hash from api_key where id = $1`, [apiKey.id]);
    expect(stored.secret_hash).not.toContain(key.split('_').pop());

    const asKey = await t.gql(`{ me { id } members(first: 0) { totalCount } }`, {}, key);
    const [{ n }] = await ownerQuery<{ n: number }>(
      t.db,
      `select count(*)::int n from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.HAICHAU.%'`,
    );
    expect(asKey.data.me).toBeNull();
    expect(asKey.data.members.totalCount).toBe(n);
    const sensitive = await t.gql(`{ members(first: 1) { edges { node { nationalId } } } }`, {}, key);
    expect(sensitive.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const revoked = await t.gql(`mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { revokedAt } userErrors { code } } }`, { id: apiKey.id }, admin);
    expect(revoked.data.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    const after = await t.gql(`{ members(first: 0) { totalCount } }`, {}, key);
    expect(after.status).toBe(401);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a wrong secret for a real key id is UNAUTHENTICATED', async () => {
    const created = await t.gql(CREATE, { input: { name: 'x', role: 'REPORTER', unitId: haichauId } }, admin);
    const key: string = created.data.createApiKey.key;
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const result = await t.gql(`{ members(first: 0) { totalCount } }`, {}, forged);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('only a city admin may create keys; staff get FORBIDDEN and nothing is created', async () => {
    const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from api_key`);
    const staff = await t.login('haichau');
    const result = await t.gql(CREATE, { input: { name: 'mine', role: 'CITY_ADMIN', unitId: haichauId } }, staff);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from api_key`);
    expect(after).toBe(before);
  });

  it('a bad name or an unknown unit is a user error that changes nothing', async () => {
    const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from api_key`);
    const blank = await t.gql(CREATE, { input: { name: '  ', role: 'REPORTER', unitId: haichauId } }, admin);
    expect(blank.data.createApiKey.userErrors[0]).toMatchObject({ field: ['input', 'name'], code: 'INVALID' });
    const unknown = await t.gql(CREATE, { input: { name: 'k', role: 'REPORTER', unitId: '99999999' } }, admin);
    expect(unknown.data.createApiKey.userErrors[0]).toMatchObject({ field: ['input', 'unitId'], code: 'NOT_FOUND' });
    const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from api_key`);
    expect(after).toBe(before);
  });
});
