import { describe, expect, it } from 'vitest';
import { createMinutesService, type MinutesServiceDeps } from '../src/modules/minutes/minutes.service.js';
import { createSignaturesService, type SignaturesServiceDeps } from '../src/modules/signatures/signatures.service.js';

// Collaborators are never called while a service is built: placeholders are enough to show which one is missing.
const present = {} as never;

describe('wiring', () => {
  it('refuses to build the minutes without the signatures that generated minutes go out through', () => {
    const deps = { rendering: present, meetings: present, transcripts: present, integrations: present } as unknown as MinutesServiceDeps;
    expect(() => createMinutesService(deps)).toThrow('createMinutesService needs signatures');
    expect(() => createMinutesService({ ...deps, signatures: present, rendering: undefined } as unknown as MinutesServiceDeps)).toThrow('createMinutesService needs rendering');
  });

  it('refuses to build the signatures without the minutes whose status they move', () => {
    const deps = { meetings: present, integrations: present, reconcileAfterSec: 60 } as unknown as SignaturesServiceDeps;
    expect(() => createSignaturesService(deps)).toThrow('createSignaturesService needs minutes');
  });
});
