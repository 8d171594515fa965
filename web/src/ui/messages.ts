import { formatDate, label } from './format';
import { CAUSE_LABELS } from './labels';

/**
 * The API's messages in Vietnamese. The API writes its refusals in English for every client
 * (userErrors' `message`, coded GraphQL errors), and other clients rely on those words and codes,
 * so the API stays as it is and the staff application says them again in the words of the
 * party's forms. `vietnameseMessage` is applied where a message reaches the screen: Field, Select
 * and ErrorBox (components.tsx), the sign-in form, and the few screens that show messages in
 * their own markup.
 *
 * Each entry is the English message as the server builds it: fixed text with holes for what
 * varies (a date, a number, a status code, a unit's name). A date captured in a hole is shown
 * dd/mm/yyyy. A message that matches no entry is shown as the API wrote it: never hidden, and
 * never half translated (an entry whose parts cannot all be said in Vietnamese gives up too).
 *
 * test/web-messages.test.ts checks every entry against the server's source (its fixed parts must
 * still be there), so a message changed on the server shows up as a failing test, not as English
 * on a Vietnamese screen.
 */

/** One message the API writes, and how to say it in Vietnamese. */
export interface CatalogueEntry {
  /** The fixed parts of the English text, in order; each is written as such in the server's source. */
  readonly literals: readonly string[];
  /** The whole English message, the holes as capture groups. */
  readonly pattern: RegExp;
  /** The Vietnamese sentence, from the holes' values (ISO dates already dd/mm/yyyy). */
  readonly say: (...parts: string[]) => string;
}

interface Hole {
  readonly source: string;
}

const hole = (source: string): Hole => ({ source: `(${source})` });
/** An ISO date, yyyy-mm-dd: shown dd/mm/yyyy. */
const DATE = hole('\\d{4}-\\d{2}-\\d{2}');
const NUMBER = hole('-?\\d+(?:\\.\\d+)?');
/** An enum value of the API (a status, a cause). */
const CODE = hole('[A-Z][A-Z0-9_]*');
/** Enum values joined by ", ". */
const CODES = hole('[A-Z][A-Z0-9_]*(?:, [A-Z][A-Z0-9_]*)*');
/** A catalogue code or a word without spaces. */
const WORD = hole('[\\w.-]+');
/** An argument's path, e.g. `input.homeTown`, `filter.search`, `first`. */
const PATH = hole('[A-Za-z_][\\w.…]*');
/** API field names joined by ", " (camelCase). */
const NAMES = hole('[A-Za-z]\\w*(?:, [A-Za-z]\\w*)*');
/** Anything (a unit's name, a value as sent): as short as the rest of the message allows. */
const TEXT = hole('.+?');
/**
 * No hole: the English reads on, but the server builds it from two separate strings (a constant
 * and its suffix, a conditional part), so the fixed parts on either side are checked apart.
 */
const SPLIT: Hole = { source: '' };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English message of an entry, written as the server's template: `en\`Arrival is between ${DATE} and today.\``. */
function en(strings: TemplateStringsArray, ...holes: Hole[]): Pick<CatalogueEntry, 'literals' | 'pattern'> {
  const literals: string[] = [];
  let source = '';
  strings.forEach((literal, i) => {
    if (literal) literals.push(literal);
    source += escapeRegExp(literal);
    if (i < holes.length) source += holes[i]!.source;
  });
  return { literals, pattern: new RegExp(`^${source}$`, 's') };
}

function entry(english: Pick<CatalogueEntry, 'literals' | 'pattern'> | string, say: string | ((...parts: string[]) => string)): CatalogueEntry {
  const { literals, pattern } = typeof english === 'string' ? { literals: [english], pattern: new RegExp(`^${escapeRegExp(english)}$`) } : english;
  return { literals, pattern, say: typeof say === 'string' ? () => say : say };
}

/** Thrown by a sentence that meets a part it cannot say in Vietnamese: the message is then shown as the API wrote it. */
class Untranslatable extends Error {}

function lookup(table: Readonly<Record<string, string>>, key: string): string {
  const found = table[key];
  if (found === undefined) throw new Untranslatable(key);
  return found;
}

const isoDates = (text: string): string => text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (iso) => formatDate(iso));

// --- The words the sentences take from the API's values ---------------------------------------

/** A member's or a transfer's status, as the screens label it. */
function status(code: string): string {
  const words = label(code);
  if (words === code) throw new Untranslatable(code);
  return `“${words}”`;
}

// The causes of leaving in the words the lifecycle screen offers them (ui/labels.ts).
const cause = (code: string): string => `“${lookup(CAUSE_LABELS, code)}”`;
const causes = (codes: string): string => codes.split(', ').map(cause).join('; ');

const CATALOGUE_NAMES: Readonly<Record<string, string>> = {
  ETHNIC_GROUP: 'dân tộc',
  RELIGION: 'tôn giáo',
  PROFESSIONAL_LEVEL: 'trình độ chuyên môn',
  ACADEMIC_TITLE: 'học hàm',
  POLITICAL_THEORY: 'lý luận chính trị',
  STATE_MANAGEMENT: 'quản lý nhà nước',
  OCCUPATION: 'nghề nghiệp',
};

const EDUCATION_LEVELS: Readonly<Record<string, string>> = {
  PRIMARY: 'tiểu học',
  LOWER_SECONDARY: 'trung học cơ sở',
  UPPER_SECONDARY: 'trung học phổ thông',
};

