import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding zerotickets' package.json. Code runs from `src/` under the tests and from
 * `dist/src/` when built, so paths to shipped files (migrations, the example config) are
 * resolved from here rather than from the current file.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the zerotickets package folder');
    dir = parent;
  }
}
