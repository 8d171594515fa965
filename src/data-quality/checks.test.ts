import { describe, expect, it } from 'vitest';
import { ADMISSION_AGE_MONTHS } from '../members/lifecycle';
import { BADGE_DEFAULTS } from '../members/party-badges';
import { RATING_DEFAULTS } from '../members/ratings';
import { CADRE_RULES, planningPeriodProblems } from '../cadres/cadre-rules';
import { DATA_QUALITY_RULES, DATA_QUALITY_RULE_CODES, RECORD_KINDS, ruleOf, rulesFor, yearsAndMonths } from './checks';
import { DATA_QUALITY_QUERIES, dataQualitySql } from './data-quality.queries';

const settings = { ratings: RATING_DEFAULTS, badges: BADGE_DEFAULTS, cadres: CADRE_RULES, unreadableEducation: ['8/11'] };
/** The where-clause of the planning check evaluated in JavaScript (SQL % keeps the sign; the clause adds n first). */
function evalNotATerm(sql: string, start: number, end: number): boolean {
  const clause = sql.slice(sql.indexOf('where') + 5).replace(/pe\.period_start/g, String(start)).replace(/pe\.period_end/g, String(end));
  return Function(`return ${clause.replace(/<>/g, '!==').replace(/\bor\b/g, '||')};`)() as boolean;
}
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('data quality checks', () => {
  it('one rule entry and one query per code, each with a description and a source', () => {
    expect(DATA_QUALITY_RULES.map((r) => r.code)).toEqual([...DATA_QUALITY_RULE_CODES]);
    for (const rule of DATA_QUALITY_RULES) {
      expect(rule.description.length, rule.code).toBeGreaterThan(20);
      expect(rule.source.length, rule.code).toBeGreaterThan(10);
      expect(typeof DATA_QUALITY_QUERIES[rule.code], rule.code).toBe('function');
    }
  });

  it("every message names the field to fix, as the rule's field says", () => {
    for (const rule of DATA_QUALITY_RULES) {
      for (const kind of RECORD_KINDS) {
        const message = rule.message({ rule: rule.code, memberId: '1', recordKind: kind, recordId: '2', detail: '2010' });
        const field = rule.field(kind);
        // The message names the field (a decision's date is named as such).
        expect(message, `${rule.code} ${kind}`).toContain(field.split('.').slice(0, 2).join('.'));
      }
    }
  });

  it('the checks over the discipline register, health data and religion run only for roles that may read sensitive data', () => {
    const staff = rulesFor(true);
    expect(staff.checked).toHaveLength(DATA_QUALITY_RULES.length);
    expect(staff.notChecked).toEqual([]);
    const viewer = rulesFor(false);
    expect(viewer.notChecked.map((r) => r.code)).toEqual([
      'RATING_ABOVE_DISCIPLINE_LIMIT', 'BADGE_NOT_REACHED', 'EXPELLED_WITHOUT_EXPULSION', 'EXPULSION_WITHOUT_EXPELLED_STATUS', 'DISMISSAL_WITHOUT_POST',
      'DISCIPLINE_WITHOUT_DECISION', 'DISCIPLINE_DECISION_BEFORE_ADMISSION', 'RETIRED_RELIGION_CODE',
    ]);
    expect(viewer.checked.some((r) => r.sensitive)).toBe(false);
    // Asking for one rule: only it, and for a viewer a sensitive one is reported as not checked.
    expect(rulesFor(true, ['BADGE_TWICE']).checked.map((r) => r.code)).toEqual(['BADGE_TWICE']);
    expect(rulesFor(false, ['DISMISSAL_WITHOUT_POST'])).toEqual({ checked: [], notChecked: [ruleOf('DISMISSAL_WITHOUT_POST')] });
  });

  it('ages in months read as years and months: 60 years 11 months is 731 months', () => {
    expect(yearsAndMonths(731)).toBe('60 years 11 months');
    expect(yearsAndMonths(216)).toBe('18 years');
    expect(yearsAndMonths(13)).toBe('1 year 1 month');
    expect(ruleOf('ADMISSION_AGE_OUTSIDE_LIMITS').message({ rule: 'ADMISSION_AGE_OUTSIDE_LIMITS', memberId: '1', recordKind: 'MEMBER', recordId: '1', detail: '731' }))
      .toContain('60 years 11 months old at admission');
  });

  it('the figures come from the rule files: admission age in months, the rating cap, the badge allowances', () => {
    const q = { ...settings, param: () => '?' };
    const age = DATA_QUALITY_QUERIES.ADMISSION_AGE_OUTSIDE_LIMITS(q);
    expect(age).toContain(`< ${ADMISSION_AGE_MONTHS.min}`);
    expect(age).toContain(`> ${ADMISSION_AGE_MONTHS.max}`);
    // Default cap "not completed": every category above it is listed.
    expect(DATA_QUALITY_QUERIES.RATING_ABOVE_DISCIPLINE_LIMIT(q)).toContain(`in ('XUAT_SAC', 'TOT', 'HOAN_THANH')`);
    // A cap at the top turns the check off.
    expect(DATA_QUALITY_QUERIES.RATING_ABOVE_DISCIPLINE_LIMIT({ ...q, ratings: { disciplinedCap: 'XUAT_SAC' } })).toContain('where false');
    const badge = DATA_QUALITY_QUERIES.BADGE_NOT_REACHED(q);
    expect(badge).toContain('when 30 then 12');
    expect(badge).toContain('when 90 then 24');
    expect(DATA_QUALITY_QUERIES.BADGE_NOT_REACHED({ ...q, badges: { ...BADGE_DEFAULTS, posthumousEarlyMonths: 7 } })).toContain('then 7 else 0');
    // The planning terms: the SQL twin agrees with the rule over every period of two decades.
    const notATerm = DATA_QUALITY_QUERIES.PLANNING_PERIOD_NOT_A_TERM(q);
    expect(notATerm).toContain('% 5');
    for (let start = 2015; start <= 2035; start++) {
      for (const length of [3, 4, 5, 6]) {
        const sqlSays = evalNotATerm(notATerm, start, start + length);
        expect(sqlSays, `${start}-${start + length}`).toBe(planningPeriodProblems(start, start + length, CADRE_RULES).length > 0);
      }
    }
    // Deaths need no cause given; the other departures do.
    expect(DATA_QUALITY_QUERIES.DEPARTURE_WITHOUT_CAUSE(q)).toContain(`in ('REMOVED', 'EXPELLED', 'RESIGNED')`);
  });

  it('one value for each placeholder, in order, with or without a cursor', () => {
    for (const after of [null, { memberId: '5', rule: 'BADGE_TWICE', recordId: '7' }]) {
      const { sql, values } = dataQualitySql(
        { scopePath: '1', unitPath: '1.2', rules: [...DATA_QUALITY_RULE_CODES], listed: ['BADGE_TWICE'], after, limit: 21 },
        settings,
      );
      expect(placeholders(sql)).toBe(values.length);
      expect(values[0]).toBe('1');
      expect(values[1]).toBe('1.2');
      expect(values[values.length - 1]).toBe(21);
    }
  });
});
