CREATE INDEX "idx_docusign_envelopes_sent_pdf_key" ON "docusign_envelopes" USING btree ("sent_pdf_key");--> statement-breakpoint
CREATE INDEX "idx_docusign_envelopes_signed_pdf_key" ON "docusign_envelopes" USING btree ("signed_pdf_key");--> statement-breakpoint
CREATE INDEX "idx_docusign_envelopes_certificate_key" ON "docusign_envelopes" USING btree ("certificate_key");--> statement-breakpoint
CREATE INDEX "idx_meeting_minutes_pdf_blob_key" ON "meeting_minutes" USING btree ("pdf_blob_key");--> statement-breakpoint
CREATE INDEX "idx_transcripts_file_key" ON "transcripts" USING btree ("file_key");