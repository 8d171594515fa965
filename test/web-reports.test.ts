import fs from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

// Reports (statistics, flows, badge list) and the audit screen in Chromium, against the API:
// what the screens show is compared with what the API answers for the same unit and dates.
const number = new Intl.NumberFormat('vi-VN').format;
const dmy = (iso: string) => iso.split('-').reverse().join('/');
/** Today as the API counts it: Vietnam's day, whatever the machine's zone (the browser's is UTC). */
const vietnamToday = (at = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
/** An instant as the audit screen writes it: dd/mm/yyyy hh:mm:ss in Vietnam's time. */
const vietnamTime = (at: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
};

interface Count {
  key: string;
  label: string;
  count: number;
}

const STATISTICS = `query($unitId: ID!, $asOf: Date) { statistics(unitId: $unitId, asOf: $asOf) {
  asOf total averageAge byStatus { key label count } byGender { key label count } byAgeBand { key label count }
  byPoliticalTheory { key label count } children { total unit { name } } } }`;

/** The lines of one chart as the user reads them: label and number, the share in brackets left out. */
async function chartLines(page: Page, title: string): Promise<string[]> {
  const items = page.getByRole('figure', { name: title }).getByRole('listitem');
  return (await items.allTextContents()).map((text) => text.replace(/\s*\([\d,]+%\)$/, ''));
}

const lines = (counts: Count[]) => counts.map((c) => `${c.label}${number(c.count)}`);

/** The definition after a term of the summary (dl): "Tổng số đảng viên" → its figure. */
const summary = (page: Page, term: string) => page.locator('.report-summary dt', { hasText: term }).locator('xpath=following-sibling::dd').textContent();

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { download, bytes: fs.readFileSync(file!) };
}

