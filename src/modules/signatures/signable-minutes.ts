import type { QueryRunner, Transaction } from '../../db/client.js';
import type { minutesStatuses } from '../../db/schema.js';
import type { SignerInput } from './signatures.schemas.js';

/** Minutes as signing sees them. */
export interface SignableMinutes {
  id: string;
  userId: string;
  meetingId: string;
  language: string;
  status: (typeof minutesStatuses)[number];
  isTest: boolean;
}

/**
 * What signing asks of the minutes, whose status the minutes module alone writes: each change
 * signing causes is one of these transitions, made inside signing's own transaction.
 */
export interface MinutesForSigning {
  /** The minutes of `userId`, or undefined. */
  findOwned(userId: string, minutesId: string): Promise<SignableMinutes | undefined>;
  /** The minutes, locked until the transaction of `db` ends. */
  lockWithin(db: QueryRunner, minutesId: string): Promise<SignableMinutes | undefined>;
  /** Out for signature to `signers`: the minutes can no longer change. */
  markSentForSignature(db: QueryRunner, minutesId: string, signers: SignerInput[]): Promise<void>;
  /** From now on the minutes' PDF is exactly the one the signers received. */
  useSentPdf(db: QueryRunner, minutesId: string, pdf: { key: string; sha256: string | null }): Promise<void>;
  /** Sending failed: the minutes are finalised again, with a PDF of their own. */
  sendingFailed(tx: Transaction, minutesId: string): Promise<void>;
  /** The envelope ended: minutes still out for signature become signed, declined or voided. */
  signatureEnded(db: QueryRunner, minutesId: string, outcome: 'signed' | 'declined' | 'voided'): Promise<void>;
  /** Renders the PDF the signers receive (one signature line each) and stores it at `key`. */
  renderPdf(minutesId: string, key: string): Promise<{ key: string; sha: string; pdf: Buffer }>;
  /** The anchor text the PDF writes at signer `n`'s line (1-based), where DocuSign places the signature. */
  signatureAnchor(n: number): string;
}
