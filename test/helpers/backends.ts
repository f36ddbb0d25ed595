/**
 * Every store test runs on SQLite and, when HAVRE_TEST_DATABASE_URL is set, on PostgreSQL
 * too, each in a fresh schema.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface Backend {
  name: 'sqlite' | 'postgres';
  databaseUrl: string;
  schema?: string;
}

export const POSTGRES_URL = process.env.HAVRE_TEST_DATABASE_URL || null;
export const REDIS_URL = process.env.HAVRE_TEST_REDIS_URL || null;

export function backends(): Backend['name'][] {
  return POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function freshBackend(name: Backend['name'], sqliteDir: string): Backend {
  const id = randomBytes(6).toString('hex');
  if (name === 'sqlite') return { name, databaseUrl: `sqlite:${sqliteDir}/havre-${id}.sqlite` };
  if (!POSTGRES_URL) throw new Error('HAVRE_TEST_DATABASE_URL is not set');
  return { name, databaseUrl: POSTGRES_URL, schema: `t_${id}` };
}

export async function dropSchema(backend: Backend) {
  if (backend.name !== 'postgres' || !backend.schema) return;
  const client = new pg.Client({ connectionString: backend.databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${backend.schema} CASCADE`);
  } finally {
    await client.end();
  }
}
