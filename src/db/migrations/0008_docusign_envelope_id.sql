-- DocuSign's envelope id, named apart from signers.envelope_id (our own foreign key to this table).
ALTER TABLE "docusign_envelopes" RENAME COLUMN "envelope_id" TO "docusign_envelope_id";--> statement-breakpoint
ALTER TABLE "docusign_envelopes" RENAME CONSTRAINT "docusign_envelopes_envelope_id_unique" TO "docusign_envelopes_docusign_envelope_id_unique";
