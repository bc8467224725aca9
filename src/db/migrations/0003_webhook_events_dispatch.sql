ALTER TABLE "webhook_events" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "idx_webhook_events_undispatched" ON "webhook_events" USING btree ("created_at") WHERE "webhook_events"."dispatched_at" IS NULL;--> statement-breakpoint
-- Rows stored before this migration already had their jobs.
UPDATE "webhook_events" SET "dispatched_at" = "created_at";