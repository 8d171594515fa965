import { Arg, Query, Resolver } from 'type-graphql';
import { CatalogueItem, CatalogueKindEnum, catalogueItems, type CatalogueKind } from './catalogues';

@Resolver()
export class CatalogueResolver {
  @Query(() => [CatalogueItem], { description: 'The items of a reference catalogue that may be recorded, in official order (retired codes, kept only on the records that hold them, are left out).' })
  catalogue(@Arg('kind', () => CatalogueKindEnum, { description: 'Which catalogue.' }) kind: CatalogueKind): CatalogueItem[] {
    return catalogueItems(kind);
  }
}
