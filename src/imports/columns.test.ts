import { describe, expect, it } from 'vitest';
import { CATALOGUES, type CatalogueKind } from '../catalogues/catalogue-data';
import { IMPORT_COLUMNS, columnLetter, fieldOfHeader, foldText, matchHeaders, parseDate, resolveCatalogue, resolveGender } from './columns';

describe('foldText', () => {
  it('drops case and accents, đ as d, and runs of spaces, underscores and dots', () => {
    expect(foldText('  Đảng   viên ')).toBe('dang vien');
    expect(foldText('PHAT_GIAO')).toBe('phat giao');
    expect(foldText('Phật  Giáo')).toBe('phat giao');
    expect(foldText('DN.HAICHAU..CB01')).toBe('dn haichau cb01');
    expect(foldText('Nguye\u0302\u0303n')).toBe('nguyen'); // decomposed, as Windows-1258 and "Unicode tổ hợp" write it
  });
});

describe('the columns', () => {
  it('are the issue\'s 22, in the template\'s order, the five required ones marked', () => {
    expect(IMPORT_COLUMNS.map((c) => c.header)).toEqual([
      'Họ và tên', 'Ngày sinh', 'Giới tính', 'Dân tộc', 'Tôn giáo', 'Nơi sinh', 'Quê quán', 'Nơi thường trú', 'Nơi tạm trú',
      'Số điện thoại', 'Ngày vào Đảng', 'Ngày lễ kết nạp', 'Ngày chính thức', 'Số thẻ đảng viên', 'Số CCCD', 'Chi bộ',
      'Nghề nghiệp', 'Giáo dục phổ thông', 'Trình độ chuyên môn', 'Lý luận chính trị', 'Số quyết định kết nạp', 'Cấp ra quyết định kết nạp',
    ]);
    expect(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.field)).toEqual(['fullName', 'dateOfBirth', 'gender', 'joinedOn', 'cell']);
    for (const c of IMPORT_COLUMNS) expect(c.kind === 'catalogue', c.field).toBe(c.catalogue !== undefined);
  });

  it('give every header and alias to one field only', () => {
    for (const column of IMPORT_COLUMNS) {
      for (const header of [column.header, ...column.aliases]) expect(fieldOfHeader(header), header).toBe(column.field);
    }
  });

  it('letter columns as a spreadsheet does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('matchHeaders', () => {
  it('matches without regard to case, accents and spacing, and lists the columns it does not read', () => {
    const match = matchHeaders(['STT', 'HO VA TEN', ' ngày  sinh ', 'Giới Tính', null, 'ngay vao dang', 'Chi bộ', 'Ghi chú riêng', '']);
    expect(match.problems).toEqual([]);
    expect(match.columns).toEqual([
      { index: 1, field: 'fullName', header: 'HO VA TEN' },
      { index: 2, field: 'dateOfBirth', header: 'ngày  sinh' },
      { index: 3, field: 'gender', header: 'Giới Tính' },
      { index: 5, field: 'joinedOn', header: 'ngay vao dang' },
      { index: 6, field: 'cell', header: 'Chi bộ' },
    ]);
    expect(match.ignored).toEqual(['STT', 'Ghi chú riêng']);
  });

  it('knows the other names a column goes by, and what staff add around a header', () => {
    const fields = (headers: string[]) => matchHeaders(headers).columns.map((c) => c.field);
    expect(fields(['CCCD', 'Số định danh cá nhân', 'CMND/CCCD', 'Số CMND/CCCD'])).toEqual(['nationalId']);
    expect(matchHeaders(['Số CMND/CCCD']).columns[0].field).toBe('nationalId');
    expect(fields(['Họ và tên (*)', 'Ngày sinh (dd/mm/yyyy)', 'Giới tính:', 'Ngày, tháng, năm sinh'])).toEqual(['fullName', 'dateOfBirth', 'gender']);
    expect(fields(['SĐT', 'Trình độ LLCT', 'so the dang vien', 'ngay_vao_dang'])).toEqual(['phone', 'politicalTheory', 'partyCardNumber', 'joinedOn']);
    // The old 9-digit identity card is another number: not read as the CCCD.
    expect(matchHeaders(['Số CMND']).ignored).toEqual(['Số CMND']);
  });

  it('names each missing required column and each column given twice, by its Vietnamese header', () => {
    const match = matchHeaders(['Họ và tên', 'Ngày sinh', 'CCCD', 'Số CCCD']);
    expect(match.problems).toEqual([
      'Columns C ("CCCD") and D ("Số CCCD") are both "Số CCCD": keep one of them.',
      'The required column "Giới tính" is missing (Bắt buộc. Nam hoặc Nữ).',
      'The required column "Ngày vào Đảng" is missing (Bắt buộc. dd/mm/yyyy (ngày của quyết định kết nạp)).',
      'The required column "Chi bộ" is missing (Bắt buộc. Tên hoặc mã chi bộ).',
    ]);
    expect(match.columns.map((c) => c.index)).toEqual([0, 1, 2]);
  });
});

