import { describe, expect, it } from 'vitest';
import { Gender } from '../members/member.entity';
import { CellIndex, changesFor, readRow, type MemberColumnsRow } from './import-rules';

const cells = new CellIndex(
  [
    { id: '11', code: 'DN.A.CB01', name: 'Chi bộ khu dân cư số 1', validFrom: null, validTo: null },
    { id: '12', code: 'DN.A.CB02', name: 'Chi bộ Trường học', validFrom: null, validTo: null },
    { id: '13', code: 'DN.B.CB02', name: 'Chi bộ Trường học', validFrom: null, validTo: null },
    { id: '14', code: 'DN.A.CB09', name: 'Chi bộ đã giải thể', validFrom: null, validTo: '2025-07-01' },
  ],
  'Phường A',
);
const context = { cells, today: '2026-11-20', cardNumberPattern: /^[0-9]{8}$/ };
const base = { fullName: 'Nguyễn Văn An', dateOfBirth: '12/03/1980', gender: 'Nam', joinedOn: '01/06/2005', cell: 'DN.A.CB01' };
const read = (values: Record<string, string | number | Date>) => readRow({ rowNumber: 2, values, cells: [] }, context);
const problems = (values: Record<string, string | number | Date>) => {
  const result = read({ ...base, ...values });
  return 'problems' in result ? result.problems : [];
};

describe('an imported row read into a record', () => {
  it('reads the values, the cell by code or by a name unique under the unit', () => {
    const result = read({ ...base, cell: 'chi bo khu dan cu so 1', ethnicity: 'Kinh', religion: 'Không', officialOn: '01/06/2006' });
    expect(result).toEqual({
      values: {
        fullName: 'Nguyễn Văn An', dateOfBirth: '1980-03-12', gender: Gender.MALE, joinedOn: '2005-06-01', admissionCeremonyOn: '2005-06-01',
        officialOn: '2006-06-01', cellId: '11', cellName: 'Chi bộ khu dân cư số 1', ethnicity: '01',
      },
    });
  });

  it('names the column of each problem', () => {
    expect(problems({ dateOfBirth: '31/02/1980' })).toEqual([expect.objectContaining({ column: 'Ngày sinh' })]);
    expect(problems({ cell: 'Chi bộ Trường học' })).toEqual([{ column: 'Chi bộ', message: expect.stringContaining('DN.A.CB02, DN.B.CB02') }]);
    expect(problems({ cell: 'DN.A.CB09' })).toEqual([{ column: 'Chi bộ', message: expect.stringContaining('ended on 2025-07-01') }]);
    expect(problems({ gender: '' })).toEqual([{ column: 'Giới tính', message: 'Required: nothing is written in this column.' }]);
    expect(problems({ partyCardNumber: '12AB' })).toEqual([{ column: 'Số thẻ đảng viên', message: expect.stringContaining('must match') }]);
    expect(problems({ generalEducation: '13/12' })).toEqual([expect.objectContaining({ column: 'Giáo dục phổ thông' })]);
  });

  it('refuses lifecycle dates out of order', () => {
    expect(problems({ joinedOn: '01/06/1997' })).toEqual([{ column: 'Ngày vào Đảng', message: expect.stringContaining('from full 18 years') }]);
    expect(problems({ admissionCeremonyOn: '01/05/2005' })).toEqual([{ column: 'Ngày lễ kết nạp', message: expect.stringContaining('precede') }]);
    expect(problems({ officialOn: '31/05/2006' })).toEqual([{ column: 'Ngày chính thức', message: expect.stringContaining('01/06/2006') }]);
    expect(problems({ joinedOn: '01/06/2027' })).toContainEqual({ column: 'Ngày vào Đảng', message: 'The admission date is in the future.' });
    // A recognition decided weeks after the 12 months is a real one.
    expect(problems({ officialOn: '15/07/2006' })).toEqual([]);
  });

  it('gives numbers typed into cells back their leading zero, and reads "12/12" that Excel made a date', () => {
    const result = read({ ...base, nationalId: 48090000123, phone: 905123456, partyCardNumber: 4800123, generalEducation: new Date(Date.UTC(2026, 11, 12)) });
    expect(result).toMatchObject({ values: { nationalId: '048090000123', phone: '0905123456', partyCardNumber: '04800123', generalEducation: '12/12' } });
  });
});

describe('what an import changes on a matched member', () => {
  const member: MemberColumnsRow = {
    id: '7', version: 3, unit_id: '11', joined_on: '2005-06-01', official_on: '2006-06-01', full_name: 'Nguyễn Văn An',
    date_of_birth: '1980-03-12', gender: 'MALE', phone: '0905000000', ethnicity: '01', religion: null,
  };
  const values = { fullName: 'Nguyễn Văn An', dateOfBirth: '1980-03-12', gender: Gender.MALE, joinedOn: '2005-06-01', admissionCeremonyOn: '2005-06-01', officialOn: null, cellId: '11', cellName: 'x' };

  it('the values that differ, never erasing one the file leaves empty', () => {
    expect(changesFor(member, { ...values, phone: '0905111111', religion: 'PHAT_GIAO' })).toEqual({
      changes: { phone: ['0905000000', '0905111111'], religion: [null, 'PHAT_GIAO'] },
    });
    expect(changesFor(member, values)).toEqual({ changes: {} });
  });

  it('not the admission date nor the cell: those have their own acts', () => {
    expect(changesFor(member, { ...values, joinedOn: '2005-07-01' })).toEqual({ problems: [expect.objectContaining({ column: 'Ngày vào Đảng' })] });
    expect(changesFor(member, { ...values, cellId: '12' })).toEqual({ problems: [expect.objectContaining({ column: 'Chi bộ' })] });
  });
});
