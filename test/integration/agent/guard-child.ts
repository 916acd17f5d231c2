// A real process with the agent's process guards and a real SQLite file: injects the failure named in argv[2].
import path from 'node:path';
import { installProcessGuards } from '../../../main/agent/process-guards';
import type { Logger } from '../../../main/log';
import { openDb } from '../../../main/store';

const [, , fault, dir] = process.argv;
const db = openDb(path.join(dir ?? '.', 'till.sqlite'));
db.exec('CREATE TABLE IF NOT EXISTS committed (n INTEGER)');
db.prepare('INSERT INTO committed VALUES (1)').run();
const line = (level: string) => (obj: object, msg: string): void => void process.stdout.write(`${JSON.stringify({ level, msg, ...obj, err: String((obj as { err?: unknown }).err) })}\n`);
const logger = { error: line('error'), fatal: line('fatal') } as unknown as Logger;
installProcessGuards({ logger: () => logger, context: () => ({ posId: 'till-9' }), closeDb: () => db.close() });
if (fault === 'rejection') void Promise.reject(new Error('injected rejection'));
if (fault === 'exception') setTimeout(() => { throw new Error('injected exception'); }, 10);
setTimeout(() => { process.stdout.write('alive\n'); db.close(); }, 200);
