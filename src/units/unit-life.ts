/**
 * A unit's life (`validFrom`, `validTo`: the first day it no longer exists) against the dates
 * of what is written into it. An ended unit keeps its row and its code, so the records of its
 * time stay readable; nothing new may start in it after it ended, nor before it began.
 *
 * The one rule of the services (members, transfers, cadres), which refuse with a field-level
 * user error; migration 34 refuses the same writes from any client.
 *
 * Pure: unit-life.test.ts beside it runs in milliseconds.
 */
export interface UnitLife {
  name: string;
  validFrom?: string | null;
  validTo?: string | null;
}

/**
 * Why `unit` cannot take something running from `from` (ISO dates) to `to` (exclusive end, or
 * null: still running), or null when it can.
 */
export function unitLifeRefusal(unit: UnitLife, from: string, to: string | null = null): string | null {
  if (unit.validTo && from >= unit.validTo) {
    return `${unit.name} ended on ${unit.validTo}; its lineage names the units it went into.`;
  }
  if (unit.validFrom && from < unit.validFrom) {
    return `${unit.name} began on ${unit.validFrom}; nothing in it can start on ${from}.`;
  }
  if (unit.validTo && (to === null || to > unit.validTo)) {
    return `${unit.name} ended on ${unit.validTo}; what runs in it must end by then.`;
  }
  return null;
}
