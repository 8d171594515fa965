import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ruleSettings } from './config';

describe('rule settings from HOSO_RULES_FILE', () => {
  const defaults = { waits: { REPRIMAND: 6, WARNING: 9 }, early: [{ from: 30, months: 12 }], cap: null as string | null, on: true };

  it('answers the defaults when the department set nothing', () => {
    expect(ruleSettings({ ruleOverrides: {} }, 'badges', defaults)).toEqual(defaults);
  });

  it('lays the department section over the defaults key by key', () => {
    const got = ruleSettings({ ruleOverrides: { badges: { waits: { WARNING: 12 }, cap: 'HOAN_THANH' } } }, 'badges', defaults);
    expect(got).toEqual({ waits: { REPRIMAND: 6, WARNING: 12 }, early: [{ from: 30, months: 12 }], cap: 'HOAN_THANH', on: true });
  });

  it('refuses an unknown key or a value of the wrong type, naming it', () => {
    expect(() => ruleSettings({ ruleOverrides: { badges: { wait: {} } } }, 'badges', defaults)).toThrow(/badges\.wait is not a setting/);
    expect(() => ruleSettings({ ruleOverrides: { badges: { waits: { WARNING: '9' } } } }, 'badges', defaults)).toThrow(ConfigError);
    expect(() => ruleSettings({ ruleOverrides: { badges: { early: [{ from: 'x' }] } } }, 'badges', defaults)).toThrow(/early\[0\]\.from/);
  });
});

describe('the read replica and the TLS settings', () => {
  const production = { NODE_ENV: 'production', HOSO_JWT_SECRET: 'x'.repeat(40) };

  it('HOSO_READ_DATABASE_URL is optional and must be a postgres:// connection string', () => {
    expect(loadConfig({}).readDatabaseUrl).toBeUndefined();
    expect(loadConfig({ HOSO_READ_DATABASE_URL: '' }).readDatabaseUrl).toBeUndefined();
    expect(loadConfig({ HOSO_READ_DATABASE_URL: 'postgres://hoso_api:pw@replica:5432/hoso' }).readDatabaseUrl).toBe('postgres://hoso_api:pw@replica:5432/hoso');
    expect(() => loadConfig({ HOSO_READ_DATABASE_URL: 'mysql://replica/hoso' })).toThrow(/HOSO_READ_DATABASE_URL must be a postgres/);
  });

  it('cookies are Secure in production unless HOSO_BEHIND_TLS says otherwise, and not elsewhere unless it says so', () => {
    expect(loadConfig({}).behindTls).toBe(false);
    expect(loadConfig(production).behindTls).toBe(true);
    expect(loadConfig({ ...production, HOSO_BEHIND_TLS: 'false' }).behindTls).toBe(false);
    expect(loadConfig({ HOSO_BEHIND_TLS: 'true' }).behindTls).toBe(true);
    expect(() => loadConfig({ HOSO_BEHIND_TLS: 'maybe' })).toThrow(/HOSO_BEHIND_TLS must be true or false/);
  });
});
