/**
 * Demo data, seeded by `npm start` (`havre serve --demo`) on an empty database and never
 * in production mode: the bundled territories, the demo accounts, and each capability's
 * synthetic data (clearly labelled as such).
 */
import { hashPassword } from '../accounts/passwords.ts';
import { createUser, findUserByEmail, grantRole, grantStaff } from '../accounts/store.ts';
import type { Role } from '../accounts/tables.ts';
import { seedDemoPlaces } from '../places/demo.ts';
import { seedDemoReports } from '../reports/demo.ts';
import type { Services } from '../server/services.ts';
import { loadBundledTerritories } from '../territories/bundled.ts';
import { importTerritories } from '../territories/import.ts';

export const DEMO_PASSWORD = 'havre-demo-2026';

export const DEMO_ACCOUNTS: { email: string; roles: Role[]; territories?: string[]; what: string }[] = [
  { email: 'admin@havre.example', roles: ['admin'], what: 'administrateur·rice de la plateforme' },
  {
    email: 'mairie.paris17@havre.example',
    roles: ['staff'],
    territories: ['75117'],
    what: 'mairie de Paris 17e',
  },
  { email: 'mairie.rouen@havre.example', roles: ['staff'], territories: ['76540'], what: 'mairie de Rouen' },
  { email: 'alice@havre.example', roles: [], what: 'citoyenne' },
  { email: 'bob@havre.example', roles: [], what: 'citoyen' },
  { email: 'cafe@havre.example', roles: ['partner'], what: 'lieu partenaire' },
];

/** Each capability adds its demo data here; every seeder is idempotent. */
type Seeder = (services: Services) => Promise<unknown>;
const CAPABILITY_SEEDERS: Seeder[] = [seedDemoPlaces, seedDemoReports];

export async function seedDemo(services: Services): Promise<void> {
  const k = services.db.kysely;
  const now = services.clock.now();
  const anyTerritory = await k.selectFrom('territories').select('code').limit(1).executeTakeFirst();
  if (!anyTerritory) await importTerritories(services, loadBundledTerritories());

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    if (await findUserByEmail(k, account.email)) continue;
    const id = await createUser(k, { email: account.email, passwordHash, now, verified: true });
    for (const role of account.roles) await grantRole(k, id, role);
    for (const code of account.territories ?? []) await grantStaff(k, id, code);
  }
  for (const seed of CAPABILITY_SEEDERS) await seed(services);
}
