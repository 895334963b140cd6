const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` has the shape of a UUID (any version, either case). Checked before a value
 * reaches a `uuid` column, where PostgreSQL would answer anything else with an error, not a miss.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
