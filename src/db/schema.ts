/**
 * The database schema as Kysely sees it: the union of every capability's tables.
 * Each capability declares its own tables next to its store.
 */
import type { AccountsTables } from '../accounts/tables.ts';
import type { JobsTables } from '../jobs/tables.ts';
import type { NotifyChannelTables } from '../notify/channels-tables.ts';
import type { NotifyTables } from '../notify/tables.ts';
import type { PlacesTables } from '../places/tables.ts';
import type { ReportsTables } from '../reports/tables.ts';
import type { SharingTables } from '../sharing/tables.ts';
import type { TerritoriesTables } from '../territories/tables.ts';

export type Schema = AccountsTables &
  TerritoriesTables &
  NotifyTables &
  NotifyChannelTables &
  SharingTables &
  ReportsTables &
  PlacesTables &
  JobsTables;
