import { TillConnector, type TillConnectorOptions } from '../../main/sync/connectors/till-connector';

/** The till the connector tests speak for; only the back ends, clock, log and deadline differ between them. */
export const TEST_TILL = { posId: 'till-7', branchId: 'oslo-1', sourceType: 'POS', version: '1.2.3' } as const;

export function testConnector(options: Omit<TillConnectorOptions, keyof typeof TEST_TILL>): TillConnector {
  return new TillConnector({ ...TEST_TILL, ...options });
}
