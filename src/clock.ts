/**
 * Today's date where the department works (Asia/Ho_Chi_Minh, UTC+7): the lifecycle's date rules
 * (12 months of probation, 36 months before readmission, 30 days to report) are counted in it.
 * Injected through AppServices so a test can set the day honestly instead of faking timers.
 */
export interface Clock {
  today(): string;
}

export const systemClock: Clock = {
  today: () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10),
};

export function fixedClock(day: string): Clock {
  return { today: () => day };
}
