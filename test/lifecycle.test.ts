import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock';
import { STATUS_TRANSITIONS, addMonths, officialDateFor } from '../src/members/lifecycle';
import { MemberStatus } from '../src/members/member.entity';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/** The lifecycle of docs/domain.md, through the API, on a fixed "today" given to the server's clock. */
const TODAY = '2026-06-15';

const MEMBER_FIELDS = `id version status joinedOn officialOn leftOn readmittedOn
  statusHistory { status validFrom validTo decision { number date issuedBy } reason }
  partyAge { years months }`;
const PAYLOAD = `member { ${MEMBER_FIELDS} } userErrors { field message code } warnings { code message }`;
const CREATE = `mutation($input: CreateMemberInput!) { createMember(input: $input) { ${PAYLOAD} } }`;
const CHANGE = `mutation($input: ChangeMemberStatusInput!) { changeMemberStatus(input: $input) { ${PAYLOAD} } }`;
const CONFIRM = `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { ${PAYLOAD} } }`;
const READMIT = `mutation($input: ReadmitMemberInput!) { readmitMember(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { ${PAYLOAD} } }`;

const decision = (date = '2020-01-10') => ({ number: '12-QĐ/ĐU', date, issuedBy: 'Đảng ủy phường Thạch Thang' });
/** A departure records its cause (REMOVED and RESIGNED have no default); other changes give none. */
const CAUSES: Record<string, string> = { REMOVED: 'LOST_QUALITIES', RESIGNED: 'VOLUNTARY_RESIGNATION' };
const causeOf = (status: string) => (CAUSES[status] ? { cause: CAUSES[status] } : {});

