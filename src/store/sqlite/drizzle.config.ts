import { defineConfig } from 'drizzle-kit';

// Paths are relative to the package root, where `npm run db:generate` runs.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/sqlite/schema.ts',
  out: './migrations/sqlite',
});
