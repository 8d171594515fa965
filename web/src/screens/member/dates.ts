/**
 * The instant `member(asOf:)` is asked for when the user picks a day: the end of that day in
 * Vietnam (the API's "today" is Vietnamese time), so the day's own changes are included.
 */
export function asOfInstant(iso: string): string {
  return `${iso}T23:59:59.999+07:00`;
}
