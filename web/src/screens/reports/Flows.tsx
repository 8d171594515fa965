import { useState } from 'react';
import { ApiError } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { useSession } from '../../session';
import { ErrorBox, Field, Loading } from '../../ui/components';
import { addDays, formatDate, formatNumber, todayIso } from '../../ui/format';
import { useQuery } from '../../ui/use-query';
import { saveCsv, type CsvValue } from './csv';
import { argumentOf, readReportDate, reportErrorText } from './dates';

const FlowsQuery = graphql(`
  query ReportFlows($unitId: ID!, $from: Date!, $to: Date!) {
    flows(unitId: $unitId, from: $from, to: $to) {
      from
      to
      unit { id code name }
      opening
      admissions
      readmissions
      transfersIn
      reorganisedIn
      transfersOut
      reorganisedOut
      departures { key label count }
      closing
      officialConfirmations
    }
  }
`);

type UnitFlows = ResultOf<typeof FlowsQuery>['flows'];

interface Line {
  label: string;
  count: number;
  /** A heading line (opening, subtotals, closing) rather than one movement. */
  strong?: boolean;
  indent?: boolean;
}

/**
 * The lines of the form "Biến động đảng viên": opening, what came in, what went out, closing
 * (opening + in − out = closing), then the official confirmations, which change no count.
 */
export function flowLines(flows: UnitFlows): Line[] {
  const increases = flows.admissions + flows.readmissions + flows.transfersIn + flows.reorganisedIn;
  const departures = flows.departures.reduce((sum, d) => sum + d.count, 0);
  const decreases = flows.transfersOut + flows.reorganisedOut + departures;
  return [
    { label: 'Đảng viên đầu kỳ', count: flows.opening, strong: true },
    { label: 'Tăng trong kỳ', count: increases, strong: true },
    { label: 'Kết nạp', count: flows.admissions, indent: true },
    { label: 'Kết nạp lại', count: flows.readmissions, indent: true },
    { label: 'Chuyển đến', count: flows.transfersIn, indent: true },
    { label: 'Nhận do sắp xếp tổ chức', count: flows.reorganisedIn, indent: true },
    { label: 'Giảm trong kỳ', count: decreases, strong: true },
    { label: 'Chuyển đi', count: flows.transfersOut, indent: true },
    { label: 'Chuyển ra do sắp xếp tổ chức', count: flows.reorganisedOut, indent: true },
    ...flows.departures.map((d) => ({ label: d.label, count: d.count, indent: true })),
    { label: 'Đảng viên cuối kỳ', count: flows.closing, strong: true },
    { label: 'Công nhận đảng viên chính thức trong kỳ', count: flows.officialConfirmations },
  ];
}

/** Biến động đảng viên of the unit the user works in over a period (default: this year so far). */
export function Flows() {
  const session = useSession();
  const unit = session.unit;
  const today = todayIso();
  const firstOfYear = `${today.slice(0, 4)}-01-01`;
  const [fromText, setFromText] = useState(formatDate(firstOfYear));
  const [toText, setToText] = useState(formatDate(today));
  const [period, setPeriod] = useState({ from: firstOfYear, to: today });
  const [errors, setErrors] = useState<{ from?: string | null; to?: string | null }>({});
  const query = useQuery(FlowsQuery, { unitId: unit.id, ...period });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const from = readReportDate(fromText);
    const to = readReportDate(toText);
    const next = { from: from.problem, to: to.problem };
    if (from.iso && to.iso && from.iso > to.iso) next.to = 'Ngày cuối kỳ không được trước ngày đầu kỳ.';
    setErrors(next);
    if (next.from || next.to || !from.iso || !to.iso) return;
    if (from.iso === period.from && to.iso === period.to) query.reload();
    else setPeriod({ from: from.iso, to: to.iso });
  };

  const flows = query.data?.flows;
  const current = flows && flows.from === period.from && flows.to === period.to && flows.unit.id === unit.id && !query.error ? flows : null;
  const apiError = query.error;
  const argument = argumentOf(apiError);
  const onField = apiError && (argument === 'from' || argument === 'to') ? argument : null;
  const apiText = apiError ? reportErrorText(apiError, unit.name) : null;

  const exportCsv = () => {
    if (!current) return;
    const rows: CsvValue[][] = [
      ['Biến động đảng viên'],
      ['Đơn vị', current.unit.name],
      ['Mã đơn vị', current.unit.code],
      ['Từ ngày', formatDate(current.from)],
      ['Đến ngày', formatDate(current.to)],
      [],
      ['Chỉ tiêu', 'Số đảng viên'],
      ...flowLines(current).map((line) => [line.label, line.count]),
    ];
    saveCsv(`bien-dong-dang-vien-${current.unit.code}-${current.from}-${current.to}.csv`, rows);
  };

  return (
    <>
      <form className="toolbar" onSubmit={submit} aria-label="Chọn kỳ báo cáo">
        <Field label="Từ ngày" value={fromText} onChange={setFromText} placeholder="dd/mm/yyyy" name="from" error={errors.from ?? (onField === 'from' ? apiText : null)} />
        <Field label="Đến ngày" value={toText} onChange={setToText} placeholder="dd/mm/yyyy" name="to" error={errors.to ?? (onField === 'to' ? apiText : null)} />
        <button type="submit" className="primary">
          Xem biến động
        </button>
        <button type="button" onClick={exportCsv} disabled={!current}>
          Xuất CSV
        </button>
      </form>
      {apiError && !onField && <ErrorBox error={new ApiError(apiText!, apiError.code)} />}
      <Loading when={query.loading} />
      {current && (
        <div className="table-wrap report-flows">
          <table className="report-table">
            <caption>
              Biến động đảng viên của {current.unit.name} từ {formatDate(current.from)} đến {formatDate(current.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Chỉ tiêu</th>
                <th scope="col" className="number">
                  Số đảng viên
                </th>
              </tr>
            </thead>
            <tbody>
              {flowLines(current).map((line) => (
                <tr key={line.label} className={line.strong ? 'report-subtotal' : undefined}>
                  <th scope="row" className={line.indent ? 'report-indent' : undefined}>
                    {line.label}
                  </th>
                  <td className="number">{formatNumber(line.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="report-note">
            Đầu kỳ là số đảng viên cuối ngày {formatDate(addDays(current.from, -1))}; cuối kỳ là số đảng viên cuối ngày {formatDate(current.to)}. Chuyển đến,
            chuyển đi tính theo ngày tiếp nhận; công nhận chính thức không làm thay đổi số lượng.
          </p>
        </div>
      )}
    </>
  );
}
