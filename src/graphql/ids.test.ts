import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../access/api-keys';
import { isId } from './ids';

describe('record ids', () => {
  it('are 1 to 18 decimal digits, as strings', () => {
    expect(['1', '007', '123456789012345678'].map(isId)).toEqual([true, true, true]);
    expect(['', '1234567890123456789', '-1', '1.0', ' 1', '1e3', 1, null].map(isId)).toEqual([false, false, false, false, false, false, false, false]);
  });
  it('are the id of an API key', () => {
    const secret = 'a'.repeat(43);
    expect(parseApiKey(`hoso_123456789012345678_${secret}`)).toEqual({ id: '123456789012345678', secret });
    expect(parseApiKey(`hoso_1234567890123456789_${secret}`)).toBeNull();
  });
});
