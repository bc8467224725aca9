-- Zoom's start link carries the host's zak: a credential, and stale two hours after Zoom made it.
-- Atas asks Zoom for a fresh one when the host starts the meeting, and keeps none at rest.
ALTER TABLE "meetings" DROP COLUMN "start_url";--> statement-breakpoint
UPDATE "idempotency_keys" SET "response_body" = ("response_body" - 'zoomStartUrl') #- '{meeting,startUrl}' WHERE "response_body" ? 'zoomStartUrl' OR "response_body" -> 'meeting' ? 'startUrl';
