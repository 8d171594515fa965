import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { CATALOGUES, countedAs, isRetiredCode, isSelectableCode, type CatalogueKind } from './catalogue-data';

export { CATALOGUES, countedAs, isRetiredCode, type CatalogueKind };

export const CatalogueKindEnum = Object.fromEntries(Object.keys(CATALOGUES).map((k) => [k, k])) as {
  [K in CatalogueKind]: K;
};

registerEnumType(CatalogueKindEnum, {
  name: 'CatalogueKind',
  description: 'A reference catalogue (danh mục) of coded values.',
  valuesConfig: Object.fromEntries(Object.entries(CATALOGUES).map(([k, c]) => [k, { description: c.description }])),
});

@ObjectType({ description: 'A coded value of a reference catalogue, with its Vietnamese label.', simpleResolvers: true })
export class CatalogueItem {
  @Field({ description: 'Stable code (mã), e.g. "01" for Kinh or "DAI_HOC".' })
  code!: string;

  @Field({ description: 'Official Vietnamese label (tên).' })
  label!: string;
}

const item = (code: string, label: string) => Object.assign(new CatalogueItem(), { code, label });

/** Every code a record may hold, retired ones included (so existing records still read). */
const items = new Map<CatalogueKind, Map<string, CatalogueItem>>(
  (Object.keys(CATALOGUES) as CatalogueKind[]).map((kind) => [
    kind,
    new Map([...CATALOGUES[kind].rows, ...CATALOGUES[kind].retired].map(([code, label]) => [code, item(code, label)])),
  ]),
);

/** The items staff may record, in their official order (retired codes left out). */
export function catalogueItems(kind: CatalogueKind): CatalogueItem[] {
  return CATALOGUES[kind].rows.map(([code]) => items.get(kind)!.get(code)!);
}

/** The item for a code, or null for no value; an unknown code is a programming error. */
export function catalogueItem(kind: CatalogueKind, code: string | null | undefined): CatalogueItem | null {
  if (code === null || code === undefined) return null;
  const found = items.get(kind)!.get(code);
  if (!found) throw new Error(`code ${code} is not in catalogue ${kind}`);
  return found;
}

/**
 * A code a new value may take: in the catalogue and not retired. A retired code stays on the
 * records that hold it, but is not written again (staff record its replacement).
 */
export function isCatalogueCode(kind: CatalogueKind, code: string): boolean {
  return isSelectableCode(kind, code);
}
