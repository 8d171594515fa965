import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnameseMessage } from '../web/src/ui/messages';
import { accessibilityViolations, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

// Screen 6 in Chromium, on the demo after the 2025 reform: a transfer sent by the ward's staff
// (haichau) into the cell of thachthang, confirmed from thachthang's inbox; and a lifecycle
// decision (confirming a probationary member) refused for its date, then made.
const THACHTHANG_CELL = 'DN.HAICHAU.THACHTHANG.CB01';

/** "Today" as the API counts it: the date in Vietnam, whatever the machine's zone. */
const vietnamToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

async function go(page: Page, hash: string) {
  // The session lives in the page's memory only: move by the hash, never reload.
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** The message shown beside an input (its aria-describedby), or null. */
async function messageBeside(page: Page, label: string): Promise<string | null> {
  const input = page.getByLabel(label, { exact: true });
  if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
  const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}

describe('staff application: lifecycle and transfers', () => {
  let w: BrowserWorld;
  let haichau: string;
  beforeAll(async () => {
    w = await startBrowserWorld();
    haichau = await w.t.login('haichau');
  });
  afterAll(() => w?.close());

  it('haichau transfers a member into thachthang’s cell; thachthang confirms it from the inbox; the member is then in that cell and the sender sees it confirmed', async () => {
    // A member of another cell of Hải Châu, official, not under review, with no transfer pending,
    // whose name is not already in thachthang's inbox.
    const pending = await w.t.gql(`{ transfers(first: 100, filter: { status: [PENDING] }) { edges { node { memberName member { id } } } } }`, {}, haichau);
    const busy = new Set(pending.data.transfers.edges.map((e: any) => e.node.member?.id));
    const busyNames = new Set(pending.data.transfers.edges.map((e: any) => e.node.memberName));
    const candidates = await w.t.gql(
      `{ members(first: 100, filter: { status: [OFFICIAL] }) { edges { node { id fullName underReview unit { code name } } } } }`,
      {},
      haichau,
    );
    const member = candidates.data.members.edges
      .map((e: any) => e.node)
      .find((m: any) => !m.unit.code.startsWith('DN.HAICHAU.THACHTHANG') && !m.underReview && !busy.has(m.id) && !busyNames.has(m.fullName));
    expect(member).toBeTruthy();
    const target = await w.t.gql(`query($code: String) { unit(code: $code) { id name } }`, { code: THACHTHANG_CELL }, haichau);
    const cell = target.data.unit;

    // Sender: the member's lifecycle screen, "Chuyển sinh hoạt đảng", the cell picked from the list.
    const sender = await w.newPage();
    await w.signIn(sender, 'haichau');
    await go(sender, `#/members/${member.id}/lifecycle`);
    await sender.getByRole('heading', { name: `Biến động đảng viên: ${member.fullName}` }).waitFor();
    await sender.getByRole('button', { name: 'Chuyển sinh hoạt đảng', exact: true }).click();
    const picker = sender.getByLabel('Hoặc chọn chi bộ trong phạm vi');
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThan(5);
    await picker.selectOption({ label: `${cell.name} (${THACHTHANG_CELL})` });
    expect(await sender.getByLabel('Mã chi bộ nhận').inputValue()).toBe(THACHTHANG_CELL);
    await sender.getByLabel('Số giấy giới thiệu').fill('45-GGT/ĐU');
    await sender.getByLabel('Cơ quan cấp').fill('Đảng ủy phường Hải Châu');
    await sender.getByLabel('Lý do', { exact: true }).fill('Chuyển nơi cư trú');
    expect(await accessibilityViolations(sender)).toEqual([]);
    await sender.getByRole('button', { name: 'Chuyển sinh hoạt', exact: true }).click();
    const sent = sender.getByRole('status').filter({ hasText: 'Đã chuyển sinh hoạt' });
    await sent.waitFor();
    expect(await sent.textContent()).toContain(`${member.fullName} đến ${cell.name}`);
    expect(await sent.textContent()).toContain('hạn đến sinh hoạt');

    // Receiver: the inbox lists it, awaiting arrival, beside the seeded one that is overdue (said in words).
    const receiver = await w.newPage();
    await w.signIn(receiver, 'thachthang');
    await go(receiver, '#/transfers');
    await receiver.getByRole('tab', { name: /Chờ tiếp nhận/, selected: true }).waitFor();
    const row = receiver.getByRole('row', { name: new RegExp(member.fullName) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Chờ tiếp nhận');
    expect(await row.textContent()).toContain(member.unit.name);
    const overdue = receiver.locator('tr.overdue');
    expect(await overdue.count()).toBeGreaterThan(0);
    expect(await overdue.first().textContent()).toMatch(/Quá hạn \d+ ngày/);
    expect(await receiver.getByText(/đã quá hạn 30 ngày kể từ ngày chuyển/).count()).toBe(1);
    await screenshot(receiver, 'transfer-inbox');
    expect(await accessibilityViolations(receiver)).toEqual([]);

    await row.getByRole('button', { name: 'Xác nhận đến' }).click();
    await receiver.getByRole('heading', { name: `Xác nhận đảng viên ${member.fullName} đến sinh hoạt` }).waitFor();
    expect(await receiver.getByLabel('Ngày đến sinh hoạt').inputValue()).toBe(ddmmyyyy(vietnamToday()));
    expect(await accessibilityViolations(receiver)).toEqual([]);
    // Typed the short way ("1.7.2025"): the notice says the day as the forms write it.
    const [year, month, day] = vietnamToday().split('-');
    await receiver.getByLabel('Ngày đến sinh hoạt').fill(`${Number(day)}.${Number(month)}.${year}`);
    await receiver.getByRole('button', { name: 'Xác nhận đến', exact: true }).click();
    const received = receiver.getByRole('status').filter({ hasText: 'Đã tiếp nhận' });
    await received.waitFor();
    expect(await received.textContent()).toContain(member.fullName);
    expect(await received.textContent()).toContain(`từ ngày ${ddmmyyyy(vietnamToday())}.`);
    await expect.poll(() => receiver.getByRole('row', { name: new RegExp(member.fullName) }).count()).toBe(0);
    // On a tablet the inbox fits the width: nothing to scroll sideways to reach the remaining row's button.
    await receiver.setViewportSize({ width: 768, height: 1024 });
    expect(await receiver.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    const box = await receiver.getByRole('button', { name: /^Xác nhận đến: / }).first().boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(768);

    // The record moved: the API places the member in thachthang's cell.
    const after = await w.t.gql(`query($id: ID) { member(id: $id) { unit { code } } }`, { id: member.id }, haichau);
    expect(after.data.member.unit.code).toBe(THACHTHANG_CELL);

    // The sender's outgoing list shows it confirmed.
    await go(sender, '#/transfers?tab=outgoing');
    await sender.getByRole('tab', { name: 'Chuyển đi', selected: true }).waitFor();
    const outgoing = sender.getByRole('row', { name: new RegExp(member.fullName) });
    await outgoing.waitFor();
    await expect.poll(() => outgoing.first().textContent()).toContain('Đã tiếp nhận');
    expect(await outgoing.first().getByRole('button').count()).toBe(0);
    expect(await accessibilityViolations(sender)).toEqual([]);
    expectClean(sender);
    expectClean(receiver);
  });

  it('confirming a probationary member: a decision dated before the end of probation gets the API’s message beside its date; a valid one makes the member official', async () => {
    const due = await w.t.gql(
      `query($by: Date) { members(first: 5, filter: { status: [PROBATIONARY], probationEndsBy: $by }) { edges { node { id fullName version admissionCeremonyOn } } } }`,
      { by: vietnamToday() },
      haichau,
    );
    const member = due.data.members.edges[0]?.node;
    expect(member).toBeTruthy();

    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await go(page, `#/members/${member.id}/lifecycle`);
    await page.getByRole('heading', { name: `Biến động đảng viên: ${member.fullName}` }).waitFor();
    const facts = page.locator('dl.facts').first();
    expect(await facts.textContent()).toContain('Dự bị');
    expect(await facts.textContent()).toContain('Đến hạn xét công nhận chính thức');
    // Only what the API allows a probationary member: no expulsion (removal instead), no return from release.
    const actions = page.getByRole('group', { name: 'Chọn thao tác' });
    expect(await actions.getByRole('button', { name: 'Khai trừ' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: 'Xóa tên' }).count()).toBe(1);
    await actions.getByRole('button', { name: 'Công nhận đảng viên chính thức' }).click();

    await page.getByLabel('Số quyết định').fill('12-QĐ/ĐU');
    await page.getByLabel('Cấp ra quyết định').fill('Đảng ủy phường Hải Châu');
    // A day that is not in the calendar is said at once, beside the field.
    await page.getByLabel('Ngày quyết định').fill('31/02/2026');
    await page.getByRole('button', { name: 'Công nhận chính thức' }).click();
    await expect.poll(() => messageBeside(page, 'Ngày quyết định')).toContain('Không có ngày 31/02/2026');

    // Dated at the admission ceremony, months before probation ends: the API refuses, naming the date.
    await page.getByLabel('Ngày quyết định').fill(ddmmyyyy(member.admissionCeremonyOn));
    await page.getByRole('button', { name: 'Công nhận chính thức' }).click();
    // The API's message for that decision (asked directly: refused, nothing written), as the screen says it in Vietnamese.
    const refused = await w.t.gql(
      `mutation($input: ConfirmOfficialInput!) { confirmOfficial(input: $input) { userErrors { field message } } }`,
      { input: { id: member.id, expectedVersion: member.version, decision: { number: '12-QĐ/ĐU', issuedBy: 'Đảng ủy phường Hải Châu', date: member.admissionCeremonyOn } } },
      haichau,
    );
    const english: string = refused.data.confirmOfficial.userErrors.find((e: { field: string[] }) => e.field.at(-1) === 'date')?.message;
    expect(english).toContain('end of the 12 months of probation');
    expect(vietnameseMessage(english)).toContain('ngày hết 12 tháng dự bị');
    expect(vietnameseMessage(english)).toContain(ddmmyyyy(member.admissionCeremonyOn));
    await expect.poll(() => messageBeside(page, 'Ngày quyết định')).toContain(vietnameseMessage(english));
    expect(await messageBeside(page, 'Số quyết định')).toBeNull();
    expect(await facts.textContent()).toContain('Dự bị');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'lifecycle');

    await page.getByLabel('Ngày quyết định').fill(ddmmyyyy(vietnamToday()));
    await page.getByRole('button', { name: 'Công nhận chính thức' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Đã công nhận' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Tình trạng hiện nay: Chính thức');
    await expect.poll(() => facts.textContent()).toContain('Chính thức');
    expect(await facts.textContent()).not.toContain('Dự bị');
    // The history gains the official period, with its decision.
    expect(await page.getByRole('row', { name: /Chính thức.*12-QĐ\/ĐU/ }).count()).toBe(1);
    const after = await w.t.gql(`query($id: ID) { member(id: $id) { status officialOn } }`, { id: member.id }, haichau);
    expect(after.data.member.status).toBe('OFFICIAL');
    // Official from the end of the probation, not from the decision.
    expect(after.data.member.officialOn < vietnamToday()).toBe(true);
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });
});
