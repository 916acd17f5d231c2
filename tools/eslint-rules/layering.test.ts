import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { createLayeringRule } from './layering';

RuleTester.describe = describe;
RuleTester.it = it;

const root = '/repo';
const rule = createLayeringRule(root);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });
const at = (file: string): string => path.join(root, file);

tester.run('layering', rule, {
  valid: [
    { filename: at('main/core/money.ts'), code: "import { x } from './discounts/engine';" },
    { filename: at('main/store/open-db.ts'), code: "import Database from 'better-sqlite3'; import { m } from '../core/money';" },
    { filename: at('main/api/server.ts'), code: "import Fastify from 'fastify'; import { openDb } from '../store/open-db';" },
    { filename: at('renderer/cashier/app.tsx'), code: "import { StatusSchema } from '../../main/api/contract'; import { h } from 'preact';" },
    { filename: at('test/unit/anything.test.ts'), code: "import x from 'whatever'; import y from '../../main/electron/main';" },
    { filename: at('main/electron/window.ts'), code: "import { app } from 'electron';" },
  ],
  invalid: [
    { filename: at('native/barcode/parse-scan.ts'), code: "import { SerialPort } from 'serialport';", errors: [{ messageId: 'package' }] },
    { filename: at('native/barcode/gtin.ts'), code: "import fs from 'node:fs';", errors: [{ messageId: 'package' }] },
    { filename: at('native/barcode/gtin.ts'), code: "import { x } from '../scanners/framing';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/agent/start-agent.ts'), code: "import { x } from '../electron/ipc';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/agent/start-agent.ts'), code: "import { x } from '../cli/run';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/electron/ipc.ts'), code: "import { openDb } from '../store/open-db';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/core/money.ts'), code: "import { openDb } from '../store/open-db';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/core/clock.ts'), code: "import fs from 'node:fs';", errors: [{ messageId: 'package' }] },
    { filename: at('main/store/open-db.ts'), code: "import { serve } from '../api/server';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/api/server.ts'), code: "import { app } from 'electron';", errors: [{ messageId: 'package' }] },
    { filename: at('renderer/kiosk/app.tsx'), code: "import { Basket } from '../cashier/basket';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('renderer/shared/api.ts'), code: "import { openDb } from '../../main/store/open-db';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('native/barcode/gtin.ts'), code: "import { x } from '../../main/store/open-db';", errors: [{ messageId: 'wrongWay' }] },
    { filename: at('main/store/x.ts'), code: "const m = require('left-pad');", errors: [{ messageId: 'package' }] },
    { filename: at('main/sync/outbox.ts'), code: "export * from '../api/server';", errors: [{ messageId: 'wrongWay' }] },
  ],
});
