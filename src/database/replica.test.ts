import { describe, expect, it } from 'vitest';
import { laterLsn, parseLsn, readAfterCookie, readAfterOf, replayedSql } from './replica';

describe('WAL positions from clients (Hoso-Read-After, hoso_read_after)', () => {
  it('accepts only PostgreSQL’s own form of a pg_lsn', () => {
    for (const good of ['0/0', '0/16B3748', 'FFFFFFFF/FFFFFFFF', '1A/0']) expect(parseLsn(good)).toBe(good);
    for (const bad of ['', '0/16b3748', '123456789/0', '0/0/0', '/0', '0/', "0/0'; drop table member; --", ' 0/0', 'G/0', 12, null, undefined]) {
      expect(parseLsn(bad)).toBeNull();
    }
  });

  it('compares positions as numbers, not as text', () => {
    expect(laterLsn('0/FFFFFFFF', '1/0')).toBe('1/0');
    expect(laterLsn('A/1', '9/FFFFFFFF')).toBe('A/1');
    expect(laterLsn('0/9', '0/10')).toBe('0/10');
    expect(laterLsn(null, '0/1')).toBe('0/1');
    expect(laterLsn('0/1', null)).toBe('0/1');
    expect(laterLsn(null, null)).toBeNull();
  });

  it('reads the header and the cookie, the later of the two, and ignores a malformed one', () => {
    expect(readAfterOf({})).toBeNull();
    expect(readAfterOf({ 'hoso-read-after': '0/20' })).toBe('0/20');
    expect(readAfterOf({ cookie: 'theme=dark; hoso_read_after=0/30; other=1' })).toBe('0/30');
    expect(readAfterOf({ 'hoso-read-after': '0/20', cookie: 'hoso_read_after=1/0' })).toBe('1/0');
    expect(readAfterOf({ 'hoso-read-after': '2/0', cookie: 'hoso_read_after=1/0' })).toBe('2/0');
    expect(readAfterOf({ 'hoso-read-after': "0/0'--", cookie: 'hoso_read_after=nonsense' })).toBeNull();
    expect(readAfterOf({ cookie: 'not_hoso_read_after=0/40' })).toBeNull();
  });

  it('hands a browser the position in a short-lived cookie scripts cannot read, Secure behind TLS', () => {
    expect(readAfterCookie('0/16B3748', false)).toBe('hoso_read_after=0/16B3748; Max-Age=300; Path=/; HttpOnly; SameSite=Strict');
    expect(readAfterCookie('0/16B3748', true)).toBe('hoso_read_after=0/16B3748; Max-Age=300; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  it('asks the replica with a checked literal, and never for a malformed position', () => {
    expect(replayedSql('0/16B3748')).toBe(`select coalesce(pg_last_wal_replay_lsn() >= '0/16B3748'::pg_lsn, false) as replayed`);
    expect(() => replayedSql("0/0'; select 1")).toThrow();
  });
});
