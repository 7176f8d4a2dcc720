DROP INDEX "lots_producer_idx";--> statement-breakpoint
DROP INDEX "lots_concession_idx";--> statement-breakpoint
CREATE INDEX "lots_custodian_created_idx" ON "lots" USING btree ("custodian_id","created_at");--> statement-breakpoint
CREATE INDEX "lots_producer_idx" ON "lots" USING btree ("producer_id","created_at");--> statement-breakpoint
CREATE INDEX "lots_concession_idx" ON "lots" USING btree ("concession_id","extracted_on");