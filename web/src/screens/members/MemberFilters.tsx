import { useEffect, useState } from 'react';
import { Checkbox, Field, Select } from '../../ui/components';
import { addDays, formatDate, label, readDateInput, todayIso } from '../../ui/format';
import { useDebounced } from '../../ui/use-query';
import { DEFAULTS, ORDERS, PAGE_SIZES, STATUS_CHOICES, isYear, type ListParams, type OrderKey } from './list-params';

/** Messages beside the filter fields: the form's own checks, or the API naming an argument. */
export type FilterErrors = Partial<Record<'search' | 'yearFrom' | 'yearTo' | 'probationEndsBy', string>>;

/**
 * The search box and filters. Text being typed (search, years, a date) is held here and applied
 * once it settles and makes sense, so the list is not asked for "19" as a birth year; the
 * drop-downs and boxes apply at once. The parent remounts this form when the hash changes from
 * outside (the menu link, the back button), so what it shows is always what is applied.
 */
export function MemberFilters(props: {
  params: ListParams;
  onChange(change: Partial<ListParams>): void;
  apiErrors: FilterErrors;
  searchesNationalId: boolean;
}) {
  const { params, onChange } = props;
  const [search, setSearch] = useState(params.search);
  const [yearFrom, setYearFrom] = useState(params.yearFrom);
  const [yearTo, setYearTo] = useState(params.yearTo);
  const [dueBy, setDueBy] = useState(formatDate(params.probationEndsBy));

  // Search as you type, one request per pause rather than per key.
  const settledSearch = useDebounced(search, 300);
  useEffect(() => {
    const next = settledSearch.slice(0, 100);
    if (next.trim() !== params.search.trim()) onChange({ search: next });
    // Only a settled change of the box applies: params changing under it must not re-apply old text.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledSearch]);

  const settledFrom = useDebounced(yearFrom.trim(), 400);
  const settledTo = useDebounced(yearTo.trim(), 400);
  const settledDue = useDebounced(dueBy.trim(), 400);
  const due = readDateInput(settledDue);
  const errors: FilterErrors = { ...props.apiErrors };
  if (settledFrom && !isYear(settledFrom)) errors.yearFrom = 'Năm sinh gồm 4 chữ số, từ 1900 đến 2100.';
  if (settledTo && !isYear(settledTo)) errors.yearTo = 'Năm sinh gồm 4 chữ số, từ 1900 đến 2100.';
  else if (isYear(settledFrom) && isYear(settledTo) && settledTo < settledFrom) errors.yearTo = 'Năm “đến” phải không trước năm “từ”.';
  if (due.problem) errors.probationEndsBy = due.problem;

  useEffect(() => {
    const from = isYear(settledFrom) ? settledFrom : settledFrom ? null : '';
    const to = isYear(settledTo) ? settledTo : settledTo ? null : '';
    const dueIso = due.iso ?? (due.problem ? null : '');
    // A value still wrong keeps the last one applied; its message says why.
    const change: Partial<ListParams> = {};
    if (from !== null && from !== params.yearFrom) change.yearFrom = from;
    if (to !== null && to !== params.yearTo) change.yearTo = to;
    if (dueIso !== null && dueIso !== params.probationEndsBy) change.probationEndsBy = dueIso;
    if (Object.keys(change).length) onChange(change);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledFrom, settledTo, settledDue]);

  const statusValue = params.status.join(',');
  const statusOptions = STATUS_CHOICES.some((choice) => choice.value === statusValue)
    ? STATUS_CHOICES
    : // A combination from a link that the list does not offer is still shown as what it is.
      [...STATUS_CHOICES, { value: statusValue, label: params.status.map(label).join(', ') }];

  const dueSoon = () => {
    const iso = addDays(todayIso(), 30);
    setDueBy(formatDate(iso));
    onChange({ probationEndsBy: iso });
  };

  const clear = () => {
    setSearch('');
    setYearFrom('');
    setYearTo('');
    setDueBy('');
    onChange({
      search: '',
      status: [],
      gender: '',
      yearFrom: '',
      yearTo: '',
      probationEndsBy: '',
      missingNationalId: false,
    });
  };

  return (
    <form
      className="member-filters"
      role="search"
      aria-label="Tìm và lọc đảng viên"
      onSubmit={(event) => {
        // Enter applies the search now instead of after the pause.
        event.preventDefault();
        if (search.trim() !== params.search.trim()) onChange({ search: search.slice(0, 100) });
      }}
    >
      <div className="toolbar">
        <div className="member-search">
          <Field
            label={props.searchesNationalId ? 'Tìm theo họ tên, số thẻ đảng viên hoặc số CCCD' : 'Tìm theo họ tên hoặc số thẻ đảng viên'}
            type="search"
            name="search"
            value={search}
            onChange={setSearch}
            placeholder="Ví dụ: nguyen van an"
            error={errors.search}
          />
        </div>
        <Select
          label="Sắp xếp theo"
          name="order"
          value={params.order}
          onChange={(value) => onChange({ order: value as OrderKey })}
          options={Object.entries(ORDERS).map(([value, order]) => ({ value, label: order.label }))}
        />
        <Select
          label="Số dòng mỗi trang"
          name="first"
          value={String(params.first)}
          onChange={(value) => onChange({ first: Number(value) || DEFAULTS.first })}
          options={PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }))}
        />
      </div>
      <fieldset className="member-filter-grid">
        <legend>Lọc</legend>
        <Select label="Tình trạng" name="status" value={statusValue} onChange={(value) => onChange({ status: value ? (value.split(',') as ListParams['status']) : [] })} options={statusOptions} />
        <Select
          label="Giới tính"
          name="gender"
          value={params.gender}
          onChange={(value) => onChange({ gender: value as ListParams['gender'] })}
          options={[
            { value: '', label: 'Tất cả' },
            { value: 'MALE', label: 'Nam' },
            { value: 'FEMALE', label: 'Nữ' },
          ]}
        />
        <Field label="Năm sinh từ" name="yearFrom" value={yearFrom} onChange={setYearFrom} placeholder="yyyy" error={errors.yearFrom} />
        <Field label="Năm sinh đến" name="yearTo" value={yearTo} onChange={setYearTo} placeholder="yyyy" error={errors.yearTo} />
        <div className="member-due">
          <Field
            label="Hết dự bị đến ngày"
            name="probationEndsBy"
            value={dueBy}
            onChange={setDueBy}
            placeholder="dd/mm/yyyy"
            hint="Đảng viên dự bị đến hạn xét chính thức, kể cả quá hạn."
            error={errors.probationEndsBy}
          />
          <button type="button" onClick={dueSoon}>
            Trong 30 ngày tới
          </button>
        </div>
        <div className="member-checks">
          <Checkbox label="Thiếu số CCCD" checked={params.missingNationalId} onChange={(checked) => onChange({ missingNationalId: checked })} />
          <Checkbox label="Gồm các đơn vị trực thuộc" checked={params.includeSubunits} onChange={(checked) => onChange({ includeSubunits: checked })} />
          <button type="button" onClick={clear}>
            Xóa bộ lọc
          </button>
        </div>
      </fieldset>
    </form>
  );
}
