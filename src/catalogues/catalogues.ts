import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { CATALOGUES, type CatalogueKind } from './catalogue-data';

export { CATALOGUES, type CatalogueKind };

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

const items = new Map<CatalogueKind, Map<string, CatalogueItem>>(
  (Object.keys(CATALOGUES) as CatalogueKind[]).map((kind) => [
    kind,
    new Map(CATALOGUES[kind].rows.map(([code, label]) => [code, Object.assign(new CatalogueItem(), { code, label })])),
  ]),
);

/** The items of a catalogue in their official order (the same rows the migration loaded). */
export function catalogueItems(kind: CatalogueKind): CatalogueItem[] {
  return [...items.get(kind)!.values()];
}

/** The item for a code, or null for no value; an unknown code is a programming error. */
export function catalogueItem(kind: CatalogueKind, code: string | null | undefined): CatalogueItem | null {
  if (code === null || code === undefined) return null;
  const item = items.get(kind)!.get(code);
  if (!item) throw new Error(`code ${code} is not in catalogue ${kind}`);
  return item;
}

export function isCatalogueCode(kind: CatalogueKind, code: string): boolean {
  return items.get(kind)!.has(code);
}