describe('resolveCatalogue', () => {
  it('reads a code or a name in any case, with or without accents, underscores or hyphens', () => {
    for (const text of ['kinh', 'Kinh', 'KINH', '01', '1']) expect(resolveCatalogue('ETHNIC_GROUP', text), text).toEqual({ code: '01' });
    for (const text of ['Phat giao', 'PHAT_GIAO', 'phat_giao', 'Phật Giáo', ' phật  giáo ']) expect(resolveCatalogue('RELIGION', text), text).toEqual({ code: 'PHAT_GIAO' });
    expect(resolveCatalogue('ETHNIC_GROUP', 'Khơ me')).toEqual({ code: '05' });
    expect(resolveCatalogue('ETHNIC_GROUP', 'Ede')).toEqual({ code: '12' });
    expect(resolveCatalogue('OCCUPATION', 'can bo cong chuc')).toEqual({ code: 'CAN_BO_CONG_CHUC' });
    expect(resolveCatalogue('PROFESSIONAL_LEVEL', 'Thạc sĩ')).toEqual({ code: 'THAC_SI' });
  });

  it('reads every item of every catalogue by its code and by its label', () => {
    for (const kind of Object.keys(CATALOGUES) as CatalogueKind[]) {
      for (const [code, label] of CATALOGUES[kind].rows) {
        expect(resolveCatalogue(kind, code), `${kind} ${code}`).toEqual({ code });
        expect(resolveCatalogue(kind, label), `${kind} ${label}`).toEqual({ code });
      }
    }
  });

  it('reads "Không", "không có" or nothing as no religion (code "")', () => {
    for (const text of ['Không', 'không có', 'KHONG', '', '  ']) expect(resolveCatalogue('RELIGION', text), text).toEqual({ code: '' });
  });

  it('reads "Không" under political theory as no training (NONE), not as nothing', () => {
    expect(resolveCatalogue('POLITICAL_THEORY', 'Không')).toEqual({ code: 'NONE' });
    expect(resolveCatalogue('POLITICAL_THEORY', 'Chưa qua đào tạo')).toEqual({ code: 'NONE' });
  });

  it('refuses a retired code, saying what to record instead', () => {
    for (const text of ['TRUONG_LAO', 'Giáo hội Trưởng lão Việt Nam']) {
      const resolved = resolveCatalogue('RELIGION', text);
      expect(resolved).toEqual({
        problem: '"Giáo hội Trưởng lão Việt Nam" (TRUONG_LAO) is no longer recorded (it is counted as Tin lành): record Tin lành (TIN_LANH).',
      });
    }
  });

  it('refuses what is in no list, quoting it and naming the list', () => {
    expect(resolveCatalogue('ETHNIC_GROUP', 'Xyz')).toEqual({ problem: '"Xyz" is not in the Dân tộc list: write a name or code from the template\'s list.' });
    expect(resolveCatalogue('ETHNIC_GROUP', '99')).toHaveProperty('problem');
    expect(resolveCatalogue('OCCUPATION', '')).toEqual({ problem: 'No value given for Nghề nghiệp.' });
  });
});

