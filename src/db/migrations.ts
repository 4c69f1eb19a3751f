import { Foundation1763800000000 } from '../../migrations/1763800000000-foundation.js';
import { AlertsAndDeliveries1763800100000 } from '../../migrations/1763800100000-alerts-and-deliveries.js';
import { GroupTargetLog1763800411000 } from '../../migrations/1763800411000-group-target-log.js';
import { SloAndHeartbeats1763800700000 } from '../../migrations/1763800700000-slo-and-heartbeats.js';
import { GroupKeyHashUnique1763801000000 } from '../../migrations/1763801000000-group-key-hash-unique.js';

/** Every migration in `migrations/`, oldest first. A new migration file is added here too. */
export const MIGRATIONS = [Foundation1763800000000, AlertsAndDeliveries1763800100000, GroupTargetLog1763800411000, SloAndHeartbeats1763800700000, GroupKeyHashUnique1763801000000];
