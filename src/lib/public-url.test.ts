import { describe, expect, it } from 'vitest';
import { isPrivateUrl } from './public-url.js';

describe('isPrivateUrl', () => {
  it.each(['http://localhost:11434/v1', 'http://127.0.0.1/v1', 'http://10.0.0.5', 'http://192.168.1.2', 'http://172.16.0.1', 'http://169.254.169.254/latest', 'http://[::1]:8000', 'http://[fd00::1]', 'http://0.0.0.0', 'http://metadata.google.internal'])(
    'refuses %s',
    (url) => expect(isPrivateUrl(url)).toBe(true),
  );
  it.each(['https://api.openai.com/v1', 'https://myresource.openai.azure.com/openai/v1/', 'http://8.8.8.8/v1', 'http://[2001:4860:4860::8888]'])('accepts %s', (url) =>
    expect(isPrivateUrl(url)).toBe(false),
  );
});
