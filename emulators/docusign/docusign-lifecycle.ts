import { isActive, now, type EmulatedEnvelope, type EmulatedSigner, type EnvelopeStatus } from './docusign-envelopes.js';

type Emit = (envelope: EmulatedEnvelope, event: string, signer?: EmulatedSigner) => void;

/**
 * How envelopes and their signers change status: signers get the envelope in routing order, and
 * every change is emitted as the Connect event DocuSign names it by.
 */
export function createEnvelopeLifecycle(envelopes: Map<string, EmulatedEnvelope>, emit: Emit) {
  function changeStatus(envelope: EmulatedEnvelope, status: EnvelopeStatus, at: string) {
    envelope.status = status;
    envelope.statusChangedDateTime = at;
    emit(envelope, `envelope-${status}`);
  }

  function routeNext(envelope: EmulatedEnvelope) {
    for (const signer of currentSigners(envelope).filter((candidate) => candidate.status === 'created')) {
      signer.status = 'sent';
      signer.sentDateTime = now();
      emit(envelope, 'recipient-sent', signer);
    }
  }

  function signerInTurn(envelopeId: string, email: string): { envelope: EmulatedEnvelope; signer: EmulatedSigner } {
    const envelope = envelopes.get(envelopeId);
    if (!envelope) throw new Error(`no emulated envelope ${envelopeId}`);
    if (!isActive(envelope)) throw new Error(`envelope ${envelopeId} is ${envelope.status}`);
    const signer = currentSigners(envelope).find((candidate) => candidate.email === email);
    if (!signer) throw new Error(`${email} has no turn to sign envelope ${envelopeId}`);
    return { envelope, signer };
  }

  function deliverTo(envelope: EmulatedEnvelope, signer: EmulatedSigner) {
    if (signer.status !== 'sent') return;
    signer.status = 'delivered';
    signer.deliveredDateTime = now();
    emit(envelope, 'recipient-delivered', signer);
    // An envelope is delivered once every signer has viewed it.
    if (envelope.status === 'sent' && envelope.signers.every((candidate) => candidate.status === 'delivered' || candidate.status === 'completed')) {
      envelope.deliveredDateTime = signer.deliveredDateTime;
      changeStatus(envelope, 'delivered', signer.deliveredDateTime);
    }
  }

  function sign(envelope: EmulatedEnvelope, signer: EmulatedSigner) {
    deliverTo(envelope, signer);
    signer.status = 'completed';
    signer.signedDateTime = now();
    emit(envelope, 'recipient-completed', signer);
    if (envelope.signers.every((candidate) => candidate.status === 'completed')) {
      envelope.completedDateTime = signer.signedDateTime;
      changeStatus(envelope, 'completed', signer.signedDateTime);
    } else {
      routeNext(envelope);
    }
  }

  function decline(envelope: EmulatedEnvelope, signer: EmulatedSigner, reason: string) {
    deliverTo(envelope, signer);
    signer.status = 'declined';
    signer.declinedDateTime = now();
    signer.declinedReason = reason;
    emit(envelope, 'recipient-declined', signer);
    envelope.declinedDateTime = signer.declinedDateTime;
    changeStatus(envelope, 'declined', signer.declinedDateTime);
  }

  function voidEnvelope(envelope: EmulatedEnvelope, reason: string) {
    envelope.voidedDateTime = now();
    envelope.voidedReason = reason;
    changeStatus(envelope, 'voided', envelope.voidedDateTime);
  }

  function resend(envelope: EmulatedEnvelope) {
    envelope.resendCount += 1;
    emit(envelope, 'envelope-resent');
    for (const signer of currentSigners(envelope)) emit(envelope, 'recipient-resent', signer);
  }

  return { routeNext, signerInTurn, deliverTo, sign, decline, voidEnvelope, resend };
}

function currentSigners(envelope: EmulatedEnvelope): EmulatedSigner[] {
  const pending = envelope.signers.filter((signer) => signer.status !== 'completed');
  const order = Math.min(...pending.map((signer) => signer.routingOrder));
  return pending.filter((signer) => signer.routingOrder === order);
}
