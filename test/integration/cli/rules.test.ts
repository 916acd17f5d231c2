import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const demoRules = path.join(REPO, 'demo', 'rules.json');
const badRules = path.join(REPO, 'test', 'fixtures', 'cli', 'rules.json');

describe('till-agent rules', () => {
  it('imports a rule export with a version, lists it and explains one rule', async () => {
    const dir = tempDir();
    const imported = await runCli(['rules', 'import', demoRules, '--data-dir', dir]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Imported 21 rule\(s\) as version import:[0-9a-f]{16}; rejected 0/);
    const list = await runCli(['rules', 'list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Rule set import:[0-9a-f]{16}: 21 rule\(s\)/);
    expect(list.stdout).toMatch(/demo-coffee-20kr/);
    const json = JSON.parse((await runCli(['rules', 'list', '--json', '--data-dir', dir])).stdout) as { id: string }[];
    expect(json).toHaveLength(21);
    const first = json[0]?.id ?? '';
    const explain = await runCli(['rules', 'explain', first, '--data-dir', dir]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(new RegExp(`^${first}: `));
    expect(explain.stdout).toMatch(/reward: +discount_/);
    const missing = await runCli(['rules', 'explain', 'nope', '--data-dir', dir]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No cached rule has the id "nope"/);
  });

  it('rejects a malformed rule alone, by id and path, and keeps the rest (exit 3)', async () => {
    const dir = tempDir();
    const r = await runCli(['rules', 'import', badRules, '--data-dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rule rule-broken rejected: requirement\.purchase_to/);
    expect(r.stdout).toMatch(/Imported 1 rule\(s\)/);
  });

  it('says so when nothing is cached yet', async () => {
    const dir = tempDir();
    await runCli(['rules', 'import', badRules, '--data-dir', dir]);
    const empty = tempDir();
    const none = await runCli(['rules', 'list', '--data-dir', empty]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/There is no till database/);
  });
});