/**
 * The API's input and argument names as the screens label them (the last part of a path, or the
 * last two for a decision's parts). A name not here is shown as the API spells it.
 */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  fullName: 'Họ và tên',
  birthName: 'Họ tên khai sinh',
  aliases: 'Bí danh, tên gọi khác',
  gender: 'Giới tính',
  dateOfBirth: 'Ngày sinh',
  placeOfBirth: 'Nơi sinh',
  homeTown: 'Quê quán',
  ethnicityCode: 'Dân tộc',
  religionCode: 'Tôn giáo',
  nationalId: 'Số CCCD',
  permanentAddress: 'Nơi thường trú',
  temporaryAddress: 'Nơi tạm trú',
  phone: 'Số điện thoại',
  partyCardNumber: 'Số thẻ đảng viên',
  admittedBy: 'Chi bộ kết nạp',
  introducers: 'Người giới thiệu',
  underReview: 'Đang bị kiểm tra, giải quyết khiếu nại',
  occupationCode: 'Nghề nghiệp',
  generalEducation: 'Giáo dục phổ thông',
  professionalLevelCode: 'Trình độ chuyên môn',
  professionalField: 'Chuyên ngành',
  academicTitleCode: 'Học hàm',
  politicalTheoryCode: 'Lý luận chính trị',
  stateManagementCode: 'Quản lý nhà nước',
  foreignLanguages: 'Ngoại ngữ',
  itLevel: 'Tin học',
  seriousIllnessSince: 'Bệnh hiểm nghèo từ ngày',
  seriousIllnessGround: 'Căn cứ bệnh hiểm nghèo',
  joinedOn: 'Ngày vào Đảng',
  admissionCeremonyOn: 'Ngày lễ kết nạp',
  officialOn: 'Ngày chính thức',
  reason: 'Lý do',
  grounds: 'Lý do kỷ luật',
  cause: 'Nguyên nhân',
  departureCause: 'Nguyên nhân ra khỏi Đảng',
  convictionExpungedOn: 'Ngày được xóa án tích',
  effectiveOn: 'Ngày có hiệu lực',
  note: 'Ghi chú',
  lateReason: 'Lý do đến chậm',
  toUnitCode: 'Mã chi bộ nhận',
  toUnitId: 'Chi bộ nhận',
  externalParty: 'Tổ chức đảng nhận',
  country: 'Nước',
  issuedOn: 'Ngày chuyển',
  returnsOn: 'Ngày trở về',
  returnedOn: 'Ngày trở về',
  confirmedOn: 'Ngày đến sinh hoạt',
  'decision.number': 'Số quyết định',
  'decision.date': 'Ngày quyết định',
  'decision.issuedBy': 'Cấp ra quyết định',
  search: 'Tìm kiếm',
  asOf: 'Ngày tính số liệu',
  from: 'Từ ngày',
  to: 'Đến ngày',
  ceremonyOn: 'Đợt trao tặng',
  first: 'Số dòng mỗi trang',
  probationEndsBy: 'Hết dự bị đến ngày',
  bornFrom: 'Năm sinh từ',
  bornTo: 'Năm sinh đến',
  accountId: 'Mã tài khoản',
  entityId: 'Mã bản ghi',
  withinDays: 'Số ngày',
};

/** The label of the field an argument path names; the path's last part as sent when it is not known. */
function field(path: string): string {
  const parts = path.split('.');
  const known = FIELD_LABELS[parts.slice(-2).join('.')] ?? FIELD_LABELS[parts[parts.length - 1]!];
  return `“${known ?? parts[parts.length - 1]}”`;
}
const fields = (names: string): string => names.split(', ').map(field).join(', ');

/** What a decision's date may not precede or follow (validateDecisionDate's `what`), in Vietnamese. */
export const DECISION_BOUNDS: readonly CatalogueEntry[] = [
  entry('the end of the 12 months of probation', 'ngày hết 12 tháng dự bị'),
  entry('the first admission', 'ngày kết nạp lần đầu'),
  entry('the day the member left', 'ngày ra khỏi Đảng'),
  entry('the readmission', 'ngày kết nạp lại'),
  entry('the date of birth', 'ngày sinh'),
  entry('the admission (discipline is for members)', 'ngày vào Đảng (chỉ kỷ luật người đang là đảng viên)'),
  entry('the 18th birthday', 'ngày đủ 18 tuổi'),
  entry('the admission ceremony', 'ngày lễ kết nạp'),
  entry('the admission decision', 'ngày quyết định kết nạp'),
  entry('the admission', 'ngày vào Đảng'),
  entry(en`the start of the current status (${CODE})`, (s) => `ngày bắt đầu tình trạng ${status(s)} hiện nay`),
  entry("the member's admission", 'ngày vào Đảng của đảng viên'),
  entry('the end of the planning period', 'cuối thời kỳ quy hoạch'),
  entry('the date of issue', 'ngày chuyển sinh hoạt'),
  entry('the arrival', 'ngày đến sinh hoạt'),
  entry('the day the reorganisation takes effect', 'ngày sắp xếp tổ chức có hiệu lực'),
];

function translate(entries: readonly CatalogueEntry[], text: string): string | null {
  for (const { pattern, say } of entries) {
    const match = pattern.exec(text);
    if (match) return say(...match.slice(1).map((part) => isoDates(part ?? '')));
  }
  return null;
}

function bound(what: string): string {
  const said = translate(DECISION_BOUNDS, what);
  if (said === null) throw new Untranslatable(what);
  return said;
}

const unquoted = (text: string): string => text.replace(/^"(.*)"$/s, '$1');

/** A card number pattern of digits only ("^[0-9]{8}$") said as "đúng 8 chữ số"; another as it is written. */
function cardNumberRule(pattern: string): string {
  const digits = /^\^?(?:\[0-9\]|\\d)\{(\d+)\}\$?$/.exec(pattern);
  return digits ? `gồm đúng ${digits[1]} chữ số` : `đúng mẫu quy định (${pattern})`;
}

const NOUNS_IN_SCOPE: readonly (readonly [string, string])[] = [
  ['member', 'đảng viên'],
  ['unit', 'đơn vị'],
  ['cell', 'chi bộ'],
  ['transfer', 'giấy chuyển sinh hoạt'],
  ['entry', 'mục'],
  ['post', 'chức vụ'],
  ['import', 'lần nhập dữ liệu'],
  ['API key', 'khóa truy cập (API key)'],
  ['account', 'tài khoản'],
];

const STALE = 'hãy tải lại rồi làm lại thay đổi của mình.';
const LEFT = (s: string, d: string) => `Đảng viên đã ra khỏi Đảng (${status(s)}, ngày ${d})`;

