/**
 * Fuzz runs are reproducible: a fixed seed by default (CI sees the same inputs every time), and
 * ZT_FUZZ_SEED / ZT_FUZZ_RUNS to explore further. A failure prints its seed and the shrunk input.
 */
export const FUZZ = {
  seed: Number(process.env.ZT_FUZZ_SEED ?? 1161),
  numRuns: Number(process.env.ZT_FUZZ_RUNS ?? 300),
};
