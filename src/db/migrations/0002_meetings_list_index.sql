DROP INDEX "idx_meetings_user_id";--> statement-breakpoint
DROP INDEX "idx_meetings_start_time";--> statement-breakpoint
DROP INDEX "idx_meetings_status";--> statement-breakpoint
CREATE INDEX "idx_meetings_user_start_time" ON "meetings" USING btree ("user_id","start_time" DESC NULLS FIRST,"id" DESC NULLS FIRST);