describe('resolveGender', () => {
  it('reads Nam and Nữ in any form, and the enum', () => {
    for (const text of ['Nam', 'nam', 'NAM', 'M', 'male', 'MALE']) expect(resolveGender(text), text).toEqual({ gender: 'MALE' });
    for (const text of ['Nữ', 'nữ', 'nu', 'NỮ', 'F', 'FEMALE']) expect(resolveGender(text), text).toEqual({ gender: 'FEMALE' });
  });
  it('refuses anything else', () => {
    expect(resolveGender('Khác')).toEqual({ problem: '"Khác" is not a gender: write Nam or Nữ.' });
    expect(resolveGender('1')).toHaveProperty('problem');
  });
});

describe('parseDate', () => {
  it('reads an Excel date cell by its UTC day', () => {
    expect(parseDate(new Date(Date.UTC(1980, 4, 17)))).toEqual({ date: '1980-05-17' });
    expect(parseDate(new Date(Date.UTC(1980, 4, 17, 23, 59)))).toEqual({ date: '1980-05-17' });
    expect(parseDate(new Date(NaN))).toHaveProperty('problem');
  });

  it('reads Excel serial numbers of the 1900 system, its phantom 29/02/1900 refused', () => {
    expect(parseDate(45292)).toEqual({ date: '2024-01-01' });
    expect(parseDate(29221)).toEqual({ date: '1980-01-01' });
    expect(parseDate(29221.75)).toEqual({ date: '1980-01-01' });
    expect(parseDate(1)).toEqual({ date: '1900-01-01' });
    expect(parseDate(59)).toEqual({ date: '1900-02-28' });
    expect(parseDate(61)).toEqual({ date: '1900-03-01' });
    expect(parseDate(60)).toHaveProperty('problem');
    expect(parseDate(0)).toHaveProperty('problem');
    expect(parseDate(-5)).toHaveProperty('problem');
  });

  it('refuses a year alone typed as a number rather than read it as a day of 1905', () => {
    expect(parseDate(1985)).toEqual({ problem: 'not a date: 1985 (a year alone; write dd/mm/yyyy)' });
  });

  it('reads day-first text with /, - or . and ISO dates, with a time after them', () => {
    for (const text of ['05/03/1980', '5/3/1980', '05-03-1980', '05.03.1980', '1980-03-05', ' 05/03/1980 ', '05/03/1980 00:00:00', '1980-03-05T00:00:00.000Z']) {
      expect(parseDate(text), text).toEqual({ date: '1980-03-05' });
    }
  });

  it('is always day first: 03/04/2020 is 3 April, and 04/13/2020 no date', () => {
    expect(parseDate('03/04/2020')).toEqual({ date: '2020-04-03' });
    expect(parseDate('04/13/2020')).toEqual({ problem: 'not a date: "04/13/2020" (dd/mm/yyyy)' });
  });

  it('refuses days that do not exist, two-digit years and anything else', () => {
    expect(parseDate('13/13/2020')).toEqual({ problem: 'not a date: "13/13/2020" (dd/mm/yyyy)' });
    expect(parseDate('31/02/2020')).toEqual({ problem: 'not a date: "31/02/2020" (dd/mm/yyyy)' });
    expect(parseDate('29/02/2020')).toEqual({ date: '2020-02-29' });
    expect(parseDate('29/02/2021')).toHaveProperty('problem');
    expect(parseDate('1/2/85')).toEqual({ problem: 'not a date: "1/2/85" (write the year in full: dd/mm/yyyy)' });
    for (const text of ['1985', '01/01/0201', 'năm 1980', '', '2020-02-30']) expect(parseDate(text), text).toHaveProperty('problem');
  });
});
