import { startTelemetryIfConfigured } from './telemetry.js';

// First, and server.js only then (a dynamic import): OpenTelemetry instruments modules as they load.
const telemetry = await startTelemetryIfConfigured();
const { runProcess } = await import('./server.js');
await runProcess('worker', { telemetry });
