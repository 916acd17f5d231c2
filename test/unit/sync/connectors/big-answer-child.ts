import { HttpClient } from '../../../../main/sync/connectors/http';

/**
 * Run as its own process by http-limits.test.ts: asks the URL in argv[2] through the HttpClient and prints the
 * result and the highest RSS seen while it ran, so the test measures this process alone (not the test runner).
 */
let maxRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 5);
const client = new HttpClient({ name: 'test', baseUrl: process.argv[2] ?? '', timeoutMs: 60_000 });
const result = await client.request({ method: 'GET', path: 'huge' });
maxRss = Math.max(maxRss, process.memoryUsage().rss);
clearInterval(sampler);
process.stdout.write(JSON.stringify({ result, maxRss }));
