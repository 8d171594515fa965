// Rule files that reach a decorated class (a GraphQL type, e.g. UserError) need the metadata polyfill;
// nothing else: unit tests start no database.
import 'reflect-metadata';
