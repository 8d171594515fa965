import { useState } from 'react';
import { ApiError, download } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading, Section } from '../../ui/components';
import { formatDate, formatNumber, label, sortVietnamese, todayIso } from '../../ui/format';
import { useQuery } from '../../ui/use-query';
import { BarChart } from './BarChart';
import { argumentOf, readReportDate, reportErrorText } from './dates';

const StatisticsQuery = graphql(`
  query ReportStatistics($unitId: ID!, $asOf: Date) {
    statistics(unitId: $unitId, asOf: $asOf) {
      asOf
      total
      averageAge
      registeredDirectly
      unit { id code name kind }
      byStatus { key label count }
      byGender { key label count }
      byAgeBand { key label count }
      byPartyAgeBand { key label count }
      byGeneralEducation { key label count }
      byProfessionalLevel { key label count }
      byPoliticalTheory { key label count }
      byEthnicity { key label count }
      byReligion { key label count }
      byOccupation { key label count }
      children { total unit { id code name kind } byStatus { key count } }
    }
  }
`);

const ageFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Số lượng, cơ cấu đảng viên of the unit the user works in, on a chosen date (default today). */
export function Statistics() {
  const session = useSession();
  const unit = session.unit;
  const [asOfText, setAsOfText] = useState(() => formatDate(todayIso()));
  const [asOf, setAsOf] = useState(todayIso);
  const [dateError, setDateError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const query = useQuery(StatisticsQuery, { unitId: unit.id, asOf });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const read = readReportDate(asOfText);
    setDateError(read.problem);
    if (!read.iso) return;
    // The same date again asks again (after a refusal, or to see changes made meanwhile).
    if (read.iso === asOf) query.reload();
    else setAsOf(read.iso);
  };

  // The last answer stays in useQuery while the next loads or after a refusal: show it only if
  // it is the answer to what is asked now, so no figure is ever shown under the wrong date.
  const stats = query.data?.statistics;
  const current = stats && stats.asOf === asOf && stats.unit.id === unit.id && !query.error ? stats : null;
  const apiError = query.error;
  // A refusal about the date (before the unit was formed, after it ended) belongs beside the date.
  const onDate = apiError && (argumentOf(apiError) === 'asOf' || 'validFrom' in apiError.extensions || 'validTo' in apiError.extensions);
  const shownDateError = dateError ?? (onDate ? reportErrorText(apiError, unit.name) : null);

  const exportExcel = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const params = new URLSearchParams({ unitId: unit.id, asOf });
      await download(`/exports/statistics.xlsx?${params}`, `bao-cao-dang-vien-${unit.code}-${asOf}.xlsx`);
    } catch (failure) {
      setExportError(failure instanceof ApiError ? new ApiError(reportErrorText(failure, unit.name), failure.code) : new ApiError(String(failure), 'ERROR'));
    } finally {
      setExporting(false);
    }
  };

  const byStatus = (counts: readonly { key: string; count: number }[], key: string) => counts.find((c) => c.key === key)?.count ?? 0;
  const children = current ? sortVietnamese(current.children, (child) => child.unit.name) : [];

  return (
    <>
      <form className="toolbar" onSubmit={submit} aria-label="Chọn ngày báo cáo">
        <Field label="Số liệu tính đến ngày" value={asOfText} onChange={setAsOfText} placeholder="dd/mm/yyyy" error={shownDateError} name="asOf" />
        <button type="submit" className="primary">
          Xem số liệu
        </button>
        <button type="button" onClick={exportExcel} disabled={!current || exporting}>
          {exporting ? 'Đang xuất…' : 'Xuất Excel'}
        </button>
      </form>
      <ErrorBox error={exportError} />
      {apiError && !onDate && <ErrorBox error={new ApiError(reportErrorText(apiError, unit.name), apiError.code)} />}
      <Loading when={query.loading} />
      {current && (
        <>
          <dl className="report-summary" aria-label="Tổng hợp">
            <div>
              <dt>Đơn vị</dt>
              <dd>{current.unit.name}</dd>
            </div>
            <div>
              <dt>Tính đến ngày</dt>
              <dd>{formatDate(current.asOf)}</dd>
            </div>
            <div>
              <dt>Tổng số đảng viên</dt>
              <dd className="report-big">{formatNumber(current.total)}</dd>
            </div>
            <div>
              <dt>Tuổi bình quân</dt>
              <dd className="report-big">{current.averageAge === null ? '—' : ageFormat.format(current.averageAge)}</dd>
            </div>
            {current.registeredDirectly > 0 && (
              <div>
                <dt>Sinh hoạt trực tiếp tại đơn vị</dt>
                <dd>{formatNumber(current.registeredDirectly)}</dd>
              </div>
            )}
          </dl>
          <div className="report-charts">
            <BarChart title="Theo tình trạng" items={current.byStatus} total={current.total} />
            <BarChart title="Theo giới tính" items={current.byGender} total={current.total} />
            <BarChart title="Theo độ tuổi" items={current.byAgeBand} total={current.total} />
            <BarChart title="Theo tuổi đảng" items={current.byPartyAgeBand} total={current.total} />
            <BarChart title="Trình độ giáo dục phổ thông" items={current.byGeneralEducation} total={current.total} />
            <BarChart title="Trình độ chuyên môn" items={current.byProfessionalLevel} total={current.total} />
            <BarChart title="Lý luận chính trị" items={current.byPoliticalTheory} total={current.total} />
            <BarChart title="Theo dân tộc" items={current.byEthnicity} total={current.total} />
            <BarChart title="Theo tôn giáo" items={current.byReligion} total={current.total} />
            <BarChart title="Theo nghề nghiệp" items={current.byOccupation} total={current.total} />
          </div>
          <Section title="Các đơn vị trực thuộc">
            {children.length === 0 ? (
              <p>Đơn vị không có đơn vị trực thuộc.</p>
            ) : (
              <div className="table-wrap">
                <table className="report-table">
                  <caption className="report-hidden">
                    Số đảng viên của các đơn vị trực thuộc {current.unit.name} đến ngày {formatDate(current.asOf)}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Đơn vị</th>
                      <th scope="col">Cấp</th>
                      <th scope="col" className="number">
                        Tổng số
                      </th>
                      <th scope="col" className="number">
                        Chính thức
                      </th>
                      <th scope="col" className="number">
                        Dự bị
                      </th>
                      <th scope="col" className="number">
                        Miễn sinh hoạt
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {children.map((child) => (
                      <tr key={child.unit.id}>
                        <th scope="row">{child.unit.name}</th>
                        <td>{label(child.unit.kind)}</td>
                        <td className="number">{formatNumber(child.total)}</td>
                        <td className="number">{formatNumber(byStatus(child.byStatus, 'OFFICIAL'))}</td>
                        <td className="number">{formatNumber(byStatus(child.byStatus, 'PROBATIONARY'))}</td>
                        <td className="number">{formatNumber(byStatus(child.byStatus, 'RELEASED'))}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">Cộng{current.registeredDirectly > 0 ? ' (kể cả sinh hoạt trực tiếp)' : ''}</th>
                      <td />
                      <td className="number">{formatNumber(current.total)}</td>
                      <td className="number">{formatNumber(byStatus(current.byStatus, 'OFFICIAL'))}</td>
                      <td className="number">{formatNumber(byStatus(current.byStatus, 'PROBATIONARY'))}</td>
                      <td className="number">{formatNumber(byStatus(current.byStatus, 'RELEASED'))}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </Section>
        </>
      )}
    </>
  );
}
