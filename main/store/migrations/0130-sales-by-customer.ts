import type { WritableDb } from '../db-types';

/**
 * Sales by customer: pricing a customer's basket counts the discount uses this till has already committed for
 * them (main/store/discount-usage.ts), so it looks their sales up at every identification.
 */
export default function up(db: WritableDb): void {
  db.exec(`CREATE INDEX sales_byCustomer ON sales (customer_id) WHERE customer_id IS NOT NULL;`);
}