/** The API's user-facing messages (src/**: userError, codedError, the rule files), in the order they are tried. */
export const MESSAGE_CATALOGUE: readonly CatalogueEntry[] = [
  // --- Signing in, the session, roles -------------------------------------------------------
  entry('Wrong username or password.', 'Sai tên đăng nhập hoặc mật khẩu.'),
  entry(en`Too many login attempts; try again${SPLIT} in ${NUMBER} s.`, (s) => `Đăng nhập sai quá nhiều lần; thử lại sau ${s} giây.`),
  entry(en`Too many login attempts; try again${SPLIT} later${SPLIT}.`, 'Đăng nhập sai quá nhiều lần; hãy thử lại sau ít phút.'),
  entry('Sign in first: send Authorization: Bearer <token>.', 'Cần đăng nhập trước khi làm việc.'),
  entry('Authorization must be "Bearer <token>".', 'Phiên đăng nhập không hợp lệ; hãy đăng nhập lại.'),
  entry('The token is invalid or has expired; sign in again.', 'Phiên làm việc không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại.'),
  entry('The account of this token no longer exists or is disabled.', 'Tài khoản đăng nhập không còn tồn tại hoặc đã bị khóa.'),
  entry('The API key is malformed.', 'Khóa truy cập (API key) không đúng dạng.'),
  entry('The API key is unknown or has been revoked.', 'Khóa truy cập (API key) không tồn tại hoặc đã bị thu hồi.'),
  entry('Your role does not allow this.', 'Vai trò của tài khoản không được phép làm việc này.'),
  entry('Your role does not allow this export.', 'Vai trò của tài khoản không được phép xuất dữ liệu này.'),
  entry('Your role does not allow imports.', 'Vai trò của tài khoản không được phép nhập dữ liệu.'),

  // --- Not found, conflicts, the server busy --------------------------------------------------
  ...NOUNS_IN_SCOPE.map(([noun, words]) => entry(`No such ${noun} in your scope.`, `Không tìm thấy ${words} này trong phạm vi của bạn.`)),
  entry('No such export.', 'Không có loại dữ liệu xuất này.'),
  entry('No such path.', 'Không có địa chỉ này.'),
  entry('Give exactly one of id or code.', 'Cần chỉ rõ một đơn vị: theo số hiệu hoặc theo mã đơn vị.'),
  entry('Give exactly one of id or partyCardNumber.', 'Cần chỉ rõ một đảng viên: theo số hiệu hoặc theo số thẻ đảng viên.'),
  entry(
    'The record was changed by someone else since you read it; read it again and redo your change.',
    'Hồ sơ vừa được người khác thay đổi sau khi bạn mở; hãy tải lại hồ sơ rồi sửa lại.',
  ),
  entry(en`The record is at version ${NUMBER}, not ${NUMBER}: read it again and redo your change.`, (now, read) => `Hồ sơ đã được thay đổi ở nơi khác (nay là bản ${now}, bạn đang sửa bản ${read}); ${STALE}`),
  entry(en`The entry is at version ${NUMBER}, not ${NUMBER}: read it again and redo your change.`, (now, read) => `Mục này đã được thay đổi ở nơi khác (nay là bản ${now}, bạn đang sửa bản ${read}); ${STALE}`),
  entry(en`The post is at version ${NUMBER}, not ${NUMBER}: read it again and redo your change.`, (now, read) => `Chức vụ này đã được thay đổi ở nơi khác (nay là bản ${now}, bạn đang sửa bản ${read}); ${STALE}`),
  entry(
    'This change met another one made to the same records at the same moment and was not written; send it again.',
    'Thay đổi này trùng thời điểm với một thay đổi khác trên cùng hồ sơ nên chưa được ghi; hãy gửi lại.',
  ),
  entry('The unit did not exist on the date asked; its lineage names the units before and after it.', 'Đơn vị không tồn tại vào ngày được hỏi; xem các đơn vị tiền thân và kế thừa của đơn vị.'),
  entry('The request took too long and was stopped; ask for less at once.', 'Yêu cầu chạy quá lâu nên đã dừng; hãy thu hẹp phạm vi tra cứu.'),
  entry('The database is not available; try again shortly.', 'Cơ sở dữ liệu tạm thời không truy cập được; xin thử lại sau ít phút.'),
  entry('The server is shutting down; try again shortly.', 'Máy chủ đang khởi động lại; xin thử lại sau ít phút.'),
  entry(en`Too many exports are running${SPLIT}; try again in a few seconds.`, 'Đang có quá nhiều yêu cầu xuất dữ liệu; xin thử lại sau vài giây.'),
  entry(en`Too many requests are being answered${SPLIT}; try again in a few seconds.`, 'Máy chủ đang phải trả lời quá nhiều yêu cầu; xin thử lại sau vài giây.'),
  entry('Internal server error', 'Máy chủ gặp lỗi ngoài dự kiến; xin thử lại, nếu vẫn lỗi hãy báo bộ phận quản trị hệ thống.'),
  entry(en`The request body is larger than ${NUMBER} bytes.`, (n) => `Dữ liệu gửi lên quá lớn (tối đa ${n} byte).`),
  entry(en`The query's estimated cost ${NUMBER} exceeds ${NUMBER}; ask for smaller pages.`, 'Yêu cầu tra cứu quá lớn; hãy xem từng trang ít dòng hơn.'),

  // --- Dates, arguments and their limits ------------------------------------------------------
  entry(en`Date must be a calendar date written YYYY-MM-DD, got ${TEXT}.`, (value) =>
    unquoted(value) ? `Ngày ${unquoted(value)} không có trong lịch hoặc viết sai dạng; nhập ngày theo dạng dd/mm/yyyy.` : 'Chưa nhập ngày; nhập ngày theo dạng dd/mm/yyyy.',
  ),
  entry('Date must be a string written YYYY-MM-DD.', 'Nhập ngày theo dạng dd/mm/yyyy.'),
  entry(en`rules.${WORD} must be between 0 and 120 months.`, 'Số tháng phải trong khoảng từ 0 đến 120.'),
  entry(en`${PATH} must be between ${hole('\\S+')} and ${hole('\\S+')}, got ${TEXT}.`, (path, min, max, value) => `${field(path)} phải trong khoảng từ ${min} đến ${max} (đã nhập ${value}).`),
  entry(en`${PATH} must be at most ${NUMBER} characters long (got ${NUMBER}).`, (path, max, length) => `${field(path)} dài tối đa ${max} ký tự (đang có ${length} ký tự).`),
  entry(en`${PATH} must not contain the NUL character (${SPLIT}\\u0000).`, (path) => `${field(path)} có ký tự không hợp lệ (ký tự NUL); hãy xóa ký tự đó.`),
  entry(en`${PATH} contains a lone UTF-16 surrogate, which is not text.`, (path) => `${field(path)} có ký tự không hợp lệ; hãy gõ lại nội dung.`),
  entry(en`${PATH} must be a date YYYY-MM-DD.`, (path) => `${field(path)} phải là một ngày (dd/mm/yyyy).`),
  entry(en`${PATH} must be true or false.`, (path) => `${field(path)} chỉ nhận giá trị có hoặc không.`),
  entry(en`status ${CODE} is not a MemberStatus.`, (code) => `${code} không phải một tình trạng đảng viên.`),
  entry('gender must be MALE or FEMALE.', 'Giới tính chỉ là Nam hoặc Nữ.'),
  entry('after is not a cursor of this list.', 'Trang đang xem không còn hợp lệ (danh sách đã thay đổi); hãy quay về trang đầu.'),
  entry('after is not a cursor returned by this API.', 'Trang đang xem không còn hợp lệ (danh sách đã thay đổi); hãy quay về trang đầu.'),
  entry('from must not be after to.', 'Ngày đầu kỳ không được sau ngày cuối kỳ.'),
  entry(en`Party badges are awarded on ${TEXT}; ceremonyOn must be one of those days.`, (days) => `Huy hiệu Đảng được trao vào các ngày ${days.replace(' and ', ' và ')}; hãy chọn một trong các ngày đó.`),
  entry(en`${TEXT} exists from ${DATE}; for earlier dates ask for the units it was formed from (its lineage.predecessors).`, (name, d) =>
    `${name} được thành lập từ ngày ${d}; số liệu trước ngày đó thuộc các đơn vị tiền thân. Chọn ngày từ ${d} trở đi.`,
  ),
  entry(en`${TEXT} ended on ${DATE}; for later dates ask for the units it went into (its lineage.successors).`, (name, d) =>
    `${name} đã kết thúc hoạt động từ ngày ${d}; số liệu sau ngày đó thuộc các đơn vị kế thừa. Chọn ngày trước ${d}.`,
  ),

  // --- A unit's life (unit-life.ts) -----------------------------------------------------------
  entry(en`${TEXT} ended on ${DATE}; its lineage names the units it went into.`, (name, d) => `${name} đã kết thúc hoạt động từ ngày ${d}; xem các đơn vị kế thừa của đơn vị này.`),
  entry(en`${TEXT} began on ${DATE}; nothing in it can start on ${DATE}.`, (name, d, on) => `${name} được thành lập từ ngày ${d}; không thể bắt đầu việc gì tại đơn vị này vào ngày ${on}.`),
  entry(en`${TEXT} ended on ${DATE}; what runs in it must end by then.`, (name, d) => `${name} đã kết thúc hoạt động từ ngày ${d}; mọi việc tại đơn vị phải kết thúc trước ngày đó.`),

  // --- The member record (member-records.service.ts, mutation.ts, unique-numbers.ts) --------
  entry(en`A party card number must match ${TEXT}.`, (pattern) => `Số thẻ đảng viên phải ${cardNumberRule(pattern)}.`),
  entry('A national ID (CCCD) has exactly 12 digits.', 'Số CCCD phải gồm đúng 12 chữ số.'),
  entry(en`${WORD} is no longer recorded (it is counted as ${WORD}); record ${WORD}.`, (code, now) => `Mã ${code} không còn dùng (nay được tính là mã ${now}); hãy chọn mã ${now}.`),
  entry(en`${WORD} is not a code of the ${CODE} catalogue.`, (code, catalogue) => `Mã ${code} không có trong danh mục ${lookup(CATALOGUE_NAMES, catalogue)}.`),
  entry(en`General education ${TEXT} has no such grade in its system.`, (text) => `Giáo dục phổ thông “${text}” không đúng: hệ này không có lớp đó.`),
  entry('General education is written grade/system, like "12/12", "7/10" or "9/9".', 'Giáo dục phổ thông ghi theo dạng lớp/hệ, ví dụ 12/12, 7/10 hoặc 9/9.'),
  entry('Give at most two introducers, each by name.', 'Ghi tối đa hai người giới thiệu, mỗi người ghi rõ họ tên.'),
  entry('A serious illness is recorded with its ground (seriousIllnessGround).', 'Bệnh hiểm nghèo phải ghi kèm căn cứ (giấy xác nhận của cơ sở y tế).'),
  entry('Give since when the member is seriously ill (seriousIllnessSince).', 'Ghi ngày bắt đầu mắc bệnh hiểm nghèo.'),
  entry('The illness is dated between the date of birth and today.', 'Ngày mắc bệnh hiểm nghèo phải sau ngày sinh và không sau ngày hôm nay.'),
  entry('The full name cannot be blank.', 'Họ và tên không được để trống.'),
  entry('Gender cannot be blank.', 'Giới tính không được để trống.'),
  entry('The date of birth cannot be blank.', 'Ngày sinh không được để trống.'),
  entry('The date of birth must be before the admission date.', 'Ngày sinh phải trước ngày vào Đảng.'),
  entry(en`Correcting ${NAMES} needs a reason (the legal basis): identity and sensitive fields are amended, not overwritten.`, (names) =>
    `Sửa ${fields(names)} phải ghi lý do (căn cứ pháp lý): thông tin nhân thân và thông tin nhạy cảm được đính chính có căn cứ, không ghi đè.`,
  ),
  entry('This national ID (CCCD) is already recorded for a member.', 'Số CCCD này đã có trong hồ sơ của một đảng viên khác.'),
  entry(en`This national ID (CCCD) is already recorded for a member${SPLIT} (member ${NUMBER}).`, (id) => `Số CCCD này đã có trong hồ sơ đảng viên số hiệu ${id}.`),
  entry('This party card number is already used.', 'Số thẻ đảng viên này đã cấp cho một đảng viên khác.'),
  entry(en`This party card number is already used${SPLIT} (member ${NUMBER}).`, (id) => `Số thẻ đảng viên này đã cấp cho đảng viên số hiệu ${id}.`),
  entry('This number cannot be used; contact the city organisation department.', 'Không dùng được số này; hãy liên hệ Ban Tổ chức Thành ủy.'),
  entry('A phone number has 8 to 20 digits.', 'Số điện thoại gồm từ 8 đến 20 chữ số.'),
  entry('The member already has a rating for this year; correct that one.', 'Đảng viên đã có kết quả đánh giá, xếp loại của năm này; hãy sửa kết quả đó.'),
  entry(en`A value for ${PATH} is required.`, (path) => `Phải nhập ${field(path)}.`),
  entry('This value is already recorded.', 'Giá trị này đã có trong một hồ sơ khác.'),
  entry(en`A value is out of the accepted range${SPLIT} (${PATH})${SPLIT}.`, (path) => `Giá trị ${field(path)} nằm ngoài phạm vi cho phép.`),
  entry(en`A value is out of the accepted range${SPLIT}.`, 'Có giá trị nằm ngoài phạm vi cho phép.'),
  entry('Give the full name.', 'Ghi họ và tên.'),
  entry('The admission date must be after the date of birth.', 'Ngày vào Đảng phải sau ngày sinh.'),
  entry('The admission date cannot be in the future.', 'Ngày vào Đảng không được sau ngày hôm nay.'),
  entry('The admission ceremony cannot precede the admission decision (joinedOn).', 'Ngày lễ kết nạp không được trước ngày quyết định kết nạp.'),
  entry('The admission ceremony cannot be in the future.', 'Ngày lễ kết nạp không được sau ngày hôm nay.'),
  entry('General education is not given; an admission asks at least lower secondary (THCS).', 'Chưa ghi trình độ giáo dục phổ thông; kết nạp đảng viên yêu cầu tối thiểu tốt nghiệp trung học cơ sở (THCS).'),
  entry(en`General education "${TEXT}" cannot be read as a level; an admission asks at least lower secondary (THCS).`, (text) =>
    `Không đọc được trình độ giáo dục phổ thông “${text}”; kết nạp đảng viên yêu cầu tối thiểu trung học cơ sở (THCS).`,
  ),
  entry(en`General education "${TEXT}" cannot be read as a level; an admission asks at least lower secondary (THCS).${SPLIT} To admit anyway, set acceptEducationBelowRule and give the reason.`, (text) =>
    `Không đọc được trình độ giáo dục phổ thông “${text}”; kết nạp đảng viên yêu cầu tối thiểu trung học cơ sở (THCS). Muốn vẫn kết nạp thì đánh dấu trường hợp đặc biệt và ghi lý do.`,
  ),
  entry(en`General education "${TEXT}" is ${CODE}, below the lower secondary (THCS) an admission asks.`, (text, level) =>
    `Giáo dục phổ thông “${text}” là ${lookup(EDUCATION_LEVELS, level)}, dưới mức trung học cơ sở (THCS) mà kết nạp đảng viên yêu cầu.`,
  ),
  entry(en`General education "${TEXT}" is ${CODE}, below the lower secondary (THCS) an admission asks.${SPLIT} To admit anyway, set acceptEducationBelowRule and give the reason.`, (text, level) =>
    `Giáo dục phổ thông “${text}” là ${lookup(EDUCATION_LEVELS, level)}, dưới mức trung học cơ sở (THCS) mà kết nạp đảng viên yêu cầu. Muốn vẫn kết nạp thì đánh dấu trường hợp đặc biệt và ghi lý do.`,
  ),
  entry('Admitting below the education requirement needs a reason.', 'Kết nạp khi trình độ học vấn dưới quy định phải ghi lý do.'),
  entry(en`The official date is the end of the 12 months of probation from the ceremony: ${DATE}.`, (d) => `Ngày chính thức là ngày hết 12 tháng dự bị kể từ ngày lễ kết nạp: ${d}.`),
  entry('The 12 months of probation have not ended yet.', 'Chưa hết 12 tháng dự bị.'),
  entry('Members are registered in a cell (chi bộ).', 'Đảng viên sinh hoạt tại chi bộ; hãy chọn một chi bộ.'),
  entry('An age exception is recorded only for an admission over full 60 years.', 'Chỉ ghi quyết định cho phép kết nạp ngoài độ tuổi khi người được kết nạp đã quá 60 tuổi.'),
  entry(en`Age at admission is ${NUMBER} years ${NUMBER} months${SPLIT}; a member is admitted from full ${NUMBER} years.`, (y, m, min) =>
    `Tuổi khi kết nạp là ${y} tuổi ${m} tháng; người vào Đảng phải đủ ${min} tuổi.`,
  ),
  entry(en`Age at admission is ${NUMBER} years ${NUMBER} months${SPLIT}, over full ${NUMBER} years: give the provincial-level committee’s decision that allows it (ageExceptionDecision).`, (y, m, max) =>
    `Tuổi khi kết nạp là ${y} tuổi ${m} tháng, quá ${max} tuổi: cần quyết định của cấp ủy trực thuộc Trung ương cho phép kết nạp.`,
  ),
  entry(en`A member with the same name and date of birth exists (id ${TEXT}).`, (ids) => `Đã có đảng viên trùng họ tên và ngày sinh (số hiệu ${ids}); hãy kiểm tra để tránh trùng hồ sơ.`),

  // --- Decisions (decision.ts) ----------------------------------------------------------------
  entry('Give the decision number.', 'Ghi số quyết định.'),
  entry('Give the body that issued the decision.', 'Ghi cấp ra quyết định.'),
  entry('A decision cannot be dated in the future.', 'Ngày quyết định không được sau ngày hôm nay.'),
  entry(en`The decision is dated ${DATE}, before ${TEXT} (${DATE}).`, (d, what, b) => `Ngày quyết định (${d}) không được trước ${bound(what)} (${b}).`),
  entry(en`The decision is dated ${DATE}, after ${TEXT} (${DATE}).`, (d, what, b) => `Ngày quyết định (${d}) không được sau ${bound(what)} (${b}).`),

  // --- Lifecycle (lifecycle.service.ts, expulsion.ts, departure.ts, lifecycle.ts) -------------
  entry('A lifecycle change needs a reason.', 'Biến động đảng viên phải ghi lý do.'),
  entry(
    'A probationary member becomes official with confirmOfficial, which fixes the official date.',
    'Đảng viên dự bị trở thành đảng viên chính thức bằng thao tác “Công nhận đảng viên chính thức”; thao tác này xác định ngày chính thức.',
  ),
  entry('A probationary member cannot be expelled; remove them from the rolls (REMOVED) instead.', 'Không khai trừ đảng viên dự bị; thay vào đó, xóa tên khỏi danh sách đảng viên.'),
  entry(en`The member has left (${CODE}); only readmission (readmitMember) can follow, and not after every kind of leaving.`, (s) =>
    `Đảng viên đã ra khỏi Đảng (${status(s)}); chỉ còn có thể xét kết nạp lại, và không phải trường hợp ra khỏi Đảng nào cũng được kết nạp lại.`,
  ),
  entry(en`The member has left (${CODE}); expulsion applies to members only.`, (s) => `Đảng viên đã ra khỏi Đảng (${status(s)}); chỉ khai trừ người đang là đảng viên.`),
  entry(en`${CODE} cannot change to ${CODE}.`, (from, to) => `Không chuyển được từ tình trạng ${status(from)} sang ${status(to)}.`),
  entry(en`The member was transferred out of this organisation on ${DATE} and is no longer on its rolls.`, (d) =>
    `Đảng viên đã chuyển sinh hoạt ra khỏi Đảng bộ từ ngày ${d}, không còn trong danh sách đảng viên của Đảng bộ.`,
  ),
  entry(en`The member was transferred out of the organisation on ${DATE} and is no longer on its rolls.`, (d) =>
    `Đảng viên đã chuyển sinh hoạt ra khỏi Đảng bộ từ ngày ${d}, không còn trong danh sách đảng viên của Đảng bộ.`,
  ),
  entry(en`Only a probationary member can be confirmed; this one is ${CODE}.`, (s) => `Chỉ công nhận chính thức đảng viên dự bị; đảng viên này đang ở tình trạng ${status(s)}.`),
  entry(en`The 12 months of probation end on ${DATE}; confirm on or after that day.`, (d) => `Thời gian dự bị 12 tháng kết thúc ngày ${d}; chỉ công nhận chính thức từ ngày đó trở đi.`),
  entry(en`A member who left as ${CODE} cannot be readmitted.`, (s) => `Đảng viên ra khỏi Đảng theo hình thức ${status(s)} không được kết nạp lại.`),
  entry('The member has not left the Party.', 'Đảng viên chưa ra khỏi Đảng, không có việc kết nạp lại.'),
  entry(en`The member was already readmitted once (${DATE}); readmission is allowed only once.`, (d) => `Đảng viên đã được kết nạp lại một lần (ngày ${d}); chỉ được kết nạp lại một lần.`),
  entry(en`The cause of leaving is recorded as ${CODE}.`, (c) => `Nguyên nhân ra khỏi Đảng đã được ghi là ${cause(c)}.`),
  entry(en`A cause is recorded only for leaving the Party, not for ${CODE}.`, (s) => `Chỉ ghi nguyên nhân khi ra khỏi Đảng, không ghi cho tình trạng ${status(s)}.`),
  entry(en`Leaving as ${CODE} needs its cause (one of ${CODES}).`, (s, list) => `Ra khỏi Đảng theo hình thức ${status(s)} phải ghi nguyên nhân, là một trong: ${causes(list)}.`),
  entry(en`${CODE} is not a cause of ${CODE}; the causes are ${CODES}.`, (c, s, list) => `${cause(c)} không phải nguyên nhân của hình thức ${status(s)}; các nguyên nhân được ghi là: ${causes(list)}.`),
  entry('An expungement date is given only after a conviction for a less serious crime.', 'Ngày được xóa án tích chỉ ghi khi đảng viên ra khỏi Đảng vì bị xử lý hình sự về tội ít nghiêm trọng.'),
  entry('The expungement cannot be in the future.', 'Ngày được xóa án tích không được sau ngày hôm nay.'),
  entry('The cause of leaving is not recorded; give it (departureCause) to decide on readmission.', 'Chưa ghi nguyên nhân ra khỏi Đảng; hãy ghi nguyên nhân để xét kết nạp lại.'),
  entry(en`A member who left for ${CODE} is not readmitted (QĐ 294-QĐ/TW §3.5).`, (c) => `Đảng viên ra khỏi Đảng vì ${cause(c)} không được xét kết nạp lại (Quy định 294-QĐ/TW, mục 3.5).`),
  entry('After a conviction, give the day it was expunged (xóa án tích).', 'Đảng viên từng bị xử lý hình sự: ghi ngày được xóa án tích.'),
  entry(en`Readmission is possible from ${DATE}, ${NUMBER} months after the conviction was expunged.`, (d, n) => `Chỉ xét kết nạp lại từ ngày ${d}, sau ${n} tháng kể từ ngày được xóa án tích.`),
  entry(en`Readmission is possible from ${DATE}, ${NUMBER} months after leaving.`, (d, n) => `Chỉ xét kết nạp lại từ ngày ${d}, sau ${n} tháng kể từ ngày ra khỏi Đảng.`),
  entry('The readmission date cannot be in the future.', 'Ngày kết nạp lại không được sau ngày hôm nay.'),
  entry(en`Age at readmission is ${NUMBER} years ${NUMBER} months; the rule is at most full ${NUMBER} years.`, (y, m, max) =>
    `Tuổi khi kết nạp lại là ${y} tuổi ${m} tháng; quy định là không quá ${max} tuổi.`,
  ),
  entry('The change cannot take effect in the future.', 'Ngày có hiệu lực không được sau ngày hôm nay.'),
  entry(en`The change must take effect after ${DATE}, when the current status began.`, (d) => `Ngày có hiệu lực phải sau ngày ${d}, ngày bắt đầu tình trạng hiện nay.`),
  entry('An expulsion states its grounds (lý do kỷ luật).', 'Khai trừ phải ghi lý do kỷ luật.'),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; nothing new is recorded after that day.`, (s, d) => `${LEFT(s, d)}; không ghi thêm gì sau ngày đó.`),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; an entry for the time of membership added now completes the file, and needs a reason.`, (s, d) =>
    `${LEFT(s, d)}; bổ sung thông tin thuộc thời gian còn là đảng viên phải ghi lý do.`,
  ),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; discipline applies to members only.`, (s, d) => `${LEFT(s, d)}; chỉ kỷ luật người đang là đảng viên.`),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; posts and planning are for active members only.`, (s, d) => `${LEFT(s, d)}; chức vụ và quy hoạch chỉ dành cho đảng viên đang sinh hoạt.`),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; a member who left is not transferred.`, (s, d) => `${LEFT(s, d)}; không chuyển sinh hoạt cho người đã ra khỏi Đảng.`),
  entry(en`The member left (${CODE}, ${DATE})${SPLIT}; a year after leaving is not rated.`, (s, d) => `${LEFT(s, d)}; không đánh giá, xếp loại năm sau khi đã ra khỏi Đảng.`),

  // --- Transfers (transfers.service.ts, transfer-rules.ts) ------------------------------------
  entry(en`A member who has left (${CODE}) is not transferred.`, (s) => `Đảng viên đã ra khỏi Đảng (${status(s)}), không chuyển sinh hoạt.`),
  entry('The member is under inspection or complaint and cannot be transferred.', 'Đảng viên đang bị kiểm tra hoặc đang giải quyết khiếu nại, chưa chuyển sinh hoạt được.'),
  entry('The member already has a transfer awaiting arrival.', 'Đảng viên đang có giấy chuyển sinh hoạt chờ tiếp nhận.'),
  entry('Give the code of the receiving cell.', 'Ghi mã chi bộ nhận.'),
  entry(
    'A transfer within the organisation goes to a cell named by its code, not to an outside party organisation.',
    'Chuyển sinh hoạt trong Đảng bộ thành phố thì ghi mã chi bộ nhận, không ghi tổ chức đảng bên ngoài.',
  ),
  entry('A country is given only for a transfer abroad.', 'Chỉ ghi nước khi chuyển sinh hoạt ra nước ngoài.'),
  entry(
    'An internal transfer stays within one grassroots organisation; across the boundary it is PERMANENT or TEMPORARY.',
    'Chuyển sinh hoạt trong đảng bộ cơ sở chỉ dùng trong một đảng bộ cơ sở; chuyển ra ngoài thì chọn chuyển chính thức hoặc tạm thời.',
  ),
  entry(
    'A transfer out of the organisation names the receiving party organisation (externalParty), not a cell of this tree.',
    'Chuyển sinh hoạt ra ngoài Đảng bộ thành phố thì ghi tên tổ chức đảng nhận, không ghi mã chi bộ.',
  ),
  entry('Name the receiving party organisation, e.g. "Đảng bộ tỉnh Quảng Ngãi".', 'Ghi tên tổ chức đảng nhận, ví dụ “Đảng bộ tỉnh Quảng Ngãi”.'),
  entry('Give the country for a transfer abroad.', 'Ghi tên nước khi chuyển sinh hoạt ra nước ngoài.'),
  entry('Only a temporary transfer has a return date.', 'Chỉ chuyển sinh hoạt tạm thời mới có ngày trở về.'),
  entry('Only a temporary transfer is marked as for study.', 'Chỉ chuyển sinh hoạt tạm thời mới đánh dấu là đi học.'),
  entry('A temporary transfer needs the date the member returns.', 'Chuyển sinh hoạt tạm thời phải ghi ngày trở về.'),
  entry(en`A temporary transfer lasts at least ${NUMBER} months: return on ${DATE} or later.`, (n, d) => `Chuyển sinh hoạt tạm thời ít nhất ${n} tháng: ngày trở về từ ngày ${d} trở đi.`),
  entry(en`A temporary transfer to study lasts at most ${NUMBER} months: return on ${DATE} at the latest.`, (n, d) => `Chuyển sinh hoạt tạm thời để đi học tối đa ${n} tháng: trở về chậm nhất ngày ${d}.`),
  entry(en`A temporary transfer lasts under ${NUMBER} months (return before ${DATE}); to study, up to ${NUMBER}; a longer absence is a permanent transfer.`, (n, d, study) =>
    `Chuyển sinh hoạt tạm thời dưới ${n} tháng (trở về trước ngày ${d}); đi học thì tối đa ${study} tháng; vắng lâu hơn thì chuyển sinh hoạt chính thức.`,
  ),
  entry(en`The member reported after ${DATE}, more than ${NUMBER} days after issue: give the reason for the delay.`, (d, n) =>
    `Đảng viên đến sinh hoạt sau ngày ${d}, quá ${n} ngày kể từ ngày chuyển: ghi lý do đến chậm.`,
  ),
  entry('No cell has this code.', 'Không có chi bộ nào mang mã này.'),
  entry('The member is already registered in this cell.', 'Đảng viên đang sinh hoạt tại chi bộ này.'),
  entry('A transfer cannot be issued in the future.', 'Ngày chuyển sinh hoạt không được sau ngày hôm nay.'),
  entry(en`The member is registered in the current cell since ${DATE}.`, (d) => `Đảng viên sinh hoạt tại chi bộ hiện nay từ ngày ${d}; ngày chuyển phải sau ngày đó.`),
  entry('An internal transfer stays within one grassroots organisation in your scope.', 'Chuyển sinh hoạt trong đảng bộ cơ sở chỉ đến chi bộ cùng đảng bộ cơ sở, trong phạm vi của bạn.'),
  entry('Only the receiving side confirms arrival.', 'Chỉ đơn vị nhận mới xác nhận đảng viên đến sinh hoạt.'),
  entry(en`The transfer is ${CODE}, not awaiting arrival.`, (s) => `Giấy chuyển sinh hoạt đang ở trạng thái ${status(s)}, không còn chờ tiếp nhận.`),
  entry('The member can no longer be received on this transfer; the sending unit keeps the reason.', 'Không thể tiếp nhận đảng viên theo giấy chuyển sinh hoạt này nữa; đơn vị chuyển đi nắm lý do.'),
  entry(en`Arrival is between ${DATE} and today.`, (d) => `Ngày đến sinh hoạt phải từ ngày ${d} đến hôm nay.`),
  entry(en`The temporary transfer ends on ${DATE}; arrival is before it.`, (d) => `Chuyển sinh hoạt tạm thời kết thúc ngày ${d}; ngày đến sinh hoạt phải trước ngày đó.`),
  entry('The transfer could not be confirmed.', 'Không xác nhận được việc tiếp nhận theo giấy chuyển sinh hoạt này.'),
  entry('The home (sending) unit records the return.', 'Việc trở về do đơn vị chuyển đi ghi nhận.'),
  entry('Only the sending side cancels a transfer.', 'Chỉ đơn vị chuyển đi mới hủy được giấy chuyển sinh hoạt.'),
  entry(en`The transfer is ${CODE}; only a pending one is cancelled.`, (s) => `Giấy chuyển sinh hoạt đang ở trạng thái ${status(s)}; chỉ hủy được giấy đang chờ tiếp nhận.`),
  entry('Give the reason.', 'Ghi lý do.'),
  entry('Only a temporary transfer ends with a return; a permanent one is final.', 'Chỉ chuyển sinh hoạt tạm thời mới có việc trở về; chuyển sinh hoạt chính thức là chuyển hẳn.'),
  entry(en`The transfer is ${CODE}: a return is recorded once the member has gone (a pending transfer is cancelled instead).`, (s) =>
    `Giấy chuyển sinh hoạt đang ở trạng thái ${status(s)}: chỉ ghi trở về khi đảng viên đã đi (giấy còn chờ tiếp nhận thì hủy).`,
  ),
  // Not a refusal: the reason the server writes on a pending transfer cancelled when its member leaves (expulsion.ts).
  entry(en`The member left the rolls on ${DATE}.`, (d) => `Đảng viên đã ra khỏi danh sách đảng viên từ ngày ${d}.`),
  entry(en`The return was already recorded on ${DATE}.`, (d) => `Việc trở về đã được ghi nhận ngày ${d}.`),
  entry(en`The return is between ${DATE} and today.`, (d) => `Ngày trở về phải từ ngày ${d} đến hôm nay.`),
  entry(
    'A member coming from a unit of this organisation arrives by confirmTransfer; this is for arrivals from another province or abroad.',
    'Đảng viên chuyển từ đơn vị trong Đảng bộ thành phố thì xác nhận tiếp nhận theo giấy chuyển sinh hoạt; mục này dành cho đảng viên từ tỉnh khác hoặc từ nước ngoài chuyển đến.',
  ),
  entry('The sending organisation’s letter cannot be dated in the future.', 'Ngày giấy giới thiệu của tổ chức đảng chuyển đi không được sau ngày hôm nay.'),
  entry('The arrival cannot be in the future.', 'Ngày đến sinh hoạt không được sau ngày hôm nay.'),
  entry(en`The member arrives on or after the letter's date (${DATE}).`, (d) => `Ngày đến sinh hoạt phải từ ngày ghi trên giấy giới thiệu (${d}) trở đi.`),
  entry(en`The arrival is after the admission (${DATE}): a member admitted here is entered with createMember.`, (d) =>
    `Ngày đến sinh hoạt phải sau ngày vào Đảng (${d}); đảng viên được kết nạp tại đây thì lập hồ sơ mới.`,
  ),

  // --- Entries of the file (sub-records.service.ts): the common refusals ------------------------
  entry('The start cannot be in the future.', 'Ngày bắt đầu không được sau ngày hôm nay.'),
  entry('The end is before the start.', 'Ngày kết thúc không được trước ngày bắt đầu.'),
  entry('A correction needs a reason (its legal basis).', 'Đính chính phải ghi lý do (căn cứ pháp lý).'),
  entry('This entry was already corrected or voided; correct the current one.', 'Mục này đã được đính chính hoặc hủy; hãy sửa mục hiện hành.'),
  entry('The decision date cannot be in the future.', 'Ngày quyết định không được sau ngày hôm nay.'),
  entry('The award date cannot be in the future.', 'Ngày khen thưởng không được sau ngày hôm nay.'),
  entry('Give the grounds.', 'Ghi lý do kỷ luật.'),
  entry('Give a score or a category.', 'Ghi điểm hoặc mức xếp loại.'),
  entry('A score is between 0 and 100.', 'Điểm đánh giá từ 0 đến 100.'),
  entry('A year not yet begun cannot be rated.', 'Không đánh giá, xếp loại năm chưa bắt đầu.'),
];

