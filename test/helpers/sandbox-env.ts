/** What a till needs to talk to a running sandbox: the `TILL_*` variables for both back ends and their credentials. */
export type SandboxEndpoints = {
  readonly dinteroUrl: string;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly loyaltyUrl: string;
  readonly apiKey: string;
};

export function sandboxEnv(sandbox: SandboxEndpoints): Record<string, string> {
  return {
    TILL_DINTERO_BASE_URL: sandbox.dinteroUrl,
    TILL_DINTERO_ACCOUNT_ID: sandbox.accountId,
    TILL_DINTERO_CLIENT_ID: sandbox.clientId,
    TILL_DINTERO_CLIENT_SECRET: sandbox.clientSecret,
    TILL_LOYALTY_BASE_URL: sandbox.loyaltyUrl,
    TILL_LOYALTY_API_KEY: sandbox.apiKey,
  };
}

/** The same sandbox as the back-end settings of a `TillConnector` built in a test. */
export function sandboxBackends(sandbox: SandboxEndpoints): {
  dintero: { baseUrl: string; accountId: string; clientId: string; clientSecret: string };
  loyalty: { baseUrl: string; apiKey: string };
} {
  return {
    dintero: { baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    loyalty: { baseUrl: sandbox.loyaltyUrl, apiKey: sandbox.apiKey },
  };
}
