import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A self-signed certificate for the emulator's https listener, made at start: DocuSign's SDKs
 * reach the OAuth host over https only. Node reads X.509 but cannot write it, so the DER is
 * written here (RFC 5280: a v3 certificate, ECDSA P-256 with SHA-256, named localhost, 127.0.0.1
 * and ::1). Trust it by its PEM; it is nobody's certificate authority.
 */
export function selfSignedCertificate(validForMs = 7 * 24 * 3600 * 1000): { keyPem: string; certificatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = sequence(set(sequence(oid('2.5.4.3'), tagged(0x0c, Buffer.from('localhost')))));
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const subjectAltNames = sequence(tagged(0x82, Buffer.from('localhost')), tagged(0x87, Buffer.from([127, 0, 0, 1])), tagged(0x87, Buffer.from([...Array<number>(15).fill(0), 1])));
  const notBefore = new Date(Date.now() - 60_000); // a client whose clock is a little behind still accepts it
  const toBeSigned = sequence(
    tagged(0xa0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive, 16 bytes
    ecdsaWithSha256,
    name,
    sequence(utcTime(notBefore), utcTime(new Date(notBefore.getTime() + validForMs))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tagged(0xa3, sequence(sequence(oid('2.5.29.17'), tagged(0x04, subjectAltNames)))),
  );
  // Node signs ECDSA as a DER Ecdsa-Sig-Value, the form a certificate carries.
  const signature = sign('sha256', toBeSigned, privateKey);
  const certificate = sequence(toBeSigned, ecdsaWithSha256, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64Lines = certificate.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64Lines}\n-----END CERTIFICATE-----\n`,
  };
}

function tagged(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), lengthOf(body.length), body]);
}

/** DER lengths: one byte below 128, else 0x80 + how many bytes follow, big-endian. */
function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (...contents: Buffer[]) => tagged(0x30, ...contents);
const set = (...contents: Buffer[]) => tagged(0x31, ...contents);
const integer = (bigEndian: Buffer) => tagged(0x02, bigEndian);
/** YYMMDDHHMMSSZ, right for years before 2050. */
const utcTime = (date: Date) => tagged(0x17, Buffer.from(`${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`));

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) base128.unshift(0x80 | high % 128);
    bytes.push(...base128);
  }
  return tagged(0x06, Buffer.from(bytes));
}
