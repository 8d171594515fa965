/**
 * Unit codes (mã tổ chức), docs/domain.md "The unit tree and its codes": the parent's code, a dot,
 * and the name in upper-case ASCII without diacritics or spaces (`DN.HAICHAU.THACHTHANG`). A code is
 * made once, when the unit is created, and never changes nor goes to another unit. The one home of
 * the rule: the demo seed and reorganiseUnits both use it. Pure, no database.
 */
import { MAX_UNIT_CODE_LENGTH } from '../graphql/ids';

/** Upper-case ASCII without diacritics or spaces: "Hải Châu I" → "HAICHAUI". */
export function codeOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
}

/**
 * The words a unit's full name starts with that say what kind of organisation it is, not which
 * one: "Đảng bộ phường Thạch Thang" is coded THACHTHANG, as the seed codes it from the place name.
 * First the party organisation, then the administrative level of the place.
 */
const ORGANISATION_PREFIX = /^(đảng bộ|đảng ủy|đảng uỷ|chi bộ)\s+/iu;
const PLACE_PREFIX = /^(thành phố|tỉnh|quận|huyện|thị xã|thị trấn|phường|xã|đặc khu)\s+/iu;

/**
 * The last segment of the code of a unit named `name`: the name without the kind-of-organisation
 * words, in codeOf's form ("Đảng bộ phường Hải Châu" → "HAICHAU", "Chi bộ khu dân cư số 9" →
 * "KHUDANCUSO9"); the whole name when nothing else is left, "U" for a name with no letter or digit.
 */
export function codeSegmentOf(name: string): string {
  const trimmed = name.normalize('NFC').trim();
  const place = trimmed.replace(ORGANISATION_PREFIX, '').replace(PLACE_PREFIX, '');
  return codeOf(place) || codeOf(trimmed) || 'U';
}

/**
 * The code candidates of a new unit under the parent coded `parentCode`, in the order they are
 * tried: the plain one, then a suffix 2, 3, … on the last segment (DN.HAICHAU2) for a code already
 * held by any unit, alive or ended, since codes are never reused.
 */
export function* codeCandidates(parentCode: string, name: string): Generator<string> {
  // A code must fit the `code` arguments that look units up (unit(code:), a transfer's
  // toUnitCode): the segment is cut to leave room for a suffix of up to three digits.
  const room = Math.max(1, MAX_UNIT_CODE_LENGTH - parentCode.length - 1 - 3);
  const base = `${parentCode}.${codeSegmentOf(name).slice(0, room)}`;
  yield base;
  for (let n = 2; ; n++) yield `${base}${n}`;
}