/**
 * graphql-js's own wording when a variable cannot be taken (a date that is no calendar day):
 * `Variable "$input" got invalid value "2025-02-30" at "input.dateOfBirth"; <the scalar's message>`.
 * Said as the field's label and the scalar's message in Vietnamese (in production the path's
 * names are hidden, "input.…", and only the message is said). Its fixed parts are graphql-js's,
 * checked against node_modules/graphql by the test.
 */
export const GRAPHQL_JS_WRAPPERS: readonly CatalogueEntry[] = [
  entry(en`Variable "$${WORD}" got invalid value ${TEXT} at "${PATH}"${SPLIT}; ${hole('.+')}`, (_variable, _value, path, inner) => {
    const said = vietnameseMessage(inner);
    if (said === inner) throw new Untranslatable(inner);
    return FIELD_LABELS[path.split('.').slice(-2).join('.')] || FIELD_LABELS[path.split('.').pop()!] ? `${field(path)}: ${said}` : said;
  }),
  entry(en`Variable "$${WORD}" got invalid value ${TEXT}; ${hole('.+')}`, (_variable, _value, inner) => {
    const said = vietnameseMessage(inner);
    if (said === inner) throw new Untranslatable(inner);
    return said;
  }),
];

/**
 * The API's message in Vietnamese, in the words of the party's forms, with its dates dd/mm/yyyy;
 * a message the catalogue does not know (or a Vietnamese text already) is returned as it is.
 */
export function vietnameseMessage(message: string): string {
  try {
    return translate(MESSAGE_CATALOGUE, message) ?? translate(GRAPHQL_JS_WRAPPERS, message) ?? message;
  } catch (error) {
    if (error instanceof Untranslatable) return message;
    throw error;
  }
}
