/** Opens Havre's storage for a maintenance command, runs it, and closes everything. */
import { loadConfig, withPersistedSecret } from '../server/config.ts';
import type { Services } from '../server/services.ts';

export async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  // Maintenance commands do not sign anything, but they must not break a demo install
  // whose secret lives in the data directory: reuse or create it there.
  const config = withPersistedSecret(loadConfig(process.env, { demo: !process.env.HAVRE_SECRET }));
  // Loaded here, not at the top: `havre --help` and a mistyped command answer at once instead
  // of loading every module of the server first (seconds through tsx).
  const { createServices } = await import('../server/services.ts');
  const services = await createServices({ ...config, logLevel: 'warn' });
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

export const print = (line: string) => process.stdout.write(`${line}\n`);
