import { runTask } from './run-task.js';

/** `npm run user:promote -- <email>`: makes an existing user an admin. */
const email = process.argv[2];
if (!email) {
  process.stderr.write('usage: npm run user:promote -- <email>\n');
  process.exit(2);
}
await runTask(async ({ users }) => {
  await users.promote(email);
  return `${email} is now an admin`;
});
