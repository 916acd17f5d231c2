import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../../helpers/cli';

/**
 * The Tax Administration's XSD and example file (Skatteetaten/saf-t) are not in this repository: the repository
 * they come from grants no licence to redistribute them (test/fixtures/saft/README.md). The tests look for them
 * in `SAFT_FIXTURES_DIR`, then in the steering repository's `shared/saft/` beside the checkout (which CI has),
 * then in `test/fixtures/saft/official/` (git-ignored, for a developer's own copy).
 */
export const XSD_NAME = 'Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd';
export const EXAMPLE_NAME = 'ExampleFile SAF-T Cash Register_999999999_20210330104000.xml';

export function officialFixturesDir(): string | undefined {
  const candidates = [process.env['SAFT_FIXTURES_DIR'], path.join(REPO, '..', 'shared', 'saft'), path.join(REPO, 'test', 'fixtures', 'saft', 'official')];
  return candidates.find((d): d is string => d !== undefined && d !== '' && fs.existsSync(path.join(d, XSD_NAME)) && fs.existsSync(path.join(d, EXAMPLE_NAME)));
}
