import { useId, useState } from 'react';
import { graphql } from '../api/graphql';
import { can } from '../access';
import { href } from '../router';
import { useSession } from '../session';
import { ErrorBox, Loading } from '../ui/components';
import { formatNumber, label, vietnameseCollator } from '../ui/format';
import { useQuery, type QueryState } from '../ui/use-query';
import type { ApiError } from '../api/client';

// One statistics call per opened unit answers the unit's own count, its children and theirs together.
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

/** A unit's own row and its children's, from whichever of the two queries the role may run. */
interface Opened {
  self: UnitRow | null;
  children: UnitRow[];
  loading: boolean;
  error: ApiError | null;
}

/** Runs the query that opens `unitId` (statistics when the role may read them, else the plain tree). */
function useOpened(unitId: string): Opened {
  const session = useSession();
  const counted = can(session.account.role, 'readStatistics');
  const withCounts = useQuery(UnitChildren, { unitId }, { skip: !counted });
  const plain = useQuery(UnitChildrenPlain, { unitId }, { skip: counted });
  if (counted) {
    const statistics = withCounts.data?.statistics;
    return {
      self: statistics ? { ...statistics.unit, total: statistics.total } : null,
      children: (statistics?.children ?? []).map((child) => ({ ...child.unit, total: child.total })),
      ...state(withCounts),
    };
  }
  const unit = plain.data?.unit;
  return {
    self: unit ? { id: unit.id, code: unit.code, name: unit.name, kind: unit.kind, total: null } : null,
    children: (unit?.children.edges ?? []).map(({ node }) => ({ ...node, total: null })),
    ...state(plain),
  };
}

function state(query: QueryState<unknown>): Pick<Opened, 'loading' | 'error'> {
  return { loading: query.loading, error: query.error };
}

/** Màn hình Đơn vị: the tree of the account's scope with member counts; pick a unit to work in. */
export function Units() {
  const session = useSession();
  const root = session.account.unit;
  // The root's own count and its children come from one answer: the root row needs no second request.
  const opened = useOpened(root.id);
  return (
    <>
      <h1>Đơn vị trong phạm vi</h1>
      <p>
        Chọn đơn vị để làm việc: danh sách đảng viên, báo cáo và xuất dữ liệu sẽ theo đơn vị đã chọn. Đơn vị đang chọn:{' '}
        <strong>{session.unit.name}</strong>.
      </p>
      {/* Plain nested lists with disclosure buttons: every button and link inside stays reachable
          by Tab and readable by a screen reader (a role=tree would need its own arrow-key model). */}
      <ul className="tree" aria-label="Cây tổ chức">
        <UnitNode unit={opened.self ?? { ...root, total: null }} depth={1} preloaded={opened} />
      </ul>
    </>
  );
}

function UnitNode({ unit, depth, preloaded }: { unit: UnitRow; depth: number; preloaded?: Opened }) {
  // The root comes open (its children are already asked for); the others open on demand.
  const [open, setOpen] = useState(!!preloaded);
  // Once opened, the children stay rendered (hidden when closed): closing and reopening asks nothing again.
  const [everOpened, setEverOpened] = useState(!!preloaded);
  const session = useSession();
  const listId = useId();
  const chosen = session.unit.id === unit.id;
  const leaf = unit.kind === 'CELL';
  const toggle = () => {
    setOpen(!open);
    setEverOpened(true);
  };
  return (
    // aria-level: the depth a screen reader announces for nested lists, stated for every reader.
    <li aria-level={depth}>
      <div className={chosen ? 'unit chosen' : 'unit'}>
        {leaf ? (
          <span className="twisty" aria-hidden="true" />
        ) : (
          <button type="button" className="twisty" onClick={toggle} aria-expanded={open} aria-controls={listId} aria-label={`Đơn vị trực thuộc ${unit.name}`}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        )}
        <span className="unit-name">{unit.name}</span>
        {/* Cells of merged wards share names: the code tells them apart. */}
        <span className="unit-code">{unit.code}</span>
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
      {!leaf && (
        <ul id={listId} hidden={!open}>
          {preloaded ? <ChildRows opened={preloaded} depth={depth + 1} /> : everOpened && <Children unitId={unit.id} depth={depth + 1} />}
        </ul>
      )}
    </li>
  );
}

function Children({ unitId, depth }: { unitId: string; depth: number }) {
  return <ChildRows opened={useOpened(unitId)} depth={depth} />;
}

function ChildRows({ opened, depth }: { opened: Opened; depth: number }) {
  return (
    <>
      {opened.loading && (
        <li>
          <Loading when />
        </li>
      )}
      {opened.error && (
        <li>
          <ErrorBox error={opened.error} />
        </li>
      )}
      {!opened.loading && !opened.error && !opened.children.length && (
        <li className="unit-none">Không có đơn vị trực thuộc.</li>
      )}
      {[...opened.children].sort(byNameThenCode).map((row) => (
        <UnitNode key={row.id} unit={row} depth={depth} />
      ))}
    </>
  );
}

/** Vietnamese order of names; namesakes (cells of merged wards) by code. */
function byNameThenCode(a: UnitRow, b: UnitRow): number {
  return vietnameseCollator.compare(a.name, b.name) || vietnameseCollator.compare(a.code, b.code);
}
