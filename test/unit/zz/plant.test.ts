import fs from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir';
it('plants', () => {
  const d = tempDir();
  fs.mkdirSync(path.join(d, 'logs'));
  fs.writeFileSync(path.join(d, 'logs', 'till-agent.log'), '{"msg":"ok"}\n{"msg":"member kari.nordmann@example.com +47 998 87 766 at 2026-03-02T10:00:00.000+01:00"}\n');
  fs.writeFileSync(path.join(d, 'api-token'), 'Zk3vQx9Lr2Tn8Wm5Yp1Bc7Hd4Jf6Ks0Ua2Ve9Xg3Qi\n');
  fs.writeFileSync(path.join(d, 'other.log'), 'token Zk3vQx9Lr2Tn8Wm5Yp1Bc7Hd4Jf6Ks0Ua2Ve9Xg3Qi leaked\n');
});
