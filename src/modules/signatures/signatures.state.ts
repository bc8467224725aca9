import type { envelopeStatuses, signerStatuses } from '../../db/schema.js';
import type { ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import type { DocuSignEnvelope, DocuSignRecipients } from '../../providers/docusign/docusign.schemas.js';

type EnvelopeStatus = (typeof envelopeStatuses)[number];
type SignerStatus = (typeof signerStatuses)[number];

/** What DocuSign says of an envelope, from a Connect message or a poll, in our terms. */
export interface EnvelopeState {
  status: EnvelopeStatus;
  deliveredAt?: Date;
  completedAt?: Date;
  declinedAt?: Date;
  voidedAt?: Date;
  voidedReason?: string;
  signers: SignerState[];
}

export interface SignerState {
  recipientId?: string;
  email?: string;
  status: SignerStatus;
  sentAt?: Date;
  deliveredAt?: Date;
  signedAt?: Date;
  declinedAt?: Date;
  declineReason?: string;
}

/** Statuses only move up this order; the three endings are final. */
export const envelopeRank = (status: EnvelopeStatus): number =>
  ({ created: 0, sent: 1, delivered: 2, completed: 3, declined: 3, voided: 3, failed: 3 })[status];
export const signerRank = (status: SignerStatus): number => ({ created: 0, sent: 1, delivered: 2, signed: 3, declined: 3 })[status];

// DocuSign's envelope statuses; `signed` (everyone signed, documents not sealed yet) is not an ending.
const envelopeStatusOf: Record<string, EnvelopeStatus> = {
  created: 'created',
  sent: 'sent',
  delivered: 'delivered',
  signed: 'delivered',
  completed: 'completed',
  declined: 'declined',
  voided: 'voided',
};
const signerStatusOf: Record<string, SignerStatus> = {
  created: 'created',
  sent: 'sent',
  delivered: 'delivered',
  signed: 'signed',
  completed: 'signed',
  declined: 'declined',
};
const statusOfEvent: Record<string, { envelope?: EnvelopeStatus; signer?: SignerStatus }> = {
  'envelope-sent': { envelope: 'sent' },
  'envelope-delivered': { envelope: 'delivered' },
  'envelope-completed': { envelope: 'completed' },
  'envelope-declined': { envelope: 'declined' },
  'envelope-voided': { envelope: 'voided' },
  'recipient-sent': { envelope: 'sent', signer: 'sent' },
  'recipient-delivered': { envelope: 'sent', signer: 'delivered' },
  'recipient-completed': { envelope: 'sent', signer: 'signed' },
  'recipient-declined': { envelope: 'declined', signer: 'declined' },
};

const dateOf = (value: string | undefined) => (value ? new Date(value) : undefined);

export function envelopeStateFromConnect(event: ConnectEvent): EnvelopeState {
  const summary = event.data.envelopeSummary;
  const byEvent = statusOfEvent[event.event] ?? {};
  const at = dateOf(event.generatedDateTime);
  const signers: SignerState[] = (summary?.recipients?.signers ?? []).map((signer) => ({
    recipientId: signer.recipientId,
    email: signer.email?.toLowerCase(),
    status: signerStatusOf[signer.status.toLowerCase()] ?? 'sent',
    deliveredAt: dateOf(signer.deliveredDateTime),
    signedAt: dateOf(signer.signedDateTime),
    declinedAt: dateOf(signer.declinedDateTime),
    declineReason: signer.declinedReason,
  }));
  if (byEvent.signer && event.data.recipientId && !signers.some((signer) => signer.recipientId === event.data.recipientId)) {
    signers.push({
      recipientId: event.data.recipientId,
      status: byEvent.signer,
      ...(byEvent.signer === 'sent' ? { sentAt: at } : byEvent.signer === 'delivered' ? { deliveredAt: at } : byEvent.signer === 'signed' ? { signedAt: at } : { declinedAt: at }),
    });
  }
  const fromSummary = summary ? envelopeStatusOf[summary.status.toLowerCase()] : undefined;
  const status = [fromSummary, byEvent.envelope].filter((candidate): candidate is EnvelopeStatus => Boolean(candidate)).sort((a, b) => envelopeRank(b) - envelopeRank(a))[0] ?? 'sent';
  return {
    status,
    deliveredAt: status === 'delivered' ? (dateOf(summary?.statusChangedDateTime) ?? at) : undefined,
    completedAt: dateOf(summary?.completedDateTime) ?? (status === 'completed' ? at : undefined),
    declinedAt: dateOf(summary?.declinedDateTime) ?? (status === 'declined' ? at : undefined),
    voidedAt: dateOf(summary?.voidedDateTime) ?? (status === 'voided' ? at : undefined),
    voidedReason: summary?.voidedReason,
    signers,
  };
}

export function envelopeStateFromDocuSign(envelope: DocuSignEnvelope, recipients: DocuSignRecipients): EnvelopeState {
  return {
    status: envelopeStatusOf[envelope.status.toLowerCase()] ?? 'sent',
    deliveredAt: dateOf(envelope.deliveredDateTime),
    completedAt: dateOf(envelope.completedDateTime),
    declinedAt: dateOf(envelope.declinedDateTime),
    voidedAt: dateOf(envelope.voidedDateTime),
    voidedReason: envelope.voidedReason,
    signers: recipients.signers.map((signer) => ({
      recipientId: signer.recipientId,
      email: signer.email.toLowerCase(),
      status: signerStatusOf[signer.status.toLowerCase()] ?? 'sent',
      sentAt: dateOf(signer.sentDateTime),
      deliveredAt: dateOf(signer.deliveredDateTime),
      signedAt: dateOf(signer.signedDateTime),
      declinedAt: dateOf(signer.declinedDateTime),
      declineReason: signer.declinedReason,
    })),
  };
}
