import { useRef, useState, type KeyboardEvent } from 'react';
import { can } from '../access';
import { useHashParams } from '../router';
import { useSession } from '../session';
import { Badges } from './reports/Badges';
import { Flows } from './reports/Flows';
import { Statistics } from './reports/Statistics';

const TABS = [
  { key: 'statistics', title: 'Số lượng, cơ cấu' },
  { key: 'flows', title: 'Biến động' },
  { key: 'badges', title: 'Huy hiệu Đảng' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

/**
 * Màn hình Báo cáo: statistics, flows and the badge list of the unit the user works in, as tabs.
 * The tab is kept in the address (#/reports?tab=flows) so a bookmark or the back button returns
 * to it; a tab once opened stays mounted (hidden) so its dates and page survive switching.
 */
export function Reports() {
  const session = useSession();
  const params = useHashParams();
  const asked = params.get('tab');
  const tab: TabKey = TABS.some((t) => t.key === asked) ? (asked as TabKey) : 'statistics';
  const [opened, setOpened] = useState<Set<TabKey>>(() => new Set([tab]));
  if (!opened.has(tab)) setOpened(new Set([...opened, tab]));
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  if (!can(session.account.role, 'readStatistics')) {
    return (
      <>
        <h1>Báo cáo</h1>
        <p>Tài khoản này không được xem báo cáo thống kê.</p>
      </>
    );
  }

  const show = (key: TabKey) => {
    window.location.hash = `#/reports?tab=${key}`;
  };

  // The tabs pattern of WAI-ARIA: arrows move between tabs, Home/End to the ends.
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.key === tab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = TABS[(moves[event.key]! + TABS.length) % TABS.length]!;
    show(next.key);
    buttons.current[next.key]?.focus();
  };

  const unit = session.unit;
  return (
    <>
      <h1>Báo cáo: {unit.name}</h1>
      <div role="tablist" aria-label="Loại báo cáo" className="report-tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.key}
            ref={(element) => {
              buttons.current[t.key] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            aria-controls={`panel-${t.key}`}
            aria-selected={tab === t.key}
            tabIndex={tab === t.key ? 0 : -1}
            onClick={() => show(t.key)}
          >
            {t.title}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        <div key={t.key} role="tabpanel" id={`panel-${t.key}`} aria-labelledby={`tab-${t.key}`} hidden={tab !== t.key} className="report-panel">
          {opened.has(t.key) && t.key === 'statistics' && <Statistics />}
          {opened.has(t.key) && t.key === 'flows' && <Flows />}
          {/* Keyed by the unit: a cursor belongs to one unit's list, so another unit starts at its first page. */}
          {opened.has(t.key) && t.key === 'badges' && <Badges key={unit.id} />}
        </div>
      ))}
    </>
  );
}
