import { useState } from 'react';
import { ApiError, request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { href } from '../../router';
import { useSession } from '../../session';
import { ErrorBox, Loading, Pager, Select } from '../../ui/components';
import { formatDate, formatNumber, todayIso } from '../../ui/format';
import { usePager } from '../../ui/use-pager';
import { useQuery } from '../../ui/use-query';
import { saveCsv, type CsvValue } from './csv';
import { reportErrorText } from './dates';

const BadgesQuery = graphql(`
  query ReportBadges($unitId: ID, $ceremonyOn: Date, $first: Int, $after: String) {
    badgesDue(unitId: $unitId, ceremonyOn: $ceremonyOn, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          badgeYears
          partyAgeYears
          reason
          member { id fullName partyCardNumber dateOfBirth joinedOn unit { id name } }
        }
      }
    }
  }
`);

type Candidate = ResultOf<typeof BadgesQuery>['badgesDue']['edges'][number]['node'];

const PAGE_SIZE = 50;
/** The API's largest page: the CSV is gathered with as few requests as it allows. */
const EXPORT_PAGE = 100;
/**
 * A bound on the pages the CSV gathers (100 000 candidates, far above a city's), so an API that
 * kept answering "there is more" could not keep the export asking for ever.
 */
const EXPORT_MAX_PAGES = 1000;

/** Ceremony days (HD 01-HD/TW §18): 3/2, 19/5, 2/9, 7/11, as src/members/party-badges.ts. */
const CEREMONY_DAYS = ['02-03', '05-19', '09-02', '11-07'];

/** The last ceremony before today and the next four (the first of them is the API's default). */
function ceremonies(today: string): { past: string; next: string[] } {
  const year = Number(today.slice(0, 4));
  const all = [year - 1, year, year + 1, year + 2].flatMap((y) => CEREMONY_DAYS.map((day) => `${y}-${day}`));
  const firstNext = all.findIndex((day) => day >= today);
  return { past: all[firstNext - 1]!, next: all.slice(firstNext, firstNext + 4) };
}

const REASONS: Record<string, string> = {
  DUE: 'Đủ tuổi đảng',
  EARLY: 'Xét tặng sớm',
  POSTHUMOUS: 'Truy tặng',
};

/** Đề nghị tặng Huy hiệu Đảng: the members of the unit's subtree due a badge at a ceremony. */
export function Badges() {
  const session = useSession();
  const unit = session.unit;
  const { past, next } = ceremonies(todayIso());
  const [ceremonyOn, setCeremonyOn] = useState(next[0]!);
  // Another ceremony (or unit) is another list, from its first page.
  const pager = usePager(`${unit.id} ${ceremonyOn}`);
  const query = useQuery(BadgesQuery, { unitId: unit.id, ceremonyOn, first: PAGE_SIZE, after: pager.after });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<ApiError | null>(null);

  const choose = (day: string) => setCeremonyOn(day);

  const list = query.error ? null : query.data?.badgesDue;
  const first = (pager.page - 1) * PAGE_SIZE;

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const all: Candidate[] = [];
      let cursor: string | null = null;
      for (let pages = 0; ; pages++) {
        if (pages === EXPORT_MAX_PAGES) throw new ApiError('Danh sách quá dài để xuất một tệp; hãy chọn một đơn vị nhỏ hơn.', 'EXPORT_TOO_LONG');
        const page: ResultOf<typeof BadgesQuery> = await request(BadgesQuery, { unitId: unit.id, ceremonyOn, first: EXPORT_PAGE, after: cursor });
        all.push(...page.badgesDue.edges.map((edge) => edge.node));
        const { hasNextPage, endCursor } = page.badgesDue.pageInfo;
        // No cursor is no way on: asking again with none would start over at page 1, for ever.
        if (!hasNextPage || !endCursor) break;
        cursor = endCursor;
      }
      const rows: CsvValue[][] = [
        [`Danh sách đảng viên đề nghị tặng Huy hiệu Đảng đợt ${formatDate(ceremonyOn)}`],
        ['Đơn vị', unit.name],
        [],
        ['STT', 'Họ và tên', 'Số thẻ đảng viên', 'Ngày sinh', 'Ngày vào Đảng', 'Chi bộ', 'Tuổi đảng (năm)', 'Huy hiệu (năm tuổi đảng)', 'Diện đề nghị'],
        ...all.map((c, i) => [
          i + 1,
          c.member.fullName,
          c.member.partyCardNumber,
          formatDate(c.member.dateOfBirth),
          formatDate(c.member.joinedOn),
          c.member.unit.name,
          c.partyAgeYears,
          c.badgeYears,
          REASONS[c.reason] ?? c.reason,
        ]),
      ];
      saveCsv(`huy-hieu-dang-${unit.code}-${ceremonyOn}.csv`, rows);
    } catch (failure) {
      setExportError(failure instanceof ApiError ? new ApiError(reportErrorText(failure, unit.name), failure.code) : new ApiError(String(failure), 'ERROR'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <div className="toolbar">
        <Select
          label="Đợt trao tặng"
          value={ceremonyOn}
          onChange={choose}
          options={[
            ...next.map((day, i) => ({ value: day, label: formatDate(day) + (i === 0 ? ' (đợt tới)' : '') })),
            { value: past, label: `${formatDate(past)} (đợt trước)` },
          ]}
        />
        <button type="button" onClick={exportCsv} disabled={!list || exporting}>
          {exporting ? 'Đang chuẩn bị tệp…' : 'Xuất CSV'}
        </button>
      </div>
      <ErrorBox error={exportError} />
      {query.error && <ErrorBox error={new ApiError(reportErrorText(query.error, unit.name), query.error.code)} />}
      <Loading when={query.loading} />
      {list && (
        <>
          <p role="status">
            {list.totalCount === 0
              ? `Không có đảng viên nào đủ điều kiện tặng Huy hiệu Đảng đợt ${formatDate(ceremonyOn)}.`
              : `${formatNumber(list.totalCount)} đảng viên đủ điều kiện đề nghị tặng Huy hiệu Đảng đợt ${formatDate(ceremonyOn)}.`}
          </p>
          {list.edges.length > 0 && (
            <div className="table-wrap">
              <table className="report-table">
                <caption className="report-hidden">Danh sách đề nghị tặng Huy hiệu Đảng đợt {formatDate(ceremonyOn)}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="number">
                      STT
                    </th>
                    <th scope="col">Họ và tên</th>
                    <th scope="col">Ngày sinh</th>
                    <th scope="col">Ngày vào Đảng</th>
                    <th scope="col">Chi bộ</th>
                    <th scope="col" className="number">
                      Tuổi đảng
                    </th>
                    <th scope="col">Huy hiệu</th>
                    <th scope="col">Diện</th>
                  </tr>
                </thead>
                <tbody>
                  {list.edges.map(({ node }, i) => (
                    <tr key={node.member.id}>
                      <td className="number">{first + i + 1}</td>
                      <th scope="row">
                        <a href={href('members', node.member.id)}>{node.member.fullName}</a>
                      </th>
                      <td>{formatDate(node.member.dateOfBirth)}</td>
                      <td>{formatDate(node.member.joinedOn)}</td>
                      <td>{node.member.unit.name}</td>
                      <td className="number">{node.partyAgeYears}</td>
                      <td>{node.badgeYears} năm tuổi đảng</td>
                      <td>
                        <span className={node.reason === 'DUE' ? 'badge' : 'badge warn'}>{REASONS[node.reason] ?? node.reason}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            hasPrevious={pager.hasPrevious}
            hasNext={pager.hasNext(list.pageInfo)}
            onPrevious={pager.previous}
            onNext={() => pager.next(list.pageInfo)}
            summary={list.edges.length ? `${formatNumber(first + 1)}–${formatNumber(first + list.edges.length)} / ${formatNumber(list.totalCount)}` : null}
          />
        </>
      )}
    </>
  );
}
