import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnameseMessage } from '../web/src/ui/messages';
import { accessibilityViolations, expectClean, screenshot, startBrowserWorld, type BrowserWorld } from './support/browser';

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
    // The ward's own node is open, its cells listed with their member counts.
    const cells = page.getByRole('treeitem', { level: 2 });
    await expect.poll(() => cells.count()).toBeGreaterThan(3);
    expect(await cells.first().textContent()).toMatch(/\d+ đảng viên/);
    // Nothing of a unit outside the scope (Sơn Trà) appears.
    expect(await page.locator('main').textContent()).not.toContain('Sơn Trà');
    await screenshot(page, 'units');
    expect(await accessibilityViolations(page)).toEqual([]);
    expectClean(page, [/401|Failed to load resource/]);
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

// Tokens live 60 s here (the shortest HOSO_TOKEN_TTL allows): the session expires during the test.
describe('staff application: an expired session', () => {
  let w: BrowserWorld;
  beforeAll(async () => {
    w = await startBrowserWorld({ HOSO_TOKEN_TTL: '60' });
  });
  afterAll(() => w?.close());

  it('asks for the password over the screen, keeps what it showed, and sends the refused request again', async () => {
    const page = await w.newPage();
    await w.signIn(page, 'admin');
    const open = page.getByRole('button', { name: 'Mở Đảng bộ phường Hải Châu' });
    await open.waitFor();
    const before = await page.locator('main').textContent();
    await page.waitForTimeout(62_000);
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Phiên làm việc đã hết hạn' });
    await dialog.waitFor();
    // The screen under the dialog is the one the user left, not the sign-in page.
    expect(await page.locator('main#main').textContent()).toContain('Đơn vị trong phạm vi');
    expect(await dialog.getByLabel('Tên đăng nhập').inputValue()).toBe('admin');
    await dialog.getByLabel('Mật khẩu').fill('hoso-demo');
    await dialog.getByRole('button', { name: 'Đăng nhập' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The expansion that was refused is answered now: Hải Châu's cells, with counts, under the same tree.
    const hai = page.getByRole('treeitem', { name: /Đảng bộ phường Hải Châu/ });
    await expect.poll(() => hai.getByRole('treeitem').count()).toBeGreaterThan(3);
    expect(before).toContain('Đảng bộ phường Hải Châu');
    expect(await accessibilityViolations(page)).toEqual([]);
    // The refused request is a 401 in the console; nothing else went wrong.
    expectClean(page, [/status of 401/]);
  }, 150_000);
});
