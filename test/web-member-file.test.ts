import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnameseMessage } from '../web/src/ui/messages';
import { accessibilityViolations, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

// Screens 4 and 5 of the staff application: a member's file (lý lịch, history, the file as of a
// day) and its editing form (the API's messages beside their fields, a stale version's conflict
// and re-applying one's edits), in Chromium against the real API on the reformed demo.

interface Row {
  id: string;
  fullName: string;
  version: number;
  nationalId: string | null;
  homeTown: string | null;
  phone: string | null;
}

const MEMBER_FIELDS = 'id fullName version nationalId homeTown phone';

describe('staff application: member file and editing', () => {
  let w: BrowserWorld;
  let admin: string;
  /** Official members of Hải Châu with a national ID, each scenario taking its own. */
  let haichau: Row[];

  beforeAll(async () => {
    w = await startBrowserWorld();
    admin = await w.t.login('admin');
    const token = await w.t.login('haichau');
    const list = await w.t.gql<{ members: { edges: { node: Row }[] } }>(
      `{ members(first: 40, filter: { status: [OFFICIAL], hasNationalId: true }) { edges { node { ${MEMBER_FIELDS} } } } }`,
      {},
      token,
    );
    haichau = list.data!.members.edges.map((edge) => edge.node);
    expect(haichau.length).toBeGreaterThan(10);
  });
  afterAll(() => w?.close());

  /** Opens a screen by its address, as a link from the member list does (a reload would sign out). */
  async function open(page: Page, hash: string): Promise<void> {
    // Strings run in the page: this project's TypeScript has no DOM types (it is server code).
    await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  }

  async function readMember(id: string): Promise<Row & { version: number }> {
    const result = await w.t.gql<{ member: Row }>(`query($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`, { id }, admin);
    return result.data!.member;
  }

  /** The texts an input is described by (its hint and the API's message beside it). */
  function description(input: Locator): Promise<string> {
    return input.evaluate(
      new Function('element', `return (element.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
        .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ')`) as (element: unknown) => string,
    );
  }

  function region(page: Page, name: string): Locator {
    return page.getByRole('region', { name, exact: true });
  }

  async function poll(read: () => Promise<string | null>, expected: string | RegExp): Promise<void> {
    await expect.poll(read, { timeout: 15_000 }).toMatch(expected);
  }

  it('haichau opens a member from its address: the sections of the lý lịch, the national ID, the links', async () => {
    const member = haichau[0]!;
    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await open(page, `#/members/${member.id}`);
    await page.getByRole('heading', { level: 1, name: member.fullName }).waitFor();
    for (const title of ['Sơ yếu lý lịch', 'Thông tin đảng viên', 'Trình độ', 'Quá trình công tác', 'Đào tạo, bồi dưỡng', 'Khen thưởng', 'Kỷ luật', 'Đánh giá, xếp loại chất lượng', 'Quan hệ gia đình', 'Chức vụ', 'Lịch sử thay đổi']) {
      expect(await page.getByRole('heading', { level: 2, name: title, exact: true }).count(), title).toBe(1);
    }
    await poll(() => region(page, 'Sơ yếu lý lịch').textContent(), new RegExp(`Số CCCD${member.nationalId}`));
    expect(await page.locator('main').textContent()).not.toContain('(không được xem)');
    expect(await page.getByRole('link', { name: 'Sửa hồ sơ' }).getAttribute('href')).toBe(`#/members/${member.id}/edit`);
    expect(await page.getByRole('link', { name: 'Biến động, chuyển sinh hoạt' }).getAttribute('href')).toBe(`#/members/${member.id}/lifecycle`);
    await poll(() => region(page, 'Lịch sử thay đổi').textContent(), /sự kiện đã ghi/);
    await screenshot(page, 'member-file');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });

  it('on a tablet (768 wide) the file and the form fit the width: nothing scrolls sideways', async () => {
    const member = haichau[1]!;
    const page = await w.newPage({ width: 768, height: 1024 });
    await w.signIn(page, 'haichau');
    await open(page, `#/members/${member.id}`);
    await page.getByRole('heading', { level: 1, name: member.fullName }).waitFor();
    await poll(() => region(page, 'Sơ yếu lý lịch').textContent(), new RegExp(`Số CCCD${member.nationalId}`));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    await page.getByRole('link', { name: 'Sửa hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: `Sửa hồ sơ: ${member.fullName}` }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
    expectClean(page);
  });

  it('sontra.viewer: a Hải Châu member is not found; a Sơn Trà member’s file withholds the sensitive fields', async () => {
    const viewer = await w.t.login('sontra.viewer');
    const me = await w.t.gql<{ me: { unit: { id: string } } }>(`{ me { unit { id } } }`, {}, viewer);
    const sontra = await w.t.gql<{ members: { edges: { node: Row }[] } }>(
      `query($unitId: ID!) { members(first: 1, filter: { unitId: $unitId, status: [OFFICIAL], hasNationalId: true }) { edges { node { ${MEMBER_FIELDS} } } } }`,
      { unitId: me.data!.me.unit.id },
      admin,
    );
    const theirs = sontra.data!.members.edges[0]!.node;
    expect(theirs.nationalId).toMatch(/^\d{12}$/);

    const page = await w.newPage();
    await w.signIn(page, 'sontra.viewer');
    await open(page, `#/members/${haichau[0]!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy hồ sơ' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(haichau[0]!.fullName);

    await open(page, `#/members/${theirs.id}`);
    await page.getByRole('heading', { level: 1, name: theirs.fullName }).waitFor();
    const identity = region(page, 'Sơ yếu lý lịch');
    await poll(() => identity.textContent(), /Số CCCD\(không được xem\)/);
    const text = (await page.locator('main').textContent())!;
    expect(text).not.toContain(theirs.nationalId!);
    expect(text).toMatch(/Số điện thoại\(không được xem\)/);
    expect(await region(page, 'Kỷ luật').textContent()).toContain('(không được xem)');
    expect(await region(page, 'Quan hệ gia đình').textContent()).toContain('(không được xem)');
    // A viewer changes nothing: no edit link.
    expect(await page.getByRole('link', { name: 'Sửa hồ sơ' }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page);
  });

  it('the file as of a day before a change shows the value it had then, and says it is not the current file', async () => {
    const member = haichau[3]!;
    // The demo's records carry no history of their own: a change today is the only one.
    const changedTo = `0481${String(Date.now()).slice(-8)}`;
    const update = await w.t.gql(
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { version } userErrors { message } } }`,
      { input: { id: member.id, expectedVersion: (await readMember(member.id)).version, nationalId: changedTo, reason: 'Cấp lại CCCD' } },
      admin,
    );
    expect(update.data.updateMember.userErrors).toEqual([]);

    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await open(page, `#/members/${member.id}`);
    const identity = region(page, 'Sơ yếu lý lịch');
    await poll(() => identity.textContent(), new RegExp(`Số CCCD${changedTo}`));

    await page.getByLabel('Xem hồ sơ tại ngày').fill('31/02/2025');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    expect(await description(page.getByLabel('Xem hồ sơ tại ngày'))).toContain('dd/mm/yyyy');

    // The file of another day that cannot be read (the server busy): an error, and no file at all,
    // never the current one left on screen under "hồ sơ tại ngày 01/02/2025".
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { query: string; variables: { asOf?: string | null } };
      if (/query MemberFile\b/.test(body.query) && body.variables.asOf?.startsWith('2025-02-01')) {
        await route.fulfill({ json: { errors: [{ message: 'Máy chủ đang bận, xin thử lại sau ít phút.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] } });
      } else await route.continue();
    });
    await page.getByLabel('Xem hồ sơ tại ngày').fill('01/02/2025');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.locator('.error-box').filter({ hasText: 'Máy chủ đang bận' }).waitFor();
    expect(await region(page, 'Sơ yếu lý lịch').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(changedTo);
    expect(await page.getByText('như đã ghi đến hết ngày').count()).toBe(0);
    await page.unroute('**/graphql');

    await page.getByLabel('Xem hồ sơ tại ngày').fill('01/01/2025');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'như đã ghi đến hết ngày 01/01/2025' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('hồ sơ tại ngày 01/01/2025');
    await poll(() => identity.textContent(), new RegExp(`Số CCCD${member.nationalId}`));
    expect(await identity.textContent()).not.toContain(changedTo);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Xem hồ sơ hiện tại' }).click();
    await poll(() => identity.textContent(), new RegExp(`Số CCCD${changedTo}`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toContain('hồ sơ tại ngày');
    expectClean(page);
  });

  it('editing: the API’s message beside the field it names; a valid value saves, shows in the file and its history with the reason', async () => {
    const member = haichau[5]!;
    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await open(page, `#/members/${member.id}`);
    await page.getByRole('link', { name: 'Sửa hồ sơ' }).click();
    await page.getByRole('heading', { level: 1, name: `Sửa hồ sơ: ${member.fullName}` }).waitFor();
    const nationalId = page.getByLabel('Số CCCD');
    expect(await nationalId.inputValue()).toBe(member.nationalId);

    // The API's own messages for the same change (refused, nothing written), said in Vietnamese on screen.
    const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { userErrors { field message } } }`;
    const refusal = async (input: Record<string, unknown>, field: string): Promise<string> => {
      const result = await w.t.gql(UPDATE, { input: { id: member.id, expectedVersion: member.version, ...input } }, admin);
      const message: string = result.data.updateMember.userErrors.find((e: { field: string[] }) => e.field.at(-1) === field)?.message;
      expect(message, `the API refuses ${JSON.stringify(input)} on ${field}`).toBeTruthy();
      const said = vietnameseMessage(message);
      expect(said).not.toBe(message);
      return said;
    };
    await nationalId.fill('12345');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => nationalId.getAttribute('aria-invalid')).toBe('true');
    expect(await description(nationalId)).toContain(await refusal({ nationalId: '12345' }, 'nationalId'));
    expect(await description(nationalId)).toContain('Số CCCD phải gồm đúng 12 chữ số.');
    // A sensitive field is amended with its legal basis: the API asks for the reason, beside it.
    const reason = page.getByLabel('Lý do, căn cứ pháp lý');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await description(reason)).toContain(await refusal({ nationalId: '12345' }, 'reason'));
    expect(await description(reason)).toContain('phải ghi lý do');
    // The focus is on the first field at fault, and what was typed is kept.
    expect(await nationalId.evaluate(new Function('element', 'return element === document.activeElement') as (element: unknown) => boolean)).toBe(true);
    expect(await nationalId.inputValue()).toBe('12345');
    expect(await page.getByLabel('Quê quán').getAttribute('aria-invalid')).toBeNull();
    await screenshot(page, 'edit-validation-error');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A birth date after the admission: the API's rule, beside the birth date.
    const birth = page.getByLabel('Ngày sinh');
    const birthBefore = await birth.inputValue();
    await birth.fill('01/01/2090');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => birth.getAttribute('aria-invalid')).toBe('true');
    expect(await description(birth)).toContain(await refusal({ dateOfBirth: '2090-01-01' }, 'dateOfBirth'));
    await birth.fill(birthBefore);

    const newId = `0480${String(Date.now()).slice(-8)}`;
    await nationalId.fill(newId);
    await reason.fill('Cấp lại CCCD theo giấy xác nhận của Công an phường');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu thay đổi hồ sơ.' }).waitFor();
    expect(await page.evaluate('window.location.hash')).toBe(`#/members/${member.id}?saved=1`);
    await poll(() => region(page, 'Sơ yếu lý lịch').textContent(), new RegExp(`Số CCCD${newId}`));
    const history = region(page, 'Lịch sử thay đổi');
    await poll(() => history.textContent(), /Lý do: Cấp lại CCCD theo giấy xác nhận của Công an phường/);
    expect(await history.textContent()).toContain(`Số CCCD: ${member.nationalId} → ${newId}`);
    expect(await history.textContent()).toContain('haichau');
    expect((await readMember(member.id)).nationalId).toBe(newId);
    expectClean(page);
  });

  it('a conflict names the field someone else changed meanwhile; re-applying saves both changes', async () => {
    const member = haichau[7]!;
    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await open(page, `#/members/${member.id}/edit`);
    await page.getByRole('heading', { level: 1, name: `Sửa hồ sơ: ${member.fullName}` }).waitFor();
    await page.getByLabel('Số điện thoại').fill('0905000111');
    await page.getByLabel('Lý do, căn cứ pháp lý').fill('Đảng viên báo số điện thoại mới');

    // Meanwhile the city's staff correct the home town.
    const theirs = 'Quê quán do Thành ủy sửa';
    const before = await readMember(member.id);
    const update = await w.t.gql(
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { version } userErrors { message } } }`,
      { input: { id: member.id, expectedVersion: before.version, homeTown: theirs } },
      admin,
    );
    expect(update.data.updateMember.userErrors).toEqual([]);

    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByRole('heading', { level: 2, name: 'Hồ sơ đã được người khác lưu trong lúc bạn sửa' }).waitFor();
    const table = page.getByRole('table', { name: 'Những trường đã thay đổi' });
    const row = table.getByRole('row', { name: /Quê quán/ });
    expect(await row.textContent()).toContain(theirs);
    expect(await table.getByRole('row').count()).toBe(2); // the header and the one field changed
    // Nothing of the user's was lost.
    expect(await page.getByLabel('Số điện thoại').inputValue()).toBe('0905000111');
    await screenshot(page, 'edit-conflict');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Áp dụng lại thay đổi của tôi và lưu' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu thay đổi hồ sơ.' }).waitFor();
    const identity = region(page, 'Sơ yếu lý lịch');
    await poll(() => identity.textContent(), /Số điện thoại0905000111/);
    expect(await identity.textContent()).toContain(`Quê quán${theirs}`);
    const after = await readMember(member.id);
    expect([after.phone, after.homeTown]).toEqual(['0905000111', theirs]);
    expect(after.version).toBe(before.version + 2);
    expectClean(page);
  });
});
