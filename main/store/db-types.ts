import type Database from 'better-sqlite3';

/**
 * Branded handles (Signal's pattern): query modules that only read take a `ReadableDb`, so a writer cannot be
 * handed to them by accident and a reader cannot reach a write path. Only `openDb()` creates a `WritableDb`.
 */
declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;
export type ReadableDb = Database.Database & { readonly [readableBrand]: never };
export type WritableDb = ReadableDb & { readonly [writableBrand]: never };

export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: WritableDb): void;
};
