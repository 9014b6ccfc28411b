// The neutral database sizes as Cloud SQL for PostgreSQL machine types, and the connection limit each
// starts with. No SDK import. Dedicated-core custom types: shared-core ones (db-f1-micro, db-g1-small)
// are "not covered by the Cloud SQL SLA" (Cloud SQL, "Machine series overview").
import type { DatabaseSize } from "../model";

export const cloudSqlTiers: Record<DatabaseSize, { tier: string; vcpu: number; memoryGiB: number }> = {
  small: { tier: "db-custom-1-3840", vcpu: 1, memoryGiB: 3.75 },
  medium: { tier: "db-custom-2-7680", vcpu: 2, memoryGiB: 7.5 },
  large: { tier: "db-custom-4-15360", vcpu: 4, memoryGiB: 15 },
  xlarge: { tier: "db-custom-8-30720", vcpu: 8, memoryGiB: 30 },
};

/**
 * max_connections Cloud SQL sets for PostgreSQL by memory (Cloud SQL, "Quotas and limits": maximum
 * concurrent connections): 100 from 3.75 GB, 200 from 6, 400 from 7.5, 500 from 15, 600 from 30.
 */
export function cloudSqlMaxConnections(size: DatabaseSize): number {
  const memory = cloudSqlTiers[size].memoryGiB;
  if (memory >= 30) return 600;
  if (memory >= 15) return 500;
  if (memory >= 7.5) return 400;
  if (memory >= 6) return 200;
  return 100;
}
