import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

// The member list (#/members) in Chromium as haichau (ORG_STAFF of Đảng bộ phường Hải Châu):
// search as you type, filters, paging by the API's cursors, sort, export, and a tablet's width.
// What the screen shows is compared with what the API answers for the same filter.
describe('staff application: member list', () => {
  let w: BrowserWorld;
  let token: string;
  let wardId: string;
  let everyone: number;
  let auditor: string;

  interface ApiPage {
    total: number;
    ids: string[];
    names: string[];
    births: string[];
    /** Each row's end of probation (null unless probationary) and whether a national ID is recorded. */
    probationEnds: (string | null)[];
    hasNationalId: boolean[];
    endCursor: string | null;
  }

  /** The API's page for a filter within haichau's ward (what the screen should show). */
  async function apiList(filter: Record<string, unknown>, options: { orderBy?: Record<string, string>; first?: number; after?: string } = {}): Promise<ApiPage> {
    const result = await w.t.gql(
      `query($filter: MemberFilter, $orderBy: MemberOrder, $first: Int, $after: String) {
        members(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
          totalCount pageInfo { endCursor } edges { node { id fullName dateOfBirth status probationEndsOn hasNationalId } }
        }
      }`,
      { filter: { unitId: wardId, ...filter }, orderBy: options.orderBy, first: options.first ?? 20, after: options.after },
      token,
    );
    expect(result.errors).toBeUndefined();
    const members = result.data.members;
    return {
      total: members.totalCount,
      ids: members.edges.map((e: { node: { id: string } }) => e.node.id),
      names: members.edges.map((e: { node: { fullName: string } }) => e.node.fullName),
      births: members.edges.map((e: { node: { dateOfBirth: string } }) => e.node.dateOfBirth.split('-').reverse().join('/')),
      probationEnds: members.edges.map((e: { node: { status: string; probationEndsOn: string | null } }) => (e.node.status === 'PROBATIONARY' ? e.node.probationEndsOn : null)),
      hasNationalId: members.edges.map((e: { node: { hasNationalId: boolean } }) => e.node.hasNationalId),
      endCursor: members.pageInfo.endCursor,
    };
  }

  /** The count the screen announces ("Tìm thấy 1.234 đảng viên"), 0 for "none", null before any. */
  async function shownTotal(page: Page): Promise<number | null> {
    const text = (await page.locator('main').getByRole('status').filter({ hasText: /Tìm thấy|Không có đảng viên/ }).textContent().catch(() => null)) ?? '';
    if (/Không có đảng viên/.test(text)) return 0;
    const match = /Tìm thấy ([\d.]+) đảng viên/.exec(text);
    return match ? Number(match[1]!.replace(/\./g, '')) : null;
  }

  /** The cells of one column of the list, found by its header. */
  async function column(page: Page, header: string): Promise<string[]> {
    // Every header, shown or not (a narrow screen hides some), so the index is the cell's.
    const headers = (await page.getByRole('table').locator('thead th').allTextContents()).map((h) => h.trim());
    const index = headers.indexOf(header);
    expect(index, `column ${header} in ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
    // As the user sees them (innerText): what a narrow screen hides is not part of the cell's text.
    return (await page.getByRole('table').locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts()).map((c) => c.trim());
  }

  /** The names the rows link to each member's file by. */
  async function shownNames(page: Page): Promise<string[]> {
    return (await page.getByRole('table').getByRole('link').allInnerTexts()).map((name) => name.trim());
  }

  /** The member ids the rows link to (#/members/<id>). */
  async function shownIds(page: Page): Promise<string[]> {
    const links = await page.getByRole('table').getByRole('link').all();
    return Promise.all(links.map(async (link) => (await link.getAttribute('href'))!.replace('#/members/', '')));
  }

  async function openList(page: Page): Promise<void> {
    await w.signIn(page, 'haichau');
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đảng viên' }).click();
    await page.getByRole('heading', { name: 'Danh sách đảng viên' }).waitFor();
    await expect.poll(() => shownTotal(page)).toBe(everyone);
  }

  /** Today as the API counts it: Vietnam's day, whatever the machine's zone. */
  const vietnamToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const dmy = (iso: string) => iso.split('-').reverse().join('/');

  /** How many times sensitive fields were read (READ_SENSITIVE events in the audit), as the auditor sees it. */
  async function sensitiveReads(): Promise<number> {
    const result = await w.t.gql(`{ auditLog(filter: { action: "READ_SENSITIVE" }, first: 1) { totalCount } }`, {}, auditor);
    expect(result.errors).toBeUndefined();
    return result.data.auditLog.totalCount;
  }

  const searchBox = (page: Page) => page.getByLabel('Tìm theo họ tên, số thẻ đảng viên hoặc số CCCD');
  const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

  beforeAll(async () => {
    w = await startBrowserWorld();
    token = await w.t.login('haichau');
    auditor = await w.t.login('auditor');
    const me = await w.t.gql('{ me { unit { id code } } }', {}, token);
    wardId = me.data.me.unit.id;
    everyone = (await apiList({})).total;
    expect(everyone).toBeGreaterThan(40);
  });
  afterAll(() => w?.close());

  it('search as you type without accents finds the “Nguyễn Văn” rows, one request per pause, and the back button keeps it', async () => {
    const page = await w.newPage();
    await openList(page);
    const expected = await apiList({ search: 'nguyen van' });
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(everyone);

    const listRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('MemberList')) listRequests.push(request.postData()!);
    });
    await searchBox(page).pressSequentially('nguyen van', { delay: 40 });
    await expect.poll(() => shownTotal(page)).toBe(expected.total);
    const names = await shownNames(page);
    expect(names).toEqual(expected.names);
    expect(names.some((name) => name.includes('Nguyễn Văn'))).toBe(true);
    for (const name of names) {
      const words = fold(name).split(' ');
      expect(words.some((word) => word.startsWith('nguyen')) && words.some((word) => word.startsWith('van')), name).toBe(true);
    }
    // Ten keys, not ten requests: the search waits for a pause in typing.
    expect(listRequests.length).toBeLessThanOrEqual(2);
    expect(decodeURIComponent(page.url())).toContain('search=nguyen+van');

    // A member's file and back: the same search, the same rows.
    await page.getByRole('link', { name: names[0]! }).first().click();
    await expect.poll(() => page.url()).toMatch(/#\/members\/\d+$/);
    await page.goBack();
    await page.getByRole('heading', { name: 'Danh sách đảng viên' }).waitFor();
    await expect.poll(() => searchBox(page).inputValue()).toBe('nguyen van');
    await expect.poll(() => shownTotal(page)).toBe(expected.total);
    expect(await shownNames(page)).toEqual(expected.names);
    expectClean(page);
  });

  it('filters narrow the count and every row shown matches: status Dự bị, missing national ID, birth years', async () => {
    // Listing reads no sensitive field: paging and filtering leave no READ_SENSITIVE event behind.
    const readsBefore = await sensitiveReads();
    const page = await w.newPage();
    await openList(page);
    // Whether each member's national ID is recorded, not the number.
    const plain = await apiList({});
    expect(await column(page, 'Số CCCD')).toEqual(plain.hasNationalId.map((has) => (has ? 'Có' : 'Thiếu')));

    const probationary = await apiList({ status: ['PROBATIONARY'] });
    expect(probationary.total).toBeGreaterThan(0);
    expect(probationary.total).toBeLessThan(everyone);
    await page.getByLabel('Tình trạng', { exact: true }).selectOption({ label: 'Dự bị' });
    await expect.poll(() => shownTotal(page)).toBe(probationary.total);
    const statuses = await column(page, 'Tình trạng');
    expect(statuses.length).toBe(Math.min(20, probationary.total));
    // Due from the end of probation, overdue only after it: against Vietnam's day.
    const today = vietnamToday();
    expect(statuses).toEqual(
      probationary.probationEnds.map((ends) => {
        expect(ends).toBeTruthy();
        const words = ends! < today ? 'Quá hạn xét chính thức từ' : ends === today ? 'Đến hạn xét chính thức' : 'Hết dự bị';
        return `Dự bị ${words} ${dmy(ends!)}`;
      }),
    );
    expect(await shownNames(page)).toEqual(probationary.names);
    expect(decodeURIComponent(page.url())).toContain('status=PROBATIONARY');

    await page.getByLabel('Tình trạng', { exact: true }).selectOption({ label: 'Tất cả tình trạng' });
    await expect.poll(() => shownTotal(page)).toBe(everyone);
    const missing = await apiList({ hasNationalId: false });
    expect(missing.total).toBeGreaterThan(0);
    expect(missing.total).toBeLessThan(everyone);
    await page.getByLabel('Thiếu số CCCD').check();
    await expect.poll(() => shownTotal(page)).toBe(missing.total);
    for (const cell of await column(page, 'Số CCCD')) expect(cell).toBe('Thiếu');
    expect(await shownNames(page)).toEqual(missing.names);
    await page.getByLabel('Thiếu số CCCD').uncheck();
    await expect.poll(() => shownTotal(page)).toBe(everyone);

    // Birth years: a year still being typed is not applied; a wrong one says so beside its box.
    const eighties = await apiList({ bornFrom: '1980-01-01', bornTo: '1989-12-31' });
    expect(eighties.total).toBeGreaterThan(0);
    await page.getByLabel('Năm sinh từ').fill('1980');
    await page.getByLabel('Năm sinh đến').fill('1989');
    await expect.poll(() => shownTotal(page)).toBe(eighties.total);
    for (const birth of await column(page, 'Ngày sinh')) expect(Number(birth.slice(6))).toBeGreaterThanOrEqual(1980);
    for (const birth of await column(page, 'Ngày sinh')) expect(Number(birth.slice(6))).toBeLessThanOrEqual(1989);
    await page.getByLabel('Năm sinh đến').fill('89');
    await expect.poll(() => page.getByText('Năm sinh gồm 4 chữ số, từ 1900 đến 2100.').isVisible()).toBe(true);
    expect(await shownTotal(page)).toBe(eighties.total);
    await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
    await expect.poll(() => shownTotal(page)).toBe(everyone);
    expect(await page.getByLabel('Năm sinh từ').inputValue()).toBe('');

    // A cell's "Danh sách" link in the units tree lists that cell only.
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đơn vị' }).click();
    // A unit of the second level of the tree (aria-level), a cell under haichau's ward.
    const cell = page.locator('li[aria-level="2"]').first();
    await cell.waitFor();
    const cellName = (await cell.locator('.unit-name').first().textContent())!;
    await cell.getByRole('link', { name: 'Danh sách' }).click();
    await page.getByRole('heading', { name: 'Danh sách đảng viên' }).waitFor();
    const cellId = new URLSearchParams(page.url().split('?')[1]).get('unitId')!;
    const ofCell = await apiList({ unitId: cellId });
    expect(ofCell.total).toBeLessThan(everyone);
    await expect.poll(() => shownTotal(page)).toBe(ofCell.total);
    expect(await page.locator('main').textContent()).toContain(`Đơn vị: ${cellName}`);
    expect(new Set(await column(page, 'Chi bộ'))).toEqual(new Set([cellName]));
    expect(await sensitiveReads()).toBe(readsBefore);
    expectClean(page);
  });

  it('the next page shows the following rows, the previous one comes back, and the sort changes the order', async () => {
    const page = await w.newPage();
    await openList(page);
    const first = await apiList({});
    const second = await apiList({}, { after: first.endCursor! });
    expect(await shownNames(page)).toEqual(first.names);

    // By keyboard: the pager's button takes Enter.
    await page.getByRole('button', { name: 'Trang sau →' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shownIds(page)).toEqual(second.ids);
    expect(second.ids.length).toBe(20);
    expect(second.ids.filter((id) => first.ids.includes(id))).toEqual([]);
    expect(await shownNames(page)).toEqual(second.names);
    expect((await column(page, 'STT'))[0]).toBe('21');
    expect(await page.getByRole('navigation', { name: 'Phân trang' }).textContent()).toContain('Trang 2');
    // A member's file and back: the same page 2 (its cursor is kept with the history entry).
    await page.getByRole('link', { name: second.names[0]! }).first().click();
    await expect.poll(() => page.url()).toMatch(/#\/members\/\d+$/);
    await page.goBack();
    await expect.poll(() => shownIds(page)).toEqual(second.ids);
    expect((await column(page, 'STT'))[0]).toBe('21');
    await page.getByRole('button', { name: '← Trang trước' }).click();
    await expect.poll(() => shownIds(page)).toEqual(first.ids);
    expect(await page.getByRole('button', { name: '← Trang trước' }).isDisabled()).toBe(true);

    const youngest = await apiList({}, { orderBy: { field: 'DATE_OF_BIRTH', direction: 'DESC' } });
    expect(youngest.ids).not.toEqual(first.ids);
    await page.getByLabel('Sắp xếp theo').selectOption({ label: 'Ngày sinh (trẻ tuổi trước)' });
    await expect.poll(() => shownIds(page)).toEqual(youngest.ids);
    const births = (await column(page, 'Ngày sinh')).map((d) => d.split('/').reverse().join('-'));
    expect(births).toEqual([...births].sort().reverse());
    expect(await page.getByRole('columnheader', { name: 'Ngày sinh' }).getAttribute('aria-sort')).toBe('descending');
    expect(decodeURIComponent(page.url())).toContain('order=DATE_OF_BIRTH_DESC');

    // A hand-edited link naming no order of the list (an inherited name) gets the default order.
    await page.evaluate(`window.location.hash = '#/members?order=toString'`);
    await expect.poll(() => shownIds(page)).toEqual(first.ids);
    expect(await page.getByRole('columnheader', { name: 'Họ và tên' }).getAttribute('aria-sort')).toBe('ascending');
    expect(await page.getByRole('alert').count()).toBe(0);
    expectClean(page);
  });

  it('“Xuất CSV” downloads the rows of the filtered list; “Xuất Excel” a workbook; the screen passes axe', async () => {
    const page = await w.newPage();
    await openList(page);
    const expected = await apiList({ search: 'nguyen', gender: 'FEMALE' }, { first: 100 });
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(everyone);
    await searchBox(page).fill('nguyen');
    await page.getByLabel('Giới tính').selectOption({ label: 'Nữ' });
    await page.getByLabel('Số dòng mỗi trang').selectOption('100');
    await expect.poll(() => shownTotal(page)).toBe(expected.total);
    await expect.poll(() => shownNames(page)).toEqual(expected.names);
    const shown = await shownNames(page);
    for (const gender of await column(page, 'Giới tính')) expect(gender).toBe('Nữ');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Xuất CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^danh-sach-dang-vien-.*\.csv$/);
    const text = fs.readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = parseCsv(text);
    const nameAt = header!.indexOf('Họ và tên');
    const genderAt = header!.indexOf('Giới tính');
    expect(nameAt).toBeGreaterThanOrEqual(0);
    expect(rows.length).toBe(expected.total);
    // The file is in name order, as the screen is by default: the screen's rows are its first ones.
    expect(rows.slice(0, shown.length).map((row) => row[nameAt])).toEqual(shown);
    for (const row of rows) expect(row[genderAt]).toBe('Nữ');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Xuất Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');

    await page.getByLabel('Số dòng mỗi trang').selectOption('20');
    await expect.poll(() => shownNames(page)).toEqual(expected.names.slice(0, 20));
    await page.mouse.move(0, 0);
    await screenshot(page, 'member-list');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });

  it('at a tablet’s width (768×1024) the list and its filters fit without the page scrolling sideways', async () => {
    const page = await w.newPage({ width: 768, height: 1024 });
    await openList(page);
    const expected = await apiList({ search: 'nguyen van', status: ['OFFICIAL', 'PROBATIONARY'] });
    await searchBox(page).fill('nguyen van');
    await page.getByLabel('Tình trạng', { exact: true }).selectOption({ label: 'Chính thức, dự bị' });
    await expect.poll(() => shownTotal(page)).toBe(expected.total);
    expect(await shownNames(page)).toEqual(expected.names);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    // The unit column gives way: each member's cell (chi bộ) shows under the name instead.
    expect(await page.getByRole('columnheader', { name: 'Chi bộ' }).isVisible()).toBe(false);
    for (const cell of await column(page, 'Họ và tên')) expect(cell).toMatch(/\nChi bộ .+/);
    // The controls a user needs are on screen, not beyond its right edge.
    for (const control of [searchBox(page), page.getByRole('button', { name: 'Xuất CSV' }), page.getByRole('link', { name: expected.names[0]! }).first()]) {
      const box = (await control.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(768);
    }
    await page.mouse.move(0, 0);
    await screenshot(page, 'member-list-tablet');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });
});

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
