ALTER TABLE "meeting_minutes" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "kind" varchar(20) DEFAULT 'general' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "members" jsonb;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "quorum" jsonb;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "chair" varchar(255);--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "secretary" varchar(255);--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_kind_check" CHECK ("meetings"."kind" IN ('board', 'shareholders', 'condominium', 'general'));