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
