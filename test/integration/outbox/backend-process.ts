// The test back end in a process of its own, so a benchmark measures the till's side of the traffic only.
// Prints its URL on the first line of stdout and runs until killed.
import { TestBackend } from './test-backend';

const backend = new TestBackend();
const url = await backend.start();
process.stdout.write(`${url}\n`);
