CREATE TABLE "minutes_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"minutes_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"source" varchar(20) NOT NULL,
	"content" text NOT NULL,
	"notes" jsonb,
	"language" varchar(10) NOT NULL,
	"model" varchar(200),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "minutes_versions_source_check" CHECK ("minutes_versions"."source" IN ('generated', 'edited'))
);
--> statement-breakpoint
ALTER TABLE "docusign_envelopes" DROP CONSTRAINT "docusign_envelopes_status_check";--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ALTER COLUMN "envelope_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "email_blurb" text;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "voided_reason" text;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "send_attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "last_event_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "sent_pdf_key" varchar(500);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "sent_pdf_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "signed_pdf_key" varchar(500);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "signed_pdf_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "certificate_key" varchar(500);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "certificate_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "error_code" varchar(100);--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD COLUMN "error_message" text;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "language" varchar(10) DEFAULT 'pt-BR' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "time_zone" varchar(64) DEFAULT 'America/Sao_Paulo' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "is_test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "notes" jsonb;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "signers" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "content_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "pdf_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "pdf_content_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "model" varchar(200);--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "usage" jsonb;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "progress" jsonb;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "error_code" varchar(100);--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD COLUMN "error_message" text;--> statement-breakpoint
ALTER TABLE "signers" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signers" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "minutes_versions" ADD CONSTRAINT "minutes_versions_minutes_id_meeting_minutes_id_fk" FOREIGN KEY ("minutes_id") REFERENCES "public"."meeting_minutes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minutes_versions" ADD CONSTRAINT "minutes_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "minutes_versions_minutes_version_unique" ON "minutes_versions" USING btree ("minutes_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_minutes_one_generation_per_meeting" ON "meeting_minutes" USING btree ("meeting_id") WHERE "meeting_minutes"."status" = 'generating';--> statement-breakpoint
ALTER TABLE "docusign_envelopes" ADD CONSTRAINT "docusign_envelopes_status_check" CHECK ("docusign_envelopes"."status" IN ('created', 'sent', 'delivered', 'completed', 'declined', 'voided', 'failed'));