import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../package-root.js';

export interface Asset {
  contentType: string;
  body: string;
}

/**
 * The page's files live in `static/` next to this module's sources (shipped in the package via
 * package.json `files`, since tsc copies no HTML/CSS/JS), and Chart.js comes from its own
 * package: no CDN, no bundler. Read once, kept in memory (about 250 kB).
 */
const STATIC_DIR = join(packageRoot(), 'src', 'outputs', 'dashboard', 'static');

const ASSETS: Record<string, { contentType: string; path: () => string }> = {
  'dashboard.js': {
    contentType: 'text/javascript; charset=utf-8',
    path: () => join(STATIC_DIR, 'dashboard.js'),
  },
  'recent-tickets.js': {
    contentType: 'text/javascript; charset=utf-8',
    path: () => join(STATIC_DIR, 'recent-tickets.js'),
  },
  'dashboard.css': { contentType: 'text/css; charset=utf-8', path: () => join(STATIC_DIR, 'dashboard.css') },
  // chart.js exports no subpath for its UMD build; it sits beside the CommonJS entry.
  'chart.umd.js': {
    contentType: 'text/javascript; charset=utf-8',
    path: () => join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js'),
  },
};

const cache = new Map<string, Asset>();

/** An asset by file name, or null when there is no such asset (only the names above exist). */
export function readDashboardAsset(name: string): Asset | null {
  const spec = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!spec) return null;
  let asset = cache.get(name);
  if (!asset) {
    asset = { contentType: spec.contentType, body: readFileSync(spec.path(), 'utf8') };
    cache.set(name, asset);
  }
  return asset;
}

/** The shell page: the token prompt and the loader of the assets above (it holds no data). */
export function readDashboardShell(): string {
  let shell = cache.get('index.html');
  if (!shell) {
    shell = { contentType: 'text/html', body: readFileSync(join(STATIC_DIR, 'index.html'), 'utf8') };
    cache.set('index.html', shell);
  }
  return shell.body;
}
