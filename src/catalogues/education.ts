/**
 * General education (giáo dục phổ thông) in the forms' levels: primary (tiểu học), lower
 * secondary (trung học cơ sở) and upper secondary (trung học phổ thông), whatever grading system
 * the text was written in. Records hold what was typed: "12/12", "9/12", "7/10", "9/9" (last grade
 * completed / grades of the system), or words such as "THPT", "Tiểu học", "Lớp 9", "cấp 3".
 *
 * The level is the one the last grade completed belongs to, in the system that grade was
 * counted in: the 12-year system (since 1981 in the North, nationwide after reunification), the
 * North's 10-year system (until 1981) and the 9-year system of 1950–1956. A text this rule cannot
 * read gives null; reports show it apart from "not declared" so staff can correct it.
 *
 * Pure: education.test.ts beside it runs in milliseconds.
 */
export type GeneralEducationLevel = 'PRIMARY' | 'LOWER_SECONDARY' | 'UPPER_SECONDARY';

/** The forms' levels, lowest first, with their Vietnamese names. */
export const GENERAL_EDUCATION_LEVELS = [
  { key: 'PRIMARY', label: 'Tiểu học' },
  { key: 'LOWER_SECONDARY', label: 'Trung học cơ sở' },
  { key: 'UPPER_SECONDARY', label: 'Trung học phổ thông' },
] as const satisfies readonly { key: GeneralEducationLevel; label: string }[];

/**
 * The grading systems, by their number of grades: the last grade of each level (grades 1 to the
 * primary's last are primary, then up to the lower secondary's last, then the rest). The one
 * table: SQL or reports that need the level are built from it.
 */
export const GRADING_SYSTEMS = [
  { grades: 12, lastGrade: { PRIMARY: 5, LOWER_SECONDARY: 9, UPPER_SECONDARY: 12 }, label: 'Hệ 12 năm' },
  { grades: 10, lastGrade: { PRIMARY: 4, LOWER_SECONDARY: 7, UPPER_SECONDARY: 10 }, label: 'Hệ 10 năm (miền Bắc, đến 1981)' },
  { grades: 9, lastGrade: { PRIMARY: 4, LOWER_SECONDARY: 7, UPPER_SECONDARY: 9 }, label: 'Hệ 9 năm (1950–1956)' },
] as const satisfies readonly { grades: number; lastGrade: Record<GeneralEducationLevel, number>; label: string }[];

/**
 * The system a grade written alone ("Lớp 9", "9") is counted in: the one in use since 1981. A
 * member schooled in the 10-year system writes "7/10", as the forms ask.
 */
export const DEFAULT_GRADING_SYSTEM = 12;

/**
 * Words naming a level, on the folded text (lower case, no diacritics, đ as d). Old names
 * included: phổ thông trung học (PTTH) was upper secondary, phổ thông cơ sở (PTCS, grades 1–9)
 * ended with lower secondary; cấp I / II / III are the levels' former names.
 */
export const LEVEL_WORDS: readonly (readonly [pattern: RegExp, level: GeneralEducationLevel])[] = [
  [/\b(thpt|ptth|trung hoc pho thong|pho thong trung hoc|cap (3|iii))\b/, 'UPPER_SECONDARY'],
  [/\b(thcs|ptcs|trung hoc co so|pho thong co so|cap (2|ii))\b/, 'LOWER_SECONDARY'],
  [/\b(tieu hoc|cap (1|i))\b/, 'PRIMARY'],
];

/** Lower case, no diacritics, đ as d, one space between words. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The level of a last grade completed in a system of so many grades; null when it cannot be one. */
export function levelOfGrade(grade: number, grades: number): GeneralEducationLevel | null {
  const system = GRADING_SYSTEMS.find((s) => s.grades === grades);
  if (!system || !Number.isInteger(grade) || grade < 1 || grade > grades) return null;
  for (const { key } of GENERAL_EDUCATION_LEVELS) if (grade <= system.lastGrade[key]) return key;
  return null;
}

/**
 * The forms' level of a general education as typed: "grade/system" first (anywhere in the text,
 * so "12/12 bổ túc" reads), then words naming a level, then a grade alone ("Lớp 9") in the
 * 12-year system. Null for no text and for a text it cannot read ("8/11", "13/12", "Đại học").
 */
export function generalEducationLevel(text: string | null | undefined): GeneralEducationLevel | null {
  if (text === null || text === undefined) return null;
  const folded = foldText(text);
  const fraction = /(\d{1,2})\s*\/\s*(\d{1,2})/.exec(folded);
  if (fraction) return levelOfGrade(Number(fraction[1]), Number(fraction[2]));
  for (const [pattern, level] of LEVEL_WORDS) if (pattern.test(folded)) return level;
  const grade = /^(?:lop )?(\d{1,2})$/.exec(folded);
  if (grade) return levelOfGrade(Number(grade[1]), DEFAULT_GRADING_SYSTEM);
  return null;
}

/** The Vietnamese name of a level. */
export function generalEducationLevelLabel(level: GeneralEducationLevel): string {
  return GENERAL_EDUCATION_LEVELS.find((l) => l.key === level)!.label;
}

/** The form the database keeps general education in: "grade/system" in one of GRADING_SYSTEMS (9/9, 7/10, 12/12). */
export const GRADE_PATTERN_TEXT = `^[0-9]{1,2}/(${GRADING_SYSTEMS.map((system) => system.grades).join('|')})$`;
export const GRADE_PATTERN = new RegExp(GRADE_PATTERN_TEXT);
