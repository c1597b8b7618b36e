// The shared material beside the repository (real feed captures, seed reports), read in place, never copied.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const SHARED_DIR = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared');
export const REAL_FEEDS_DIR = path.join(SHARED_DIR, 'real-feeds');
export const SEEDS_DIR = path.join(SHARED_DIR, 'seeds');