describe('the member lifecycle', () => {
  let t: TestApp;
  let staff: string;
  let cellId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(TODAY) });
    staff = await t.login('thachthang');
    [{ id: cellId }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.HAICHAU.THACHTHANG.CB01'`);
  });
  afterAll(() => t.close());

  /** A new member admitted on `joinedOn` (optionally entered as already official). */
  async function admit(joinedOn: string, extra: Record<string, unknown> = {}) {
    serial++;
    const result = await t.gql(
      CREATE,
      {
        input: {
          unitId: cellId,
          fullName: `Trần Thị Lệ Thu ${serial}`,
          gender: 'FEMALE',
          dateOfBirth: '1990-04-02',
          joinedOn,
          decision: decision(joinedOn),
          generalEducation: '12/12',
          ...extra,
        },
      },
      staff,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.createMember;
  }

  async function change(member: { id: string; version: number }, status: string, effectiveOn: string, extra = {}) {
    const result = await t.gql(
      CHANGE,
      { input: { id: member.id, expectedVersion: member.version, status, effectiveOn, decision: decision(effectiveOn), reason: 'Theo quyết định', ...causeOf(status), ...extra } },
      staff,
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data.changeMemberStatus;
  }

  /** A member brought to `status` through the API, starting from an official member admitted in 2015. */
  async function memberIn(status: MemberStatus) {
    if (status === MemberStatus.PROBATIONARY) return (await admit('2026-01-10')).member;
    const official = (await admit('2015-03-01', { officialOn: '2016-03-01' })).member;
    if (status === MemberStatus.OFFICIAL) return official;
    if (status === MemberStatus.RELEASED) return (await change(official, 'RELEASED', '2020-01-01')).member;
    return (await change(official, status, '2020-01-01')).member;
  }

  it('admission creates a probationary member with its first status period and decision', async () => {
    const { member, userErrors } = await admit('2026-02-01');
    expect(userErrors).toEqual([]);
    expect(member).toMatchObject({ status: 'PROBATIONARY', joinedOn: '2026-02-01', officialOn: null, version: 1 });
    expect(member.statusHistory).toEqual([
      { status: 'PROBATIONARY', validFrom: '2026-02-01', validTo: null, decision: decision('2026-02-01'), reason: null },
    ]);
  });

  it('refuses an admission under 18, and the deprecated allowAgeOutsideRule no longer opens it', async () => {
    const input = {
      unitId: cellId, fullName: 'Lê Văn Trẻ', gender: 'MALE', dateOfBirth: '2009-01-01', joinedOn: '2026-01-05', admissionCeremonyOn: '2027-01-01',
      decision: decision('2026-01-05'), generalEducation: '12/12',
    };
    const young = await t.gql(CREATE, { input: { ...input, admissionCeremonyOn: '2026-01-05' } }, staff);
    expect(young.data.createMember.member).toBeNull();
    // Born 2009-01-01, decided 2026-01-05: 17 years; the decision also predates the 18th birthday.
    expect(young.data.createMember.userErrors.map((e: any) => e.field)).toEqual([['input', 'decision', 'date'], ['input', 'dateOfBirth']]);
    const allowed = await t.gql(CREATE, { input: { ...input, admissionCeremonyOn: '2026-01-05', allowAgeOutsideRule: true, reason: 'Trường hợp đặc biệt' } }, staff);
    expect(allowed.data.createMember.userErrors.map((e: any) => e.field)).toContainEqual(['input', 'dateOfBirth']);
  });

  it('refused creations name the field and change nothing', async () => {
    const [{ n: before }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
    const base = { unitId: cellId, fullName: 'Phạm Văn Sai', gender: 'MALE', dateOfBirth: '1980-01-01', joinedOn: '2010-01-01', decision: decision('2010-01-01') };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ nationalId: '12345' }, ['input', 'nationalId']],
      [{ partyCardNumber: 'AB-1' }, ['input', 'partyCardNumber']],
      [{ ethnicityCode: '99' }, ['input', 'ethnicityCode']],
      [{ joinedOn: '1979-01-01' }, ['input', 'joinedOn']],
      [{ joinedOn: '2027-01-01' }, ['input', 'joinedOn']],
      [{ officialOn: '2010-06-01' }, ['input', 'officialOn']],
      [{ fullName: '   ' }, ['input', 'fullName']],
      [{ decision: { ...decision(), date: '2030-01-01' } }, ['input', 'decision', 'date']],
      [{ phone: 'call me' }, ['input', 'phone']],
    ];
    for (const [change, field] of cases) {
      const result = await t.gql(CREATE, { input: { ...base, ...change } }, staff);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data.createMember.member).toBeNull();
      expect(result.data.createMember.userErrors.map((e: any) => e.field)).toContainEqual(field);
    }
    const [{ n: after }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
    expect(after).toBe(before);
  });

  it('a national ID already recorded outside your scope is refused without saying so (docs/access.md), and the cell must be in scope', async () => {
    const [other] = await ownerQuery<{ national_id: string }>(
      t.db,
      `select national_id from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' and national_id is not null limit 1`,
    );
    const base = { unitId: cellId, fullName: 'Võ Văn Trùng', gender: 'MALE', dateOfBirth: '1980-01-01', joinedOn: '2010-01-01', decision: decision('2010-01-01') };
    const taken = await t.gql(CREATE, { input: { ...base, nationalId: other.national_id } }, staff);
    expect(taken.data.createMember.userErrors).toEqual([expect.objectContaining({ field: ['input', 'nationalId'], code: 'INVALID' })]);
    const [{ id: sontraCell }] = await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where code = 'DN.SONTRA.MANTHAI.CB01'`);
    const outside = await t.gql(CREATE, { input: { ...base, unitId: sontraCell } }, staff);
    expect(outside.data.createMember.userErrors).toEqual([expect.objectContaining({ field: ['input', 'unitId'], code: 'NOT_FOUND' })]);
  });

  it('warns about a likely duplicate (same name and birth date) but records the member', async () => {
    const first = await admit('2025-01-01', { fullName: 'Đặng Văn Giống', dateOfBirth: '1985-05-05' });
    expect(first.warnings).toEqual([]);
    const second = await admit('2025-02-01', { fullName: 'Dang Van Giong', dateOfBirth: '1985-05-05' });
    expect(second.member).not.toBeNull();
    expect(second.warnings).toEqual([expect.objectContaining({ code: 'POSSIBLE_DUPLICATE' })]);
    expect(second.warnings[0].message).toContain(first.member.id);
  });

  it('official status is dated at the end of the 12 months, even when confirmed late; not before', async () => {
    const early = (await admit('2025-09-01')).member;
    const tooSoon = await t.gql(CONFIRM, { input: { id: early.id, expectedVersion: early.version, decision: decision(TODAY) } }, staff);
    expect(tooSoon.data.confirmOfficial.userErrors).toEqual([expect.objectContaining({ code: 'TRANSITION_NOT_ALLOWED' })]);
    expect(tooSoon.data.confirmOfficial.userErrors[0].message).toContain('2026-09-01');

    // The day probation ends is answered with the record, for clients to show rather than recount.
    const ends = await t.gql(`query($id: ID!) { member(id: $id) { probationEndsOn } }`, { id: early.id }, staff);
    expect(ends.data.member.probationEndsOn).toBe('2026-09-01');

    const late = (await admit('2025-03-20')).member; // 12 months ended 2026-03-20; confirmed on TODAY
    const confirmed = await t.gql(CONFIRM, { input: { id: late.id, expectedVersion: late.version, decision: decision(TODAY) } }, staff);
    const member = confirmed.data.confirmOfficial.member;
    expect(member.status).toBe('OFFICIAL');
    expect(member.officialOn).toBe('2026-03-20');
    expect(member.officialOn).toBe(officialDateFor('2025-03-20'));
    const after = await t.gql(`query($id: ID!) { member(id: $id) { probationEndsOn } }`, { id: late.id }, staff);
    expect(after.data.member.probationEndsOn).toBeNull();
    expect(member.statusHistory.map((p: any) => [p.status, p.validFrom, p.validTo])).toEqual([
      ['PROBATIONARY', '2025-03-20', '2026-03-20'],
      ['OFFICIAL', '2026-03-20', null],
    ]);
  });

  describe('every transition of changeMemberStatus, allowed or refused as docs/domain.md says', () => {
    const statuses = Object.values(MemberStatus);
    for (const from of statuses) {
      for (const to of statuses) {
        if (from === to) continue;
        const allowed = STATUS_TRANSITIONS[from].includes(to);
        it(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, async () => {
          const member = await memberIn(from);
          expect(member.status).toBe(from);
          const result = await t.gql(
            CHANGE,
            { input: { id: member.id, expectedVersion: member.version, status: to, effectiveOn: '2026-05-01', decision: decision('2026-05-01'), reason: 'Theo quyết định', ...causeOf(to) } },
            staff,
          );
          expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
          const payload = result.data.changeMemberStatus;
          if (allowed) {
            expect(payload.userErrors).toEqual([]);
            expect(payload.member.status).toBe(to);
            const open = payload.member.statusHistory.filter((p: any) => p.validTo === null);
            expect(open).toEqual([expect.objectContaining({ status: to, validFrom: '2026-05-01' })]);
          } else {
            expect(payload.member).toBeNull();
            expect(payload.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');
            expect(payload.userErrors[0].message.length).toBeGreaterThan(10);
            const [row] = await ownerQuery<{ status: string; version: number }>(t.db, `select status, version from member where id = $1`, [member.id]);
            expect(row).toEqual({ status: from, version: member.version });
          }
        });
      }
    }
  });

  it('a probationary member cannot be expelled, and the refusal says to remove instead', async () => {
    const member = await memberIn(MemberStatus.PROBATIONARY);
    const result = await change(member, 'EXPELLED', '2026-05-01');
    expect(result.userErrors[0].message).toMatch(/REMOVED/);
  });

  it('a lifecycle change needs a decision and a reason, and cannot be dated before the current status began', async () => {
    const member = await memberIn(MemberStatus.OFFICIAL);
    const noReason = await change(member, 'RELEASED', '2026-05-01', { reason: ' ' });
    expect(noReason.userErrors).toEqual([expect.objectContaining({ field: ['input', 'reason'], code: 'REQUIRED' })]);
    const tooEarly = await change(member, 'RELEASED', '2016-01-01', { decision: decision('2026-05-01') });
    expect(tooEarly.userErrors).toEqual([expect.objectContaining({ field: ['input', 'effectiveOn'] })]);
    // Official since 2016-03-01: a decision dated before that day does not fit the change.
    const earlyDecision = await change(member, 'RELEASED', '2026-05-01', { decision: decision('2016-02-01') });
    expect(earlyDecision.userErrors).toEqual([expect.objectContaining({ field: ['input', 'decision', 'date'] })]);
    const noNumber = await change(member, 'RELEASED', '2026-05-01', { decision: { number: '', date: '2026-05-01', issuedBy: 'x' } });
    expect(noNumber.userErrors).toEqual([expect.objectContaining({ field: ['input', 'decision', 'number'] })]);
  });

  it('readmission: only from REMOVED, only after 36 months, only once; party age leaves out the gap', async () => {
    const official = (await admit('2005-01-01', { officialOn: '2006-01-01', dateOfBirth: '1975-01-01' })).member;
    const removed = (await change(official, 'REMOVED', '2015-01-01')).member;
    expect(removed.leftOn).toBe('2015-01-01');
    const early = await t.gql(
      READMIT,
      { input: { id: removed.id, expectedVersion: removed.version, joinedOn: '2017-06-01', decision: decision('2017-06-01'), reason: 'Kết nạp lại' } },
      staff,
    );
    expect(early.data.readmitMember.userErrors[0]).toMatchObject({ field: ['input', 'joinedOn'], code: 'TRANSITION_NOT_ALLOWED' });
    expect(early.data.readmitMember.userErrors[0].message).toContain(addMonths('2015-01-01', 36));

    const readmitted = await t.gql(
      READMIT,
      { input: { id: removed.id, expectedVersion: removed.version, joinedOn: '2020-01-01', decision: decision('2020-01-01'), reason: 'Kết nạp lại' } },
      staff,
    );
    const member = readmitted.data.readmitMember.member;
    expect(member).toMatchObject({ status: 'PROBATIONARY', readmittedOn: '2020-01-01', joinedOn: '2005-01-01', leftOn: null });
    // In the Party 2005-01-01 → 2015-01-01 (10 years) and 2020-01-01 → 2026-06-15 (6 years 5 months).
    expect(member.partyAge).toEqual({ years: 16, months: 16 * 12 + 5 });

    const confirmed = await t.gql(CONFIRM, { input: { id: member.id, expectedVersion: member.version, decision: decision(TODAY) } }, staff);
    expect(confirmed.data.confirmOfficial.member.officialOn).toBe('2021-01-01');
    const again = confirmed.data.confirmOfficial.member;
    const removedAgain = (await change(again, 'REMOVED', '2021-06-01')).member;
    const twice = await t.gql(
      READMIT,
      { input: { id: removedAgain.id, expectedVersion: removedAgain.version, joinedOn: '2025-01-01', decision: decision('2025-01-01'), reason: 'x' } },
      staff,
    );
    expect(twice.data.readmitMember.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');
    expect(twice.data.readmitMember.userErrors[0].message).toMatch(/only once/);
  });

  it.each(['RESIGNED', 'DECEASED'])('a member who left as %s (voluntary resignation, death) cannot be readmitted', async (status) => {
    const member = await memberIn(status as MemberStatus);
    const result = await t.gql(
      READMIT,
      { input: { id: member.id, expectedVersion: member.version, joinedOn: '2025-01-01', decision: decision('2025-01-01'), reason: 'x' } },
      staff,
    );
    expect(result.data.readmitMember.userErrors[0].code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('status and unit on a date are answered from the periods', async () => {
    const member = await memberIn(MemberStatus.RELEASED); // official 2016-03-01, released 2020-01-01
    const result = await t.gql(
      `query($id: ID) { member(id: $id) {
        before: statusOn(date: "2015-01-01") p: statusOn(date: "2015-06-01") o: statusOn(date: "2018-01-01") r: statusOn(date: "2021-01-01")
        unitBefore: unitOn(date: "2014-01-01") { code } unitThen: unitOn(date: "2018-01-01") { code } } }`,
      { id: member.id },
      staff,
    );
    expect(result.data.member).toEqual({
      before: null, p: 'PROBATIONARY', o: 'OFFICIAL', r: 'RELEASED',
      unitBefore: null, unitThen: { code: 'DN.HAICHAU.THACHTHANG.CB01' },
    });
  });

  describe('updates with optimistic locking', () => {
    it('a stale expectedVersion is CONFLICT and changes nothing', async () => {
      const member = (await admit('2024-01-01')).member;
      const first = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, homeTown: 'Quảng Nam' } }, staff);
      expect(first.data.updateMember.member.version).toBe(2);
      const stale = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, homeTown: 'Huế' } }, staff);
      expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
      const [row] = await ownerQuery<{ home_town: string; version: number }>(t.db, `select home_town, version from member where id = $1`, [member.id]);
      expect(row).toEqual({ home_town: 'Quảng Nam', version: 2 });
    });

    it('two concurrent updates of one member: exactly one wins, the other gets CONFLICT, nothing is lost', async () => {
      const member = (await admit('2024-01-01')).member;
      const [a, b] = await Promise.all([
        t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, homeTown: 'Quảng Ngãi' } }, staff),
        t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, foreignLanguages: 'Tiếng Anh B1' } }, staff),
      ]);
      const outcomes = [a, b].map((r) => (r.errors ? r.errors[0].extensions?.code : 'OK')).sort();
      expect(outcomes).toEqual(['CONFLICT', 'OK']);
      const winner = a.errors ? b : a;
      const [row] = await ownerQuery<{ home_town: string | null; foreign_languages: string | null; version: number }>(
        t.db,
        `select home_town, foreign_languages, version from member where id = $1`,
        [member.id],
      );
      expect(row.version).toBe(2);
      // The winner's change is there in full and the loser's is not there at all.
      if (winner === a) expect(row).toMatchObject({ home_town: 'Quảng Ngãi', foreign_languages: null });
      else expect(row).toMatchObject({ home_town: null, foreign_languages: 'Tiếng Anh B1' });
    });

    it('correcting an identity field needs a reason', async () => {
      const member = (await admit('2024-01-01')).member;
      const noReason = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, fullName: 'Trần Thị Lệ Thủy' } }, staff);
      expect(noReason.data.updateMember.userErrors).toEqual([expect.objectContaining({ field: ['input', 'reason'], code: 'REQUIRED' })]);
      const withReason = await t.gql(UPDATE, { input: { id: member.id, expectedVersion: 1, fullName: 'Trần Thị Lệ Thủy', reason: 'Theo CCCD' } }, staff);
      expect(withReason.data.updateMember.userErrors).toEqual([]);
    });

    it('a member outside scope is NOT_FOUND for an update, and a viewer may not change anything', async () => {
      const [outside] = await ownerQuery<{ id: string; version: number }>(
        t.db,
        `select m.id::text, m.version from member m join org_unit u on u.id = m.unit_id where u.code like 'DN.SONTRA.%' limit 1`,
      );
      const result = await t.gql(UPDATE, { input: { id: outside.id, expectedVersion: outside.version, homeTown: 'X' } }, staff);
      expect(result.data.updateMember.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
      const viewer = await t.login('sontra.viewer');
      const denied = await t.gql(UPDATE, { input: { id: outside.id, expectedVersion: outside.version, homeTown: 'X' } }, viewer);
      expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const [row] = await ownerQuery<{ home_town: string | null }>(t.db, `select home_town from member where id = $1`, [outside.id]);
      expect(row.home_town).not.toBe('X');
    });
  });
});
