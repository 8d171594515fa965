import { Component, type ErrorInfo, type ReactNode } from 'react';
import { can } from './access';
import { href, useRoute } from './router';
import { useSession } from './session';
import { label } from './ui/format';
import { Units } from './screens/Units';
import { Members } from './screens/Members';
import { MemberFile } from './screens/MemberFile';
import { MemberEdit } from './screens/MemberEdit';
import { Lifecycle } from './screens/Lifecycle';
import { Transfers } from './screens/Transfers';
import { Reports } from './screens/Reports';
import { Audit } from './screens/Audit';

/** The screens, by the first part of the hash. */
function screenFor(route: string[], role: string): ReactNode {
  const [first, id, action] = route;
  // The auditor reads the audit only: it is their first screen.
  if (first === undefined && !can(role, 'readRecords')) return <Audit />;
  switch (first) {
    case undefined:
    case 'units':
      return <Units />;
    case 'members':
      if (!id) return <Members />;
      if (action === 'edit') return <MemberEdit memberId={id} />;
      if (action === 'lifecycle') return <Lifecycle memberId={id} />;
      return <MemberFile memberId={id} />;
    case 'transfers':
      return <Transfers />;
    case 'reports':
      return <Reports />;
    case 'audit':
      return <Audit />;
    default:
      return <p>Không có trang này.</p>;
  }
}

/**
 * A screen that fails to render shows a message and a way back instead of a blank page (the
 * frame, its menu and sign-out stay usable). Keyed by the route, so another screen starts clean.
 */
class ScreenBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // For the developer's console only; the user sees the message below, never a stack.
    console.error('Screen failed to render', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-box" role="alert">
        <p>Đã có lỗi khi hiển thị trang này. Bạn có thể tải lại trang hoặc chọn chức năng khác trên thanh trình đơn.</p>
        <p>
          <a href={href('units')}>Về trang Đơn vị</a>
        </p>
      </div>
    );
  }
}

export function App() {
  const session = useSession();
  const route = useRoute();
  const role = session.account.role;
  const links: [string, string, boolean][] = [
    ['units', 'Đơn vị', can(role, 'readRecords') || can(role, 'readStatistics')],
    ['members', 'Đảng viên', can(role, 'readRecords')],
    ['transfers', 'Chuyển sinh hoạt', can(role, 'readRecords')],
    ['reports', 'Báo cáo', can(role, 'readStatistics')],
    ['audit', 'Nhật ký', can(role, 'readAudit')],
  ];
  const current = route[0] ?? (can(role, 'readRecords') ? 'units' : 'audit');
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Bỏ qua đến nội dung
      </a>
      <header className="top">
        <span className="brand">Hồ sơ đảng viên</span>
        <nav aria-label="Chức năng">
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([path, text]) => (
                <li key={path}>
                  <a href={href(path)} aria-current={current === path ? 'page' : undefined}>
                    {text}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          <span title={session.unit.code}>
            Đang làm việc tại: <strong>{session.unit.name}</strong>
          </span>
          <span>
            {session.account.username} ({label(role)})
          </span>
          <button type="button" onClick={session.signOut}>
            Đăng xuất
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Keyed by the route: moving to another member does not keep the first one's open forms. */}
        <ScreenBoundary key={route.join('/')}>{screenFor(route, role)}</ScreenBoundary>
      </main>
    </>
  );
}
