import { afterEach, describe, expect, it } from 'vitest';
import type { WritableDb } from '../../../main/store';
import { searchCatalogByName } from '../../../main/store/catalog';
import { openTill } from './fixtures';

let db: WritableDb | undefined;
afterEach(() => db?.close());

describe('catalog search by name', () => {
  it('finds items whose name contains the query, case-insensitively, and treats LIKE wildcards literally', () => {
    db = openTill().db;
    expect(searchCatalogByName(db, 'milk', 10).map((i) => i.id)).toEqual(['milk']);
    expect(searchCatalogByName(db, 'L', 10).map((i) => i.id).sort()).toEqual(['apples', 'beer', 'milk']);
    expect(searchCatalogByName(db, '%', 10)).toEqual([]);
    expect(searchCatalogByName(db, '_', 10)).toEqual([]);
    expect(searchCatalogByName(db, 'l', 1)).toHaveLength(1);
  });
});
