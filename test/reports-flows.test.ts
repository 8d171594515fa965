import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerQuery } from './support/db';
import type { TestApp } from './support/app';
import {
  TODAY, AS_OF, ISSUE, CONFIRM_TRANSFER, decision, plusDays, counts, bump, sum, type Stats, type Flows,
  reportsHarness,
} from './support/reports';

/**
 * Transfers and flows: a transfer moves the count from its confirmation date, flows balance
 * (opening + movements = closing) and agree with statistics.
 * Shared set-up and the hand-written date arithmetic: test/support/reports.ts.
 */
describe('reports', () => {
  let t: TestApp;
  let admin: string;
  let staff: string; // thachthang: ORG_STAFF of DN.HAICHAU.THACHTHANG
  let receiver: string; // ORG_STAFF of DN.SONTRA.MANTHAI, made for the transfer
  const { start, unitId, statistics, stat, flows, pickMember } = reportsHarness();

  beforeAll(async () => {
    ({ t, admin, staff, receiver } = await start());
  });
  afterAll(() => t.close());

  describe('a transfer moves the count from its confirmation date', () => {
    const ISSUED = '2026-11-05';
    const CONFIRMED = '2026-11-12';
    const DAY_BEFORE = '2026-11-11';
    let ids: Record<string, string>;
    let member: Awaited<ReturnType<typeof pickMember>>;
    const before: Record<string, Record<string, Stats>> = {};
    let flowsBefore: Flows[];
    const periods = [
      { from: AS_OF, to: TODAY },
      { from: CONFIRMED, to: CONFIRMED },
      { from: AS_OF, to: DAY_BEFORE },
    ];
    const dates = [DAY_BEFORE, CONFIRMED, TODAY];
    const flowRequests = () => ['fromWard', 'toWard', 'fromDistrict', 'toDistrict', 'city'].flatMap((k) => periods.map((p) => ({ unitId: ids[k], ...p })));

    beforeAll(async () => {
      member = await pickMember('DN.HAICHAU.THACHTHANG');
      ids = {
        fromCell: await unitId(member.unit),
        fromWard: await unitId('DN.HAICHAU.THACHTHANG'),
        fromDistrict: await unitId('DN.HAICHAU'),
        toCell: await unitId('DN.SONTRA.MANTHAI.CB01'),
        toWard: await unitId('DN.SONTRA.MANTHAI'),
        toDistrict: await unitId('DN.SONTRA'),
        city: await unitId('DN'),
      };
      const keys = Object.keys(ids);
      for (const date of dates) {
        const stats = await statistics(keys.map((k) => ids[k]), date);
        before[date] = Object.fromEntries(keys.map((k, i) => [k, stats[i]]));
      }
      flowsBefore = await flows(flowRequests());
    });

    it('pending: the member stays on the sender’s rolls; confirmed: moves from the confirmation date only', async () => {
      const [fresh] = await ownerQuery<{ version: number }>(t.db, `select version from member where id = $1`, [member.id]);
      const issued = await t.gql(
        ISSUE,
        { input: { memberId: member.id, expectedVersion: fresh.version, kind: 'PERMANENT', toUnitCode: 'DN.SONTRA.MANTHAI.CB01', issuedOn: ISSUED, decision: decision(ISSUED), reason: 'Chuyển nơi ở' } },
        staff,
      );
      expect(issued.data.transferMember.userErrors).toEqual([]);
      const transferId = issued.data.transferMember.transfer.id;
      const keys = Object.keys(ids);
      const pending = await statistics(keys.map((k) => ids[k]), TODAY);
      keys.forEach((k, i) => expect(pending[i], `pending ${k}`).toEqual(before[TODAY][k]));

      const confirmed = await t.gql(CONFIRM_TRANSFER, { input: { transferId, confirmedOn: CONFIRMED } }, receiver);
      expect(confirmed.data.confirmTransfer.userErrors).toEqual([]);
      expect(confirmed.data.confirmTransfer.transfer).toMatchObject({ status: 'CONFIRMED', confirmedOn: CONFIRMED });

      const moved: Record<string, number> = { fromCell: -1, fromWard: -1, fromDistrict: -1, toCell: +1, toWard: +1, toDistrict: +1, city: 0 };
      for (const date of dates) {
        const after = await statistics(keys.map((k) => ids[k]), date);
        keys.forEach((k, i) => {
          if (date < CONFIRMED) {
            expect(after[i], `${k} as of ${date}`).toEqual(before[date][k]);
          } else {
            expect(after[i].total, `${k} as of ${date}`).toBe(before[date][k].total + moved[k]);
            const status = counts(before[date][k].byStatus);
            bump(status, 'OFFICIAL', moved[k]);
            expect(counts(after[i].byStatus), `${k} byStatus as of ${date}`).toEqual(status);
          }
        });
      }
    });

    it('flows: one transfer out of the sender and into the receiver in a period containing the confirmation date, none before it', async () => {
      const after = await flows(flowRequests());
      const requests = flowRequests();
      const moved: Record<string, number> = { fromWard: -1, fromDistrict: -1, toWard: +1, toDistrict: +1, city: 0 };
      after.forEach((f, i) => {
        const b = flowsBefore[i];
        const r = requests[i];
        const unit = Object.keys(ids).find((k) => ids[k] === r.unitId)!;
        const label = `${unit} ${r.from}..${r.to}`;
        const contains = r.from <= CONFIRMED && CONFIRMED <= r.to;
        expect(f.transfersOut, label).toBe(b.transfersOut + (contains && moved[unit] < 0 ? 1 : 0));
        expect(f.transfersIn, label).toBe(b.transfersIn + (contains && moved[unit] > 0 ? 1 : 0));
        expect(f.opening, label).toBe(b.opening + (r.from > CONFIRMED ? moved[unit] : 0));
        expect(f.closing, label).toBe(b.closing + (r.to >= CONFIRMED ? moved[unit] : 0));
        expect([f.admissions, f.readmissions, f.departures], label).toEqual([b.admissions, b.readmissions, b.departures]);
      });
      // On the confirmation day alone: exactly this one transfer, out of one ward and into the other.
      const day = (unit: string) => after[requests.findIndex((r) => r.unitId === ids[unit] && r.from === CONFIRMED && r.to === CONFIRMED)];
      expect([day('fromWard').transfersOut, day('fromWard').transfersIn]).toEqual([1, 0]);
      expect([day('toWard').transfersOut, day('toWard').transfersIn]).toEqual([0, 1]);
      // The city: a move inside it is not a transfer in or out.
      const city = after.filter((_, i) => requests[i].unitId === ids.city);
      for (const f of city) expect([f.transfersIn, f.transfersOut]).toEqual([0, 0]);
    });

    it('opening + admissions + readmissions + transfersIn − transfersOut + reorganisedIn − reorganisedOut − departures = closing, and opening/closing agree with statistics', async () => {
      const units = [
        ids.city, ids.fromDistrict, ids.toDistrict, ids.fromWard, ids.toWard, ids.fromCell, ids.toCell,
        ...(await ownerQuery<{ id: string }>(t.db, `select id::text from org_unit where kind = 'DISTRICT' order by code`)).map((r) => r.id),
      ];
      const spans = [
        { from: '2000-01-01', to: AS_OF },
        { from: AS_OF, to: TODAY },
        { from: CONFIRMED, to: CONFIRMED },
        { from: '1990-01-01', to: '2010-12-31' },
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '1950-01-01', to: TODAY },
      ];
      const requests = [...new Set(units)].flatMap((unitId) => spans.map((s) => ({ unitId, ...s })));
      const result = await flows(requests);
      const problems: string[] = [];
      result.forEach((f, i) => {
        const computed = f.opening + f.admissions + f.readmissions + f.transfersIn - f.transfersOut + f.reorganisedIn - f.reorganisedOut - sum(f.departures);
        if (computed !== f.closing) problems.push(`${requests[i].unitId} ${f.from}..${f.to}: ${JSON.stringify(f)}`);
        expect(f.departures.map((d) => d.key)).toEqual(['REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED']);
      });
      expect(problems).toEqual([]);
      // The whole city since 2000: something actually happened.
      const city = result.find((f, i) => requests[i].unitId === ids.city && f.from === '2000-01-01')!;
      expect(city.admissions).toBeGreaterThan(0);
      expect(sum(city.departures)).toBeGreaterThan(0);

      // Opening is the rolls at the end of the day before; closing at the end of the last day.
      const cityFlows = result.filter((_, i) => requests[i].unitId === ids.city || requests[i].unitId === ids.fromWard);
      for (const f of cityFlows) {
        const [opening, closing] = await Promise.all([stat(f.unit.id, plusDays(f.from, -1)), stat(f.unit.id, f.to)]);
        expect(f.opening, `${f.unit.id} opening ${f.from}`).toBe(opening.total);
        expect(f.closing, `${f.unit.id} closing ${f.to}`).toBe(closing.total);
      }
    });

    it('an internal transfer moves the member between cells of the ward from its date; a temporary one changes no rolls', async () => {
      const m = await pickMember('DN.HAICHAU.THACHTHANG');
      const otherCell = m.unit.endsWith('CB01') ? 'DN.HAICHAU.THACHTHANG.CB02' : 'DN.HAICHAU.THACHTHANG.CB01';
      const ON = '2026-11-15';
      const units = [await unitId(m.unit), await unitId(otherCell), ids.fromWard];
      const [dayBefore, on] = [await statistics(units, '2026-11-14'), await statistics(units, ON)];
      const flowsOn = await flows(units.map((unitId) => ({ unitId, from: ON, to: ON })));
      const internal = await t.gql(
        ISSUE,
        { input: { memberId: m.id, expectedVersion: m.version, kind: 'INTERNAL', toUnitCode: otherCell, issuedOn: ON, decision: decision(ON) } },
        staff,
      );
      expect(internal.data.transferMember.userErrors).toEqual([]);
      expect(internal.data.transferMember.transfer.status).toBe('CONFIRMED');
      expect(await statistics(units, '2026-11-14')).toEqual(dayBefore);
      expect((await statistics(units, ON)).map((s) => s.total)).toEqual([on[0].total - 1, on[1].total + 1, on[2].total]);
      const after = await flows(units.map((unitId) => ({ unitId, from: ON, to: ON })));
      expect(after.map((f) => [f.transfersOut, f.transfersIn])).toEqual([
        [flowsOn[0].transfersOut + 1, flowsOn[0].transfersIn],
        [flowsOn[1].transfersOut, flowsOn[1].transfersIn + 1],
        [flowsOn[2].transfersOut, flowsOn[2].transfersIn],
      ]);

      // Temporary (tạm thời), with the date the member returns: the member stays registered at home, on the home rolls.
      const away = await pickMember('DN.HAICHAU.THACHTHANG');
      const both = [ids.fromWard, ids.toWard];
      const beforeTemp = await statistics(both, TODAY);
      const flowsTemp = await flows(both.map((unitId) => ({ unitId, from: AS_OF, to: TODAY })));
      const issued = await t.gql(
        ISSUE,
        { input: { memberId: away.id, expectedVersion: away.version, kind: 'TEMPORARY', toUnitCode: 'DN.SONTRA.MANTHAI.CB02', issuedOn: ISSUED, returnsOn: '2027-06-30', decision: decision(ISSUED) } },
        staff,
      );
      expect(issued.data.transferMember.userErrors).toEqual([]);
      const confirmed = await t.gql(CONFIRM_TRANSFER, { input: { transferId: issued.data.transferMember.transfer.id, confirmedOn: CONFIRMED } }, receiver);
      expect(confirmed.data.confirmTransfer.userErrors).toEqual([]);
      expect(await statistics(both, TODAY)).toEqual(beforeTemp);
      expect(await flows(both.map((unitId) => ({ unitId, from: AS_OF, to: TODAY })))).toEqual(flowsTemp);
    });

    it('flows of a period that ends before it starts is BAD_USER_INPUT', async () => {
      const result = await t.gql(`query($u: ID!) { flows(unitId: $u, from: "2026-11-02", to: "2026-11-01") { closing } }`, { u: ids.city }, admin);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
