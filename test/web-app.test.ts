import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../web/src/ui/format';
import { vietnameseMessage } from '../web/src/ui/messages';
import { accessibilityViolations, DEMO_PASSWORD, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

/** Opens a screen by its address, as a link does (a reload would sign out: the token lives in memory). */
async function open(page: Page, hash: string): Promise<void> {
  // A string run in the page: this project's TypeScript has no DOM types (it is server code).
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** The bodies of the GraphQL requests the page sends, from now on. */
function graphqlBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql')) bodies.push(request.postData() ?? '');
  });
  return bodies;
}

// The staff application's frame in Chromium: served at `/` under a strict policy, sign-in,
// the units tree of the account's scope, sign-out, and the session kept in memory only.
describe('staff application: sign-in and units', () => {
  let w: BrowserWorld;
  beforeAll(async () => {
    w = await startBrowserWorld();
  });
  afterAll(() => w?.close());

  it('`/` is the application under a policy that allows only this server', async () => {
    const response = await fetch(`${w.t.url}/`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await response.text();
    // No inline script: the built page only names its own files.
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    for (const [, source] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
      const asset = await fetch(`${w.t.url}${source}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
    }
    expect((await fetch(`${w.t.url}/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('a wrong password says so on the form; the right one opens the units of the account’s scope with counts', async () => {
    const page = await w.newPage();
    const bodies = graphqlBodies(page);
    await page.goto(`${w.t.url}/`);
    await page.getByLabel('Tên đăng nhập').fill('haichau');
    await page.getByLabel('Mật khẩu').fill('wrong-password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    // The API's refusal, as the form says it in Vietnamese.
    const refused = await w.t.gql(`mutation { login(input: { username: "haichau", password: "wrong-password" }) { userErrors { message } } }`);
    const english: string = refused.data.login.userErrors[0].message;
    expect(vietnameseMessage(english)).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(vietnameseMessage(english));
    await page.getByLabel('Mật khẩu').fill('hoso-demo');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Đơn vị trong phạm vi' }).waitFor();
    // The ward's own node is open (its disclosure button says so), its cells listed with their member counts.
    const ward = page.getByRole('button', { name: 'Đơn vị trực thuộc Đảng bộ phường Hải Châu' });
    expect(await ward.getAttribute('aria-expanded')).toBe('true');
    const cells = page.getByRole('listitem', { level: 2 });
    await expect.poll(() => cells.count()).toBeGreaterThan(3);
    expect(await cells.first().textContent()).toMatch(/\d+ đảng viên/);
    // The root row has its own count, as the API gives it, and its code after the name.
    const token = await w.t.login('haichau');
    const me = await w.t.gql(`{ me { unit { id code } } }`, {}, token);
    const root = await w.t.gql(`query($id: ID!) { statistics(unitId: $id) { total children { unit { id } } } }`, { id: me.data.me.unit.id }, token);
    const rootRow = page.getByRole('listitem', { level: 1 }).locator('.unit').first();
    await expect.poll(() => rootRow.textContent()).toContain(`${formatNumber(root.data.statistics.total)} đảng viên`);
    expect(await rootRow.locator('.unit-code').textContent()).toBe(me.data.me.unit.code);
    expect(await cells.count()).toBe(root.data.statistics.children.length);
    // One request answered the root's count and its children.
    expect(bodies.filter((body) => body.includes('UnitChildren')).length).toBe(1);
    // Nothing of a unit outside the scope (Sơn Trà) appears.
    expect(await page.locator('main').textContent()).not.toContain('Sơn Trà');
    await screenshot(page, 'units');
    expect(await accessibilityViolations(page)).toEqual([]);
    // By keyboard: the disclosure button closes and opens the ward again, without asking the server again.
    await ward.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => ward.getAttribute('aria-expanded')).toBe('false');
    expect(await cells.count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => cells.count()).toBe(root.data.statistics.children.length);
    expect(bodies.filter((body) => body.includes('UnitChildren')).length).toBe(1);
    expectClean(page, [/401|Failed to load resource/]);
  });

  it('a malformed address shows a message in the frame, not a blank page', async () => {
    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await open(page, '#/members/%E0');
    // The frame stays: the menu, and a screen that says what it could not show.
    await expect.poll(async () => (await page.locator('main').textContent())?.trim().length ?? 0).toBeGreaterThan(0);
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đơn vị' }).click();
    await page.getByRole('heading', { name: 'Đơn vị trong phạm vi' }).waitFor();
    expectClean(page);
  });

  it('signing out forgets the session: a reload asks for the password again', async () => {
    const page = await w.newPage();
    await w.signIn(page, 'haichau');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByLabel('Mật khẩu').waitFor();
    await w.signIn(page, 'haichau');
    await page.reload();
    await page.getByLabel('Mật khẩu').waitFor();
    // Nothing of the session was kept where a script could read it back.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);
    expectClean(page);
  });

  it('the auditor sees the audit menu and not the member list', async () => {
    const page = await w.newPage();
    await w.signIn(page, 'auditor');
    const nav = page.getByRole('navigation', { name: 'Chức năng' });
    await expect.poll(() => nav.getByRole('link', { name: 'Nhật ký' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Đảng viên' }).count()).toBe(0);
    expectClean(page);
  });
});

// Tokens live 60 s here (the shortest HOSO_TOKEN_TTL allows): the session expires during each test.
describe('staff application: an expired session', () => {
  let w: BrowserWorld;
  interface Row {
    id: string;
    fullName: string;
    phone: string | null;
    version: number;
  }
  const FIELDS = 'id fullName phone version';

  beforeAll(async () => {
    w = await startBrowserWorld({ HOSO_TOKEN_TTL: '60' });
  });
  afterAll(() => w?.close());

  /** Official members in `username`'s scope, read with that account's token. */
  async function membersOf(username: string): Promise<Row[]> {
    const token = await w.t.login(username);
    const list = await w.t.gql(`{ members(first: 10, filter: { status: [OFFICIAL] }) { edges { node { ${FIELDS} } } } }`, {}, token);
    return list.data.members.edges.map((edge: { node: Row }) => edge.node);
  }

  async function readMember(id: string): Promise<Row> {
    const token = await w.t.login('admin');
    return (await w.t.gql(`query($id: ID!) { member(id: $id) { ${FIELDS} } }`, { id }, token)).data.member;
  }

  /**
   * Signs in as haichau, opens `member`'s edit form and types a new phone number (and the reason
   * the API asks for), then waits until the browser's token has expired: a token taken just after
   * the browser's own is polled, so the wait is no longer than the TTL needs.
   */
  async function editUntilExpired(page: Page, member: Row): Promise<string> {
    await w.signIn(page, 'haichau');
    const probe = await w.t.login('haichau');
    await open(page, `#/members/${member.id}/edit`);
    await page.getByRole('heading', { name: `Sửa hồ sơ: ${member.fullName}` }).waitFor();
    const phone = `0905${String(Date.now()).slice(-6)}`;
    expect(phone).not.toBe(member.phone);
    await page.getByLabel('Số điện thoại').fill(phone);
    await page.getByLabel('Lý do, căn cứ pháp lý').fill('Đảng viên báo số điện thoại mới.');
    await expect
      .poll(async () => (await w.t.gql('{ me { id } }', {}, probe)).errors?.[0]?.extensions?.code, { timeout: 80_000, interval: 1_000 })
      .toBe('UNAUTHENTICATED');
    return phone;
  }

  it('a form’s input survives: the save asks for the password over a hidden screen, a wrong one keeps the dialog, the right one saves what was typed', async () => {
    const [member] = await membersOf('haichau');
    const page = await w.newPage();
    const phone = await editUntilExpired(page, member!);
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phiên làm việc đã hết hạn' });
    await dialog.waitFor();
    // The screen is still there with what was typed, but hidden: out of sight, of the keyboard and of screen readers.
    const input = page.locator('input[name="phone"]');
    expect(await input.inputValue()).toBe(phone);
    expect(await input.isHidden()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Chức năng' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Lưu thay đổi' }).count()).toBe(0);
    // One main landmark at most: the dialog has none of its own, the hidden screen's is out of the tree.
    expect(await dialog.locator('main').count()).toBe(0);
    expect(await page.getByRole('main').count()).toBe(0);
    expect(await page.evaluate(`!!document.activeElement.closest('[role="dialog"]')`)).toBe(true);
    expect(await dialog.getByLabel('Tên đăng nhập').inputValue()).toBe('haichau');
    await screenshot(page, 'session-expired');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A wrong password: the dialog says so and stays; the save is still held, the input still kept.
    await dialog.getByLabel('Mật khẩu').fill('wrong-password');
    await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(await dialog.isVisible()).toBe(true);
    expect(await input.inputValue()).toBe(phone);
    expect((await readMember(member!.id)).phone).toBe(member!.phone);

    // The right one: the held save goes through with the value typed before the session expired.
    await dialog.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Đã lưu thay đổi hồ sơ.').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/members/${member!.id}?saved=1`);
    await expect.poll(() => page.locator('main').textContent()).toContain(phone);
    const saved = await readMember(member!.id);
    expect(saved.phone).toBe(phone);
    expect(saved.version).toBe(member!.version + 1);
    expect(await accessibilityViolations(page)).toEqual([]);
    // The refused save is a 401 in the console; nothing else went wrong.
    expectClean(page, [/status of 401/]);
  }, 170_000);

  it('another user signing in at the dialog starts afresh: the first user’s form is gone and its save is never sent', async () => {
    // A member of thachthang's cell, inside haichau's ward too: a save sent again with thachthang's token would succeed.
    const [member] = await membersOf('thachthang');
    const page = await w.newPage();
    const bodies = graphqlBodies(page);
    const phone = await editUntilExpired(page, member!);
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phiên làm việc đã hết hạn' });
    await dialog.waitFor();
    const saves = bodies.filter((body) => body.includes('updateMember')).length;
    expect(saves).toBe(1);
    await dialog.getByLabel('Tên đăng nhập').fill('thachthang');
    await dialog.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The first screen of thachthang, from the start: the units of the cell, nothing of haichau's form.
    await page.getByRole('heading', { name: 'Đơn vị trong phạm vi' }).waitFor();
    expect(await page.evaluate('window.location.hash')).toBe('#/');
    expect(await page.locator('header').textContent()).toContain('thachthang');
    expect(await page.locator('input[name="phone"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(phone);
    await expect.poll(() => page.getByRole('listitem', { level: 1 }).textContent()).toMatch(/\d+ đảng viên/);
    // The held save was dropped, not sent again with the new user's token.
    expect(bodies.filter((body) => body.includes('updateMember')).length).toBe(saves);
    expect((await readMember(member!.id)).phone).toBe(member!.phone);
    expectClean(page, [/status of 401/]);
  }, 170_000);
});
