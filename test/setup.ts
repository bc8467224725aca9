import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/temp-dir.js';

// Each test file's folders go when it ends (registered first, this hook runs after the file's own).
afterAll(removeTempDirs);
