import { useState } from 'react';
import { graphql } from '../api/graphql';
import { can } from '../access';
import { href } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading } from '../ui/components';
import { formatNumber, label, sortVietnamese } from '../ui/format';
import { useQuery } from '../ui/use-query';

// One statistics call per opened unit answers its children and their member counts together.
const UnitChildren = graphql(`
  query UnitChildren($unitId: ID!) {
    statistics(unitId: $unitId) {
      total
      unit { id code name kind }
      children { total unit { id code name kind } }
    }
  }
`);

// Roles without statistics (the auditor) see the tree without counts.
const UnitChildrenPlain = graphql(`
  query UnitChildrenPlain($unitId: ID!) {
    unit(id: $unitId) {
      id code name kind
      children(first: 100) { edges { node { id code name kind } } }
    }
  }
`);

interface UnitRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  total: number | null;
}

/** Màn hình Đơn vị: the tree of the account's scope with member counts; pick a unit to work in. */
export function Units() {
  const session = useSession();
  const root = session.account.unit;
  return (
    <>
      <h1>Đơn vị trong phạm vi</h1>
      <p>
        Chọn đơn vị để làm việc: danh sách đảng viên, báo cáo và xuất dữ liệu sẽ theo đơn vị đã chọn. Đơn vị đang chọn:{' '}
        <strong>{session.unit.name}</strong>.
      </p>
      <ul className="tree" role="tree" aria-label="Cây tổ chức">
        <UnitNode unit={{ ...root, total: null }} depth={1} startOpen />
      </ul>
    </>
  );
}

function UnitNode({ unit, depth, startOpen = false }: { unit: UnitRow; depth: number; startOpen?: boolean }) {
  const [open, setOpen] = useState(startOpen);
  const session = useSession();
  const chosen = session.unit.id === unit.id;
  const leaf = unit.kind === 'CELL';
  return (
    <li role="treeitem" aria-expanded={leaf ? undefined : open} aria-level={depth} aria-selected={chosen}>
      <div className={chosen ? 'unit chosen' : 'unit'}>
        {leaf ? (
          <span className="twisty" aria-hidden="true" />
        ) : (
          <button type="button" className="twisty" onClick={() => setOpen(!open)} aria-label={(open ? 'Thu gọn ' : 'Mở ') + unit.name}>
            {open ? '▾' : '▸'}
          </button>
        )}
        <span className="unit-name">{unit.name}</span>
        <span className="unit-kind">{label(unit.kind)}</span>
        {unit.total !== null && <span className="count">{formatNumber(unit.total)} đảng viên</span>}
        <button type="button" onClick={() => session.chooseUnit(unit)} disabled={chosen}>
          {chosen ? 'Đang chọn' : 'Chọn'}
        </button>
        {can(session.account.role, 'readRecords') && (
          <a href={href('members') + `?unitId=${encodeURIComponent(unit.id)}`} onClick={() => session.chooseUnit(unit)}>
            Danh sách
          </a>
        )}
      </div>
      {open && !leaf && <Children unitId={unit.id} depth={depth + 1} />}
    </li>
  );
}

function Children({ unitId, depth }: { unitId: string; depth: number }) {
  const session = useSession();
  const counted = can(session.account.role, 'readStatistics');
  const withCounts = useQuery(UnitChildren, { unitId }, { skip: !counted });
  const plain = useQuery(UnitChildrenPlain, { unitId }, { skip: counted });
  const rows: UnitRow[] = counted
    ? (withCounts.data?.statistics.children ?? []).map((child) => ({ ...child.unit, total: child.total }))
    : (plain.data?.unit?.children.edges ?? []).map(({ node }) => ({ ...node, total: null }));
  const state = counted ? withCounts : plain;
  return (
    <ul role="group">
      {state.loading && (
        <li>
          <Loading when />
        </li>
      )}
      {state.error && (
        <li>
          <ErrorBox error={state.error} />
        </li>
      )}
      {sortVietnamese(rows, (row) => row.name).map((row) => (
        <UnitNode key={row.id} unit={row} depth={depth} />
      ))}
    </ul>
  );
}
