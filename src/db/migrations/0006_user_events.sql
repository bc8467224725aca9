CREATE TABLE "user_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "user_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" uuid NOT NULL,
	"transaction_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"type" varchar(64) NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_events_type_check" CHECK ("user_events"."type" IN ('meeting.status_changed', 'transcript.ready', 'minutes.progress', 'minutes.ready', 'minutes.failed', 'minutes.pdf_ready', 'envelope.status_changed', 'envelope.documents_stored'))
);
--> statement-breakpoint
ALTER TABLE "user_events" ADD CONSTRAINT "user_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_user_events_user_position" ON "user_events" USING btree ("user_id","transaction_id","id");--> statement-breakpoint
CREATE INDEX "idx_user_events_created_at" ON "user_events" USING btree ("created_at");