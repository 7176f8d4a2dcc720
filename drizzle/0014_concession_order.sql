DROP INDEX "lots_concession_idx";--> statement-breakpoint
CREATE INDEX "lots_concession_order_idx" ON "lots" USING btree ("concession_id","extracted_on","created_at","id");