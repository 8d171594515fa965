import { describe, expect, it } from 'vitest';
import { validateDecisionDate } from '../graphql/decision';
import {
  correctionChangesExpulsion,
  disciplineDecisionBounds,
  disciplineRefusals,
  missingExpulsionEntry,
  statusOnDay,
} from './discipline';
import type { MemberStatus } from './member.entity';
import type { DisciplineForm } from './sub-records.entity';

const form = (f: string) => f as DisciplineForm;
const status = (s: string) => s as MemberStatus;
const decision = (date: string) => ({ date });

describe('a discipline entry', () => {
  it('rests on its decision, and is dated by it', () => {
    expect(disciplineRefusals({ form: form('WARNING'), decidedOn: '2025-03-01' }, null, status('OFFICIAL'), null)).toEqual([
      { path: ['decision'], message: expect.stringMatching(/rests on its decision/) },
    ]);
    expect(disciplineRefusals({ form: form('WARNING'), decidedOn: '2025-03-02' }, decision('2025-03-01'), status('OFFICIAL'), null)).toEqual([
      { path: ['discipline', 'decidedOn'], message: expect.stringMatching(/2025-03-01/) },
    ]);
    expect(disciplineRefusals({ form: form('WARNING'), decidedOn: '2025-03-01' }, decision('2025-03-01'), status('OFFICIAL'), null)).toEqual([]);
  });

  it('a probationary member (on the day decided) only reprimanded or warned', () => {
    const on = decision('2025-03-01');
    expect(disciplineRefusals({ form: form('DISMISSAL'), decidedOn: '2025-03-01' }, on, status('PROBATIONARY'), true).map((r) => r.path)).toEqual([['discipline', 'form']]);
    expect(disciplineRefusals({ form: form('REPRIMAND'), decidedOn: '2025-03-01' }, on, status('PROBATIONARY'), null)).toEqual([]);
  });

  it('dismissal from post needs a post held that day', () => {
    const on = decision('2025-03-01');
    expect(disciplineRefusals({ form: form('DISMISSAL'), decidedOn: '2025-03-01' }, on, status('OFFICIAL'), false)).toEqual([
      { path: ['discipline', 'form'], message: expect.stringMatching(/needs a post the member held on 2025-03-01/) },
    ]);
    expect(disciplineRefusals({ form: form('DISMISSAL'), decidedOn: '2025-03-01' }, on, status('OFFICIAL'), true)).toEqual([]);
  });

  it('its decision is not dated before birth or admission', () => {
    const bounds = disciplineDecisionBounds({ dateOfBirth: '1990-04-02', joinedOn: '2015-06-01' });
    expect(validateDecisionDate({ date: '1950-01-01' }, bounds)[0].message).toMatch(/before the date of birth/);
    expect(validateDecisionDate({ date: '2014-12-31' }, bounds)[0].message).toMatch(/before the admission/);
    expect(validateDecisionDate({ date: '2015-06-01' }, bounds)).toEqual([]);
  });
});

describe('after leaving', () => {
  const expelled = { status: status('EXPELLED'), leftOn: '2024-05-01' };
  const expulsion = { form: form('EXPULSION'), decidedOn: '2024-05-01' };
  it('only the missing expulsion entry of an expelled member, dated the day they left, with a reason', () => {
    expect(missingExpulsionEntry(expelled, expulsion, false, 'Bổ sung sổ kỷ luật')).toBeNull();
    expect(missingExpulsionEntry(expelled, expulsion, false, ' ')!.path).toEqual(['reason']);
    expect(missingExpulsionEntry(expelled, { ...expulsion, decidedOn: '2024-04-01' }, false, 'x')!.path).toEqual(['discipline', 'decidedOn']);
    expect(missingExpulsionEntry(expelled, expulsion, true, 'x')!.path).toEqual(['discipline']);
    expect(missingExpulsionEntry(expelled, { ...expulsion, form: form('WARNING') }, false, 'x')!.message).toMatch(/members only/);
    expect(missingExpulsionEntry({ status: status('DECEASED'), leftOn: '2024-05-01' }, expulsion, false, 'x')!.message).toMatch(/members only/);
  });
  it('a correction never turns an entry into or out of an expulsion', () => {
    expect(correctionChangesExpulsion(form('EXPULSION'), form('WARNING'))).toBe(true);
    expect(correctionChangesExpulsion(form('WARNING'), form('EXPULSION'))).toBe(true);
    expect(correctionChangesExpulsion(form('WARNING'), form('REPRIMAND'))).toBe(false);
  });
});

describe('the status on a day', () => {
  it('reads the periods, [from, to)', () => {
    const periods = [{ status: status('PROBATIONARY'), validFrom: '2015-06-01', validTo: '2016-06-01' }, { status: status('OFFICIAL'), validFrom: '2016-06-01' }];
    expect(['2015-05-31', '2015-06-01', '2016-05-31', '2016-06-01'].map((d) => statusOnDay(periods, d))).toEqual([null, 'PROBATIONARY', 'PROBATIONARY', 'OFFICIAL']);
  });
});
