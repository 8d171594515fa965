import { parseDate } from '../../ui/format';

/** A typed dd/mm/yyyy as ISO when it is a real calendar day (31/02 is not), else null. */
export function readDate(text: string): string | null {
  const iso = parseDate(text);
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? iso : null;
}

/**
 * The instant `member(asOf:)` is asked for when the user picks a day: the end of that day in
 * Vietnam (the API's "today" is Vietnamese time), so the day's own changes are included.
 */
export function asOfInstant(iso: string): string {
  return `${iso}T23:59:59.999+07:00`;
}
