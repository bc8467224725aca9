import type { QueryRunner } from './client.js';

/**
 * A hot query built once per database handle and run as a named prepared statement: Node does
 * not build its SQL on every request, and PostgreSQL parses it once per connection. `build`
 * must end in `.prepare(name)`, with `sql.placeholder(…)` for the values.
 */
export function preparedQuery<Query>(build: (db: QueryRunner) => Query): (db: QueryRunner) => Query {
  const byDb = new WeakMap<QueryRunner, Query>();
  return (db) => {
    let query = byDb.get(db);
    if (!query) {
      query = build(db);
      byDb.set(db, query);
    }
    return query;
  };
}
