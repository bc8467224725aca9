import { runProcess } from './server.js';

await runProcess('all');
