import { useId } from 'react';
import { formatNumber } from '../../ui/format';

export interface Count {
  key: string;
  label: string;
  count: number;
}

const percent = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/**
 * A horizontal bar chart drawn with CSS (no chart library; widths through React's style prop,
 * which the CSP allows, not a style attribute in HTML). Bars are scaled to the largest count so
 * small categories stay visible; every line also says its number and share of the total in text,
 * so the chart reads the same without colour or sight (the bars themselves are hidden from
 * assistive technology).
 */
export function BarChart({ title, items, total }: { title: string; items: readonly Count[]; total: number }) {
  const id = useId();
  const largest = Math.max(0, ...items.map((item) => item.count));
  return (
    <figure className="report-chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {items.length === 0 ? (
        <p className="report-muted">Không có số liệu.</p>
      ) : (
        <ul className="bars">
          {items.map((item) => (
            <li key={item.key} className="bar">
              <span className="report-bar-label">{item.label}</span>
              <span className="report-track" aria-hidden="true">
                <span className="fill" style={{ width: largest ? `${(item.count / largest) * 100}%` : '0' }} />
              </span>
              <span className="report-bar-value">
                {formatNumber(item.count)}
                <span className="report-share"> ({total ? percent.format((item.count / total) * 100) : '0,0'}%)</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
