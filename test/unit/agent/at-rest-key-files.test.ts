import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilesOf, sealKeyFiles } from '../../../main/agent/at-rest-key-files';
import { osKeyStore, ownerOnlyFile } from '../../../main/agent/secret-store';
import { openDb } from '../../../main/store';
import { lookupHasher } from '../../../main/store/lookup-hash';
import { sealField, tryOpenField } from '../../../main/store/sealed-field';
import { fakeSafeStorage } from '../../helpers/fake-safe-storage';
import { tempDir } from '../../helpers/temp-dir';

/** The at-rest key files in the desktop app: sealed with the OS key store, like the API token. */
describe('at-rest key files', () => {
  it('are sealed with the OS key store, give the same keys after a restart, and stay closed to plain Node', () => {
    const dir = tempDir('till-keys-');
    const file = path.join(dir, 'till.sqlite');
    const sealer = osKeyStore(fakeSafeStorage());
    if (!sealer) throw new Error('the fake key store encrypts');
    let db = openDb(file, { keyFiles: keyFilesOf(sealer) });
    const hash = lookupHasher(db).hash('phone', '+4799887766');
    const sealed = sealField(db, 'personal', 'Solveig');
    db.close();
    for (const name of ['lookup-hash-key', 'sealed-field-key']) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      expect(text.startsWith('safeStorage:v1:'), name).toBe(true);
      expect(text).not.toMatch(/[0-9a-f]{64}/);
      expect(fs.statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
    }
    db = openDb(file, { keyFiles: keyFilesOf(sealer) });
    expect(lookupHasher(db).hash('phone', '+47 998 87 766')).toBe(hash);
    expect(tryOpenField(db, 'personal', sealed)).toBe('Solveig');
    db.close();
    // Plain Node (the CLI) opens the database, but not the keys: what needs them says why, and no new key is made.
    for (const keyFiles of [undefined, keyFilesOf(ownerOnlyFile)]) {
      db = openDb(file, keyFiles ? { keyFiles } : {});
      expect(() => lookupHasher(db).hash('phone', '1')).toThrow(/plain Node cannot open/);
      expect(() => sealField(db, 'basket', '{}')).toThrow(/plain Node cannot open/);
      db.close();
    }
    expect(fs.readFileSync(path.join(dir, 'lookup-hash-key'), 'utf8').startsWith('safeStorage:v1:')).toBe(true);
  });

  it('plain key files (written by the CLI or the migration) are sealed once the OS key store can protect them', () => {
    const dir = tempDir('till-keys-plain-');
    const file = path.join(dir, 'till.sqlite');
    let db = openDb(file);
    const hash = lookupHasher(db).hash('email', 'a@b.no');
    db.close();
    const plain = fs.readFileSync(path.join(dir, 'lookup-hash-key'), 'utf8').trim();
    expect(plain).toMatch(/^[0-9a-f]{64}$/);
    const sealer = osKeyStore(fakeSafeStorage());
    if (!sealer) throw new Error('the fake key store encrypts');
    sealKeyFiles(dir, sealer);
    expect(fs.readFileSync(path.join(dir, 'lookup-hash-key'), 'utf8')).not.toContain(plain);
    db = openDb(file, { keyFiles: keyFilesOf(sealer) });
    expect(lookupHasher(db).hash('email', 'A@b.no ')).toBe(hash);
    db.close();
  });
});