describe('staff application: reports and audit', () => {
  let w: BrowserWorld;
  let reporter: string;
  let auditor: string;
  let cityId: string;

  beforeAll(async () => {
    w = await startBrowserWorld();
    reporter = await w.t.login('reporter');
    auditor = await w.t.login('auditor');
    cityId = (await w.t.gql('{ me { unit { id } } }', {}, reporter)).data.me.unit.id;
  });
  afterAll(() => w?.close());

  async function openReports(username: string, viewport?: { width: number; height: number }, prepare?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await w.newPage(viewport, prepare ? { timezoneId: 'America/Los_Angeles' } : undefined);
    await prepare?.(page);
    await w.signIn(page, username);
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('figure', { name: 'Theo tình trạng' }).waitFor();
    return page;
  }

  it('statistics of the city today and on a past date show the API’s totals, bars and children; Excel downloads', async () => {
    const page = await openReports('reporter');
    expect(await page.getByRole('tab', { name: 'Số lượng, cơ cấu' }).getAttribute('aria-selected')).toBe('true');
    // The default date is Vietnam's today (the API's), though the browser runs in UTC.
    const today = vietnamToday();
    expect(await page.getByLabel('Số liệu tính đến ngày').inputValue()).toBe(dmy(today));
    const now = (await w.t.gql(STATISTICS, { unitId: cityId, asOf: today }, reporter)).data.statistics;
    expect(now.total).toBeGreaterThan(0);
    expect(await summary(page, 'Tổng số đảng viên')).toBe(number(now.total));
    expect(await summary(page, 'Tuổi bình quân')).toBe(new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1 }).format(now.averageAge));
    expect(await chartLines(page, 'Theo tình trạng')).toEqual(lines(now.byStatus));
    expect(await chartLines(page, 'Theo giới tính')).toEqual(lines(now.byGender));
    expect(await chartLines(page, 'Theo độ tuổi')).toEqual(lines(now.byAgeBand));
    expect(await chartLines(page, 'Lý luận chính trị')).toEqual(lines(now.byPoliticalTheory));
    // The children of the city after the reform, each with its total.
    const children = page.getByRole('region', { name: 'Các đơn vị trực thuộc' }).locator('tbody tr');
    expect(await children.count()).toBe(now.children.length);
    const rows = await children.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelectorAll('td')[1]!.textContent] as [string, string]));
    expect(new Map(rows)).toEqual(new Map(now.children.map((c: { total: number; unit: { name: string } }) => [c.unit.name, number(c.total)])));
    await screenshot(page, 'statistics');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Before the reform: the figures and the children (the districts) of that date.
    await page.getByLabel('Số liệu tính đến ngày').fill('01/06/2024');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => summary(page, 'Tính đến ngày')).toBe('01/06/2024');
    const then = (await w.t.gql(STATISTICS, { unitId: cityId, asOf: '2024-06-01' }, reporter)).data.statistics;
    expect(then.children.map((c: { unit: { name: string } }) => c.unit.name)).not.toEqual(now.children.map((c: { unit: { name: string } }) => c.unit.name));
    expect(await summary(page, 'Tổng số đảng viên')).toBe(number(then.total));
    expect(await chartLines(page, 'Theo tình trạng')).toEqual(lines(then.byStatus));
    expect(await chartLines(page, 'Theo giới tính')).toEqual(lines(then.byGender));
    expect((await children.locator('th').allTextContents()).sort()).toEqual(then.children.map((c: { unit: { name: string } }) => c.unit.name).sort());

    const { download, bytes } = await downloaded(page, () => page.getByRole('button', { name: 'Xuất Excel' }).click());
    expect(download.suggestedFilename()).toMatch(/^bao-cao-dang-vien-DN-2024-06-01\.xlsx$/);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expectClean(page);
  });

  it('in Los Angeles’ time zone, at an hour when its day is not yet Vietnam’s, the reports still open on Vietnam’s today', async () => {
    const today = vietnamToday();
    // 02:00 in Vietnam is the afternoon before in Los Angeles: the browser's own day is yesterday.
    const at = new Date(`${today}T02:00:00+07:00`);
    const page = await openReports('reporter', undefined, (p) => p.clock.setFixedTime(at));
    expect(await page.evaluate('new Date().toLocaleDateString("en-CA")')).not.toBe(today);
    expect(await page.getByLabel('Số liệu tính đến ngày').inputValue()).toBe(dmy(today));
    await expect.poll(() => summary(page, 'Tính đến ngày')).toBe(dmy(today));
    await page.getByRole('tab', { name: 'Biến động' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Biến động' });
    expect(await panel.getByLabel('Đến ngày', { exact: true }).inputValue()).toBe(dmy(today));
    expect(await panel.getByLabel('Từ ngày', { exact: true }).inputValue()).toBe(`01/01/${today.slice(0, 4)}`);
    expectClean(page);
  });

  it('a date before the unit was formed is explained beside the date, and the screen fits a tablet', async () => {
    const page = await openReports('haichau', { width: 768, height: 1024 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hải Châu');
    // No horizontal scrolling on a tablet.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await screenshot(page, 'statistics-tablet');
    const date = page.getByLabel('Số liệu tính đến ngày');
    await date.fill('01/01/2024');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => date.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').allTextContents()).toEqual([expect.stringContaining('thành lập từ ngày 01/07/2025')]);
    // No figures of another date stay on screen under the refused one.
    expect(await page.getByRole('figure').count()).toBe(0);
    await date.fill('31/02/2025');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual([expect.stringContaining('Không có ngày 31/02/2025 trong lịch')]);
    expect(await page.getByRole('alert').textContent()).toContain('dd/mm/yyyy');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });

  it('flows over 2025 show the API’s figures, and the CSV (UTF-8 with BOM) holds them', async () => {
    const page = await openReports('reporter');
    // The tabs work from the keyboard: an arrow moves to the next one.
    await page.getByRole('tab', { name: 'Số lượng, cơ cấu' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Biến động' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Biến động');
    const panel = page.getByRole('tabpanel', { name: 'Biến động' });
    await panel.getByLabel('Từ ngày', { exact: true }).fill('01/01/2025');
    await panel.getByLabel('Đến ngày', { exact: true }).fill('31/12/2025');
    await panel.getByRole('button', { name: 'Xem biến động' }).click();
    const table = page.getByRole('table', { name: /Biến động đảng viên .* từ 01\/01\/2025 đến 31\/12\/2025/ });
    await table.waitFor();
    const flows = (
      await w.t.gql(
        `query($u: ID!) { flows(unitId: $u, from: "2025-01-01", to: "2025-12-31") { opening closing admissions readmissions transfersIn transfersOut
          reorganisedIn reorganisedOut officialConfirmations departures { label count } } }`,
        { u: cityId },
        reporter,
      )
    ).data.flows;
    expect(flows.opening).toBeGreaterThan(0);
    const shown = new Map(
      await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent!, tr.querySelector('td')!.textContent!] as [string, string])),
    );
    const expected: [string, number][] = [
      ['Đảng viên đầu kỳ', flows.opening],
      ['Kết nạp', flows.admissions],
      ['Kết nạp lại', flows.readmissions],
      ['Chuyển đến', flows.transfersIn],
      ['Chuyển đi', flows.transfersOut],
      ['Nhận do sắp xếp tổ chức', flows.reorganisedIn],
      ['Chuyển ra do sắp xếp tổ chức', flows.reorganisedOut],
      ...flows.departures.map((d: { label: string; count: number }) => [d.label, d.count] as [string, number]),
      ['Đảng viên cuối kỳ', flows.closing],
      ['Công nhận đảng viên chính thức trong kỳ', flows.officialConfirmations],
    ];
    for (const [label, count] of expected) expect(shown.get(label), label).toBe(number(count));
    await screenshot(page, 'flows');
    expect(await accessibilityViolations(page)).toEqual([]);

    const { download, bytes } = await downloaded(page, () => panel.getByRole('button', { name: 'Xuất CSV' }).click());
    expect(download.suggestedFilename()).toBe('bien-dong-dang-vien-DN-2025-01-01-2025-12-31.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv).toContain('Từ ngày,01/01/2025\r\n');
    for (const [label, count] of expected) expect(csv, label).toContain(`\r\n${label},${count}\r\n`);

    // A period ending before it starts is refused beside the field, without asking the API.
    await panel.getByLabel('Đến ngày', { exact: true }).fill('31/12/2024');
    await panel.getByRole('button', { name: 'Xem biến động' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual(['Ngày cuối kỳ không được trước ngày đầu kỳ.']);
    expectClean(page);
  });

  it('the badge list of a ceremony shows the API’s candidates, pages, and exports them all', async () => {
    const page = await openReports('reporter');
    await page.getByRole('tab', { name: 'Huy hiệu Đảng' }).click();
    const ceremony = page.getByLabel('Đợt trao tặng');
    await ceremony.waitFor();
    const query = `query($u: ID, $c: Date, $after: String) { badgesDue(unitId: $u, ceremonyOn: $c, first: 50, after: $after) {
      totalCount pageInfo { endCursor hasNextPage } edges { node { badgeYears member { fullName } } } } }`;
    // The ceremony offered with the most candidates: more than a page (50) of them, so paging is seen.
    const offered = await ceremony.locator('option').evaluateAll((options) => options.map((option) => option.getAttribute('value')!));
    const totals = await Promise.all(offered.map(async (day) => (await w.t.gql(query, { u: cityId, c: day }, reporter)).data.badgesDue.totalCount as number));
    const ceremonyOn = offered[totals.indexOf(Math.max(...totals))]!;
    await ceremony.selectOption(ceremonyOn);
    const first = (await w.t.gql(query, { u: cityId, c: ceremonyOn }, reporter)).data.badgesDue;
    expect(first.totalCount).toBeGreaterThan(50);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const panel = page.getByRole('tabpanel', { name: 'Huy hiệu Đảng' });
    const listStatus = panel.getByRole('status').filter({ hasText: 'đảng viên' });
    await expect.poll(() => listStatus.textContent()).toContain(`${number(first.totalCount)} đảng viên đủ điều kiện`);
    expect(await listStatus.textContent()).toContain(dmy(ceremonyOn));
    const names = () => panel.locator('tbody th').allTextContents();
    await expect.poll(names).toEqual(first.edges.map((e: { node: { member: { fullName: string } } }) => e.node.member.fullName));
    const second = (await w.t.gql(query, { u: cityId, c: ceremonyOn, after: first.pageInfo.endCursor }, reporter)).data.badgesDue;
    await panel.getByRole('button', { name: 'Trang sau →' }).click();
    await expect.poll(names).toEqual(second.edges.map((e: { node: { member: { fullName: string } } }) => e.node.member.fullName));
    expect(await panel.locator('tbody td.number').first().textContent()).toBe('51');
    await panel.getByRole('button', { name: '← Trang trước' }).click();
    await expect.poll(names).toEqual(first.edges.map((e: { node: { member: { fullName: string } } }) => e.node.member.fullName));
    expect(await accessibilityViolations(page)).toEqual([]);

    const { download, bytes } = await downloaded(page, () => panel.getByRole('button', { name: 'Xuất CSV' }).click());
    expect(download.suggestedFilename()).toBe(`huy-hieu-dang-DN-${ceremonyOn}.csv`);
    const csvLines = bytes.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(csvLines[3]).toMatch(/^STT,Họ và tên,Số thẻ đảng viên,/);
    // Every candidate, over all pages, one line each.
    expect(csvLines.length - 4).toBe(first.totalCount);
    expect(csvLines[4]).toContain(first.edges[0].node.member.fullName);
    expectClean(page);
  });

  it('the auditor reads the log, narrows it by action and by account, and the chain is intact', async () => {
    // An export of the reporter's, made here (this scenario needs no other to have run first).
    const exported = await fetch(`${w.t.url}/exports/statistics.xlsx?unitId=${cityId}&asOf=2024-06-01`, { headers: { authorization: `Bearer ${reporter}` } });
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();

    const page = await w.newPage();
    await w.signIn(page, 'auditor');
    await page.getByRole('heading', { name: 'Nhật ký thay đổi và truy cập' }).waitFor();
    const log = `query($f: AuditFilter) { auditLog(filter: $f, first: 50) { totalCount edges { node { id at action actor { id username } } } } }`;
    const all = (await w.t.gql(log, {}, auditor)).data.auditLog;
    expect(all.totalCount).toBeGreaterThan(0);
    const status = page.getByRole('status').filter({ hasText: 'sự kiện' });
    await expect.poll(() => status.textContent()).toBe(`${number(all.totalCount)} sự kiện, mới nhất trước.`);
    const rows = page.locator('table.audit-table tbody tr');
    expect(await rows.count()).toBe(Math.min(50, all.totalCount));
    // Each event reads: when (Vietnam's time, to the second, though the browser runs in UTC), who, what was done, to what.
    expect(await rows.first().textContent()).toContain(`Sự kiện #${all.edges[0].node.id}`);
    expect(await rows.first().locator('time').textContent()).toBe(vietnamTime(all.edges[0].node.at));

    await page.getByLabel('Hành động').selectOption({ label: 'Xuất dữ liệu' });
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    const exports = (await w.t.gql(log, { f: { action: 'EXPORT' } }, auditor)).data.auditLog;
    // The reporter's workbook above is the newest of them.
    expect(exports.totalCount).toBeGreaterThan(0);
    expect(exports.totalCount).toBeLessThan(all.totalCount);
    await expect.poll(() => status.textContent()).toBe(`${number(exports.totalCount)} sự kiện, mới nhất trước.`);
    expect(new Set(await rows.locator('td:nth-child(3)').allTextContents())).toEqual(new Set(['Xuất dữ liệu']));
    expect(await rows.first().textContent()).toContain('statistics.xlsx');
    // Its details in the words of the forms, as the member's history says them: no column names.
    await rows.first().locator('summary').click();
    const details = rows.first().locator('dl.audit-changes');
    const terms = await details.locator('dt').allTextContents();
    expect(terms).toEqual(expect.arrayContaining(['Đơn vị (mã số)', 'Định dạng', 'Số liệu tính đến ngày', 'Tổng số']));
    for (const term of terms) expect(term).not.toMatch(/^[a-z]+([A-Z_][a-z]*)*$/);
    expect(await details.textContent()).toContain('Số liệu tính đến ngày01/06/2024');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The reporter's name in a row narrows the log to the reporter's events.
    const reporterId = exports.edges.find((e: { node: { actor: { username: string } | null } }) => e.node.actor?.username === 'reporter').node.actor.id;
    await rows.first().getByRole('button', { name: 'reporter' }).click();
    const byReporter = (await w.t.gql(log, { f: { action: 'EXPORT', accountId: reporterId } }, auditor)).data.auditLog;
    await expect.poll(() => page.getByLabel('Mã tài khoản').inputValue()).toBe(reporterId);
    await expect.poll(() => status.textContent()).toBe(`${number(byReporter.totalCount)} sự kiện, mới nhất trước.`);
    expect(new Set(await rows.locator('td:nth-child(2) button').allTextContents())).toEqual(new Set(['reporter']));

    await page.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Nhật ký toàn vẹn.');
    const integrity = (await w.t.gql('{ auditIntegrity { intact events } }', {}, auditor)).data.auditIntegrity;
    expect(integrity.intact).toBe(true);
    expect(await page.locator('.notice').textContent()).toMatch(/Đã kiểm tra [\d.]+ sự kiện/);
    await page.getByRole('button', { name: 'Bỏ lọc' }).click();
    await expect.poll(() => rows.count()).toBe(Math.min(50, all.totalCount));
    await screenshot(page, 'audit');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });
});
