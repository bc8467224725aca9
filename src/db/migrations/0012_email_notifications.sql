CREATE TABLE "email_unsubscribes" (
	"email" varchar(255) NOT NULL,
	"kind" varchar(40) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_unsubscribes_email_kind_pk" PRIMARY KEY("email","kind"),
	CONSTRAINT "email_unsubscribes_kind_check" CHECK ("email_unsubscribes"."kind" IN ('minutes_ready', 'minutes_failed', 'signer_declined', 'envelope_voided', 'envelope_completed', 'signed_ata'))
);
--> statement-breakpoint
CREATE TABLE "outbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" varchar(40) NOT NULL,
	"event_id" varchar(64) NOT NULL,
	"recipient" varchar(255) NOT NULL,
	"recipient_name" varchar(255),
	"language" varchar(10) NOT NULL,
	"facts" jsonb NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"smtp_message_id" varchar(255),
	"error_code" varchar(100),
	"error_message" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_emails_kind_check" CHECK ("outbound_emails"."kind" IN ('minutes_ready', 'minutes_failed', 'signer_declined', 'envelope_voided', 'envelope_completed', 'signed_ata')),
	CONSTRAINT "outbound_emails_status_check" CHECK ("outbound_emails"."status" IN ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_event_recipient_unique" ON "outbound_emails" USING btree ("event_id","recipient");--> statement-breakpoint
CREATE INDEX "idx_outbound_emails_user_created" ON "outbound_emails" USING btree ("user_id","created_at");