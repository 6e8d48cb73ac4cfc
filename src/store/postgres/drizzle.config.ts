import { defineConfig } from 'drizzle-kit';

// Paths are relative to the package root, where `npm run db:generate` runs. Tables carry no
// schema name: the adapter's `search_path` decides where they live.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './migrations/postgres',
});
