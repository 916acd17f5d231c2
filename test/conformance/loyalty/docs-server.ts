/**
 * A real loopback HTTP server that answers the way the Loyalty POS API's published pages show, independent of our
 * sandbox (main/sandbox/loyalty): every request is checked against published-shapes.ts, and answered with the
 * documented envelopes verbatim. A test picks which documented success shape the server uses, or scripts an
 * answer per endpoint.
 */
import { startTestServer, type Reply, type Seen, type TestServer } from '../../unit/sync/connectors/test-server';
import { checkBody, checkHeaders, REFERENCE_NAMES, type WireNames } from './published-shapes';

export type SuccessShape =
  /** Seed 004 "Response & Error Handling": `{"status":"success","confirmationCode":"ABC123"}`. */
  | 'top-level'
  /** §2.6 /payment page: `{"status":"success","data":{"confirmationCode":…,"newBalance":{…}}}`. */
  | 'data';

export type DocsServer = {
  /** The client's base URL: the server's root plus `v1/` (§0: `https://pos-api.fidelizacion.app/v1/{apiCall}`). */
  readonly baseUrl: string;
  readonly seen: Seen[];
  /** Every way a request broke the published shapes, as `METHOD path: problem`. */
  readonly problems: string[];
  points: number;
  close(): Promise<void>;
};

export type DocsServerOptions = {
  readonly shape?: SuccessShape;
  readonly names?: WireNames;
  readonly cancelAmount?: 'negative' | 'omit';
  readonly points?: number;
  /** A scripted answer for one endpoint (e.g. `'/v1/payment'`), instead of the documented success. */
  readonly answer?: (path: string, body: Record<string, unknown>) => Reply | undefined;
};

function success(shape: SuccessShape, fields: Record<string, unknown>): Reply {
  return { status: 200, body: shape === 'top-level' ? { status: 'success', ...fields } : { status: 'success', data: fields } };
}

export async function startDocsServer(options: DocsServerOptions = {}): Promise<DocsServer> {
  const shape = options.shape ?? 'data';
  const problems: string[] = [];
  let codes = 0;
  const state = { points: options.points ?? 10_000 };
  const handler = (req: Seen): Reply => {
    const path = req.url.split('?')[0] ?? '';
    const found = [
      ...(req.method === 'POST' ? [] : [`method ${req.method}: the API is POST-only (§0)`]),
      ...checkHeaders(req.headers),
      ...checkBody(path, req.body, options.names ?? REFERENCE_NAMES, options.cancelAmount ?? 'negative'),
    ];
    for (const p of found) problems.push(`${req.method} ${path}: ${p}`);
    if (found.length > 0) {
      // §4's envelope; `1001` is the documented invalid-input code. The HTTP status is not documented (§4).
      return { status: 400, body: { status: 'error', error: { code: '1001', message: found[0], path: 'body' } } };
    }
    const body = req.body as Record<string, unknown>;
    const scripted = options.answer?.(path, body);
    if (scripted) return scripted;
    switch (path) {
      case '/v1/member/details':
        // §2.3, bade-docs sample: `status: "ok"` and the member at the top level.
        return { status: 200, body: { status: 'ok', member: { status: 'active', firstName: 'John', lastName: 'Doe', membershipKey: '0fe31b8b-5ad5-48af-81e9-4adc7d596042', visit: 0, totalSpent: 0, points: state.points } } };
      case '/v1/payment': {
        const payment = body.payment as { action: string; amount?: number };
        // §3.4: amount positive for pay, negative for cancel; the balance moves by it.
        state.points -= payment.action === 'pay' ? (payment.amount ?? 0) : -Math.abs(payment.amount ?? 0);
        codes += 1;
        return success(shape, { confirmationCode: `3fa85f64-5717-4562-b3fc-${String(codes).padStart(12, '0')}`, newBalance: { points: state.points, credit: 0 } });
      }
      case '/v1/transaction':
        codes += 1;
        return success(shape, { confirmationCode: `ABC${String(codes).padStart(3, '0')}` });
      default:
        // §2.4, §2.7: `{"status":"success","data":{}}`.
        return { status: 200, body: { status: 'success', data: {} } };
    }
  };
  const server: TestServer = await startTestServer(handler);
  return {
    baseUrl: `${server.url}v1/`,
    seen: server.seen,
    problems,
    get points() {
      return state.points;
    },
    set points(v: number) {
      state.points = v;
    },
    close: () => server.close(),
  };
}
