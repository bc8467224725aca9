/** The Express 5 baseline: the same SQL as Atas (baseline-sql.ts), JSON by res.json. */
import express from 'express';
import { authenticate, connect, listMeetings, meetingDetails, storeZoomWebhook } from './baseline-sql.js';

const pool = connect();
const app = express();
app.post('/v1/webhooks/zoom', express.raw({ type: 'application/json' }), async (request, response) => {
  const stored = await storeZoomWebhook(pool, request.body as Buffer, request.get('x-zm-signature'), request.get('x-zm-request-timestamp'));
  response.status(stored ? 200 : 401).json(stored ? { success: true } : { code: 'webhook_signature_invalid' });
});
app.use(async (request, response, next) => {
  const userId = await authenticate(pool, request.get('authorization'));
  if (!userId) return void response.status(401).json({ code: 'token_invalid' });
  response.locals.userId = userId;
  next();
});
app.get('/v1/meetings', async (request, response) => {
  response.json(await listMeetings(pool, response.locals.userId as string, Number(request.query.page ?? 1), Number(request.query.limit ?? 20)));
});
app.get('/v1/meetings/:id', async (request, response) => {
  const details = await meetingDetails(pool, response.locals.userId as string, request.params.id);
  if (details) response.json(details);
  else response.status(404).json({ code: 'not_found' });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => void pool.end()));
