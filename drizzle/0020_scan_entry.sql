ALTER TABLE "scans" ADD COLUMN "entry" text DEFAULT 'scanned' NOT NULL;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "entry" text DEFAULT 'scanned' NOT NULL;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_entry" CHECK ("scans"."entry" IN ('scanned', 'typed'));--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_entry" CHECK ("inspections"."entry" IN ('scanned', 'typed'));