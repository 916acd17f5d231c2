import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ownerOnlyKeyFiles } from '../../../main/store/at-rest-keys';
import { openDb } from '../../../main/store';
import { withNormalSync } from '../../../main/store/relaxed-sync';
import { tempDir } from '../../helpers/temp-dir';

/**
 * The agent and CLI commands (`sale run`, `sync drain`) write one database file. A transaction begun DEFERRED
 * that reads, then writes after another process committed, fails at once with SQLITE_BUSY_SNAPSHOT: the soak
 * saw a CLI sale refused "locked by another process" that way. Each case lets another connection try to commit
 * in the middle of the transaction; begun IMMEDIATE, the transaction holds the write lock, so that commit is
 * the one that waits (refused here: its busy timeout is 0) and the transaction completes.
 */
function otherWriter(file: string): { tryCommit(): string } {
  const other = new Database(file, { timeout: 0 });
  return {
    tryCommit(): string {
      try {
        other.prepare("INSERT INTO agent_meta (key, value) VALUES ('other-writer', 'x') ON CONFLICT (key) DO UPDATE SET value = value || 'x'").run();
        return 'committed';
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      }
    },
  };
}

describe('a transaction while another process writes the same database', () => {
  it('opening (the at-rest key load reads, then records its marker) completes when a commit comes in between', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    openDb(file).close();
    const other = otherWriter(file);
    const seen: string[] = [];
    const db = openDb(file, {
      keyFiles: {
        read: (f) => {
          seen.push(other.tryCommit());
          return ownerOnlyKeyFiles.read(f);
        },
        write: (f, v) => ownerOnlyKeyFiles.write(f, v),
      },
    });
    expect(seen[0]).toBe('SQLITE_BUSY');
    expect(other.tryCommit()).toBe('committed');
    db.close();
  });

  it('the outbox bookkeeping and the open basket (synchronous=NORMAL writes) read, then write, past a commit in between', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const db = openDb(file);
    const other = otherWriter(file);
    const seen = withNormalSync(db, () => {
      const before = db.prepare('SELECT count(*) AS n FROM agent_meta').get() as { n: number };
      const answer = other.tryCommit();
      db.prepare("INSERT INTO agent_meta (key, value) VALUES ('mine', ?)").run(String(before.n));
      return answer;
    });
    expect(seen).toBe('SQLITE_BUSY');
    expect(other.tryCommit()).toBe('committed');
    db.close();
  });
});
