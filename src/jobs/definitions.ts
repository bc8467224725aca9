import type { AnyJobDefinition } from './job.js';

/** Every job this service runs; features add theirs here so the worker consumes them. */
export const jobDefinitions: AnyJobDefinition[] = [];
