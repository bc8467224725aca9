import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const lastLine = '# Ctrl-C stops the emulators.';

/** `npm run emulators` as a developer runs it: a process that prints `.env` lines and stays up. */
describe('npm run emulators', () => {
  let child: ChildProcess;
  let output = '';
  let printed: Record<string, string>;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'emulators/start.ts'], {
      cwd: repoRoot,
      env: { ...withoutProviderVariables(process.env), ZOOM_CLIENT_ID: 'client-from-env', OPENAI_API_KEY: 'sk-from-env' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no env lines within 30 s:\n${output}`)), 30_000);
      const check = () => {
        if (!output.includes(lastLine)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    printed = Object.fromEntries(
      [...output.matchAll(/^([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name!, value!.replace(/^"(.*)"$/, '$1')]),
    );
  }, 40_000);

  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('says they are emulators and prints settings the app accepts, credentials from the environment kept', () => {
    expect(output).toMatch(/emulators, NOT the real Zoom, OpenAI or DocuSign/);
    expect(printed).toMatchObject({ ZOOM_CLIENT_ID: 'client-from-env', OPENAI_API_KEY: 'sk-from-env' });
    const config = loadConfig({
      ...printed,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      JWT_REFRESH_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    expect(config.zoom).toMatchObject({ clientId: 'client-from-env', apiBaseUrl: printed.ZOOM_API_BASE_URL, oauthUrl: printed.ZOOM_OAUTH_URL });
    expect(config.openai).toMatchObject({ apiKey: 'sk-from-env', baseUrl: printed.OPENAI_BASE_URL });
    expect(config.docusign.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----$/);
    expect(config.docusign.webhookSecrets).toEqual([printed.DOCUSIGN_WEBHOOK_SECRET]);
    expect(config.docusign.oauthBasePath).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers as Zoom does with the printed credentials', async () => {
    const response = await fetch(printed.ZOOM_OAUTH_URL!, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${printed.ZOOM_CLIENT_ID}:${printed.ZOOM_CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'account_credentials', account_id: printed.ZOOM_ACCOUNT_ID! }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String), token_type: 'bearer' });
  });

  it('answers as OpenAI does with the printed key', async () => {
    const response = await fetch(`${printed.OPENAI_BASE_URL}/models`, { headers: { authorization: `Bearer ${printed.OPENAI_API_KEY}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'list' });
  });

  it('answers as DocuSign does to a JWT grant signed with the printed private key', async () => {
    const privateKey = await importPKCS8(printed.DOCUSIGN_PRIVATE_KEY!.replace(/\\n/g, '\n'), 'RS256');
    const assertion = await new SignJWT({ scope: 'signature impersonation' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(printed.DOCUSIGN_INTEGRATION_KEY!)
      .setSubject(printed.DOCUSIGN_USER_ID!)
      .setAudience(new URL(printed.DOCUSIGN_OAUTH_BASE_PATH!).host)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const token = await fetch(`${printed.DOCUSIGN_OAUTH_BASE_PATH}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    expect(token.status, await token.clone().text()).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };

    const userInfo = await fetch(`${printed.DOCUSIGN_OAUTH_BASE_PATH}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(userInfo.status).toBe(200);
    expect(await userInfo.json()).toMatchObject({ sub: printed.DOCUSIGN_USER_ID });
  });

  it('serves DocuSign’s SDKs on https, with the certificate it saved for NODE_EXTRA_CA_CERTS', async () => {
    const [, oauthHost, certificatePath] = /^# DocuSign's SDKs \(on https\): oAuthBasePath (\S+), basePath \S+; run them with NODE_EXTRA_CA_CERTS=(\S+)$/m.exec(output) ?? [];
    expect(oauthHost, output).toMatch(/^127\.0\.0\.1:\d+$/);
    const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      https
        .get(`https://${oauthHost}/oauth/userinfo`, { ca: fs.readFileSync(certificatePath!) }, (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        })
        .on('error', reject);
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ errorCode: 'USER_AUTHENTICATION_FAILED' });
  });

  it('stops all three on SIGTERM, and exits 0', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    for (const url of [printed.ZOOM_OAUTH_URL!, `${printed.OPENAI_BASE_URL}/models`, `${printed.DOCUSIGN_OAUTH_BASE_PATH}/oauth/userinfo`]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});

/** So the emulators use fresh credentials, whatever this machine's environment holds. */
function withoutProviderVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(ZOOM|OPENAI|DOCUSIGN)_/.test(name)));
}
