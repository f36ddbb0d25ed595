/** The places capability's routes, registered with one line in app.ts. */
import type { App } from '../server/app.ts';
import placesCoverageRoutes from './routes-coverage.ts';
import placesPartnerRoutes from './routes-partner.ts';
import placesPublicRoutes from './routes-public.ts';
import './personal-data.ts';

export default async function placesRoutes(app: App) {
  await app.register(placesPublicRoutes);
  await app.register(placesPartnerRoutes);
  await app.register(placesCoverageRoutes);
}
