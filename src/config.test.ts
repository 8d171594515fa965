import { describe, expect, it } from 'vitest';
import { ConfigError, ruleSettings } from './config';

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
