CREATE TABLE "connections" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"settings" jsonb NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_sync_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customer_identities" (
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "customer_identities_customer_id_kind_value_pk" PRIMARY KEY("customer_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "customer_status" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"window_end" timestamp with time zone,
	"status" text NOT NULL,
	"counting_tickets" integer NOT NULL,
	"first_ticket_id" text,
	"first_ticket_reason" text,
	"computed_at" timestamp with time zone NOT NULL,
	"exported" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_posts" (
	"channel" text NOT NULL,
	"day" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_posts_channel_day_pk" PRIMARY KEY("channel","day")
);
--> statement-breakpoint
CREATE TABLE "dirty_customers" (
	"customer_id" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_organizations" (
	"connection_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"external_id" text,
	"name" text,
	CONSTRAINT "helpdesk_organizations_connection_id_organization_id_pk" PRIMARY KEY("connection_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "helpdesk_users" (
	"connection_id" text NOT NULL,
	"user_id" text NOT NULL,
	"external_id" text,
	"email" text,
	"role" text,
	"organization_ids" jsonb NOT NULL,
	CONSTRAINT "helpdesk_users_connection_id_user_id_pk" PRIMARY KEY("connection_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "manual_reasons" (
	"source" text NOT NULL,
	"ticket_id" text NOT NULL,
	"reason_id" text NOT NULL,
	"author" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "manual_reasons_source_ticket_id_pk" PRIMARY KEY("source","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "metric_periods" (
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"closed_windows" integer NOT NULL,
	"zero_tickets" integer NOT NULL,
	"had_tickets" integer NOT NULL,
	"zero_ticket_pct" double precision,
	CONSTRAINT "metric_periods_period_kind_period_start_pk" PRIMARY KEY("period_kind","period_start")
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"customer_id" text NOT NULL,
	"milestone" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "milestones_customer_id_milestone_occurred_at_pk" PRIMARY KEY("customer_id","milestone","occurred_at")
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" serial PRIMARY KEY NOT NULL,
	"connection_id" text NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"external_id" text,
	"payload" text NOT NULL,
	"error" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"connection_id" text NOT NULL,
	"stream" text NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sync_state_connection_id_stream_pk" PRIMARY KEY("connection_id","stream")
);
--> statement-breakpoint
CREATE TABLE "ticket_links" (
	"source" text NOT NULL,
	"ticket_id" text NOT NULL,
	"customer_id" text,
	"link_method" text NOT NULL,
	"milestone_phase" text,
	"in_window" boolean NOT NULL,
	"counts_toward_metric" boolean NOT NULL,
	CONSTRAINT "ticket_links_source_ticket_id_pk" PRIMARY KEY("source","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_reasons" (
	"source" text NOT NULL,
	"ticket_id" text NOT NULL,
	"reason_id" text NOT NULL,
	"confidence" double precision NOT NULL,
	"classified_by" text NOT NULL,
	"detail" text NOT NULL,
	"classified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_reasons_source_ticket_id_pk" PRIMARY KEY("source","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"source" text NOT NULL,
	"ticket_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"tags" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"requester_id" text,
	"requester_external_id" text,
	"requester_email" text,
	"requester_domain" text,
	"requester_org_ids" jsonb NOT NULL,
	"outbound" boolean NOT NULL,
	"deleted" boolean NOT NULL,
	"merged" boolean NOT NULL,
	"pending" boolean NOT NULL,
	"exported" boolean NOT NULL,
	CONSTRAINT "tickets_source_ticket_id_pk" PRIMARY KEY("source","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "zt_customer_status" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"window_start" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"window_end" timestamp with time zone,
	"status" text NOT NULL,
	"counting_tickets" integer NOT NULL,
	"first_ticket_id" text,
	"first_ticket_reason" text,
	"computed_at" timestamp with time zone NOT NULL,
	"exported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zt_metric_periods" (
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"closed_windows" integer NOT NULL,
	"zero_tickets" integer NOT NULL,
	"had_tickets" integer NOT NULL,
	"zero_ticket_pct" double precision,
	"exported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "zt_metric_periods_period_kind_period_start_pk" PRIMARY KEY("period_kind","period_start")
);
--> statement-breakpoint
CREATE TABLE "zt_reason_daily" (
	"day" date NOT NULL,
	"reason_id" text NOT NULL,
	"tickets" integer NOT NULL,
	"exported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "zt_reason_daily_day_reason_id_pk" PRIMARY KEY("day","reason_id")
);
--> statement-breakpoint
CREATE TABLE "zt_tickets" (
	"source" text NOT NULL,
	"ticket_id" text NOT NULL,
	"customer_id" text,
	"link_method" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reason_id" text NOT NULL,
	"reason_confidence" double precision NOT NULL,
	"classified_by" text NOT NULL,
	"milestone_phase" text,
	"in_window" boolean NOT NULL,
	"counts_toward_metric" boolean NOT NULL,
	"exported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "zt_tickets_source_ticket_id_pk" PRIMARY KEY("source","ticket_id")
);
--> statement-breakpoint
CREATE INDEX "customer_identities_kind_value_idx" ON "customer_identities" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "customer_status_status_idx" ON "customer_status" USING btree ("status");--> statement-breakpoint
CREATE INDEX "customer_status_exported_idx" ON "customer_status" USING btree ("exported","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_fingerprint_idx" ON "quarantine" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "ticket_links_customer_id_idx" ON "ticket_links" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "tickets_pending_idx" ON "tickets" USING btree ("pending","source","ticket_id");--> statement-breakpoint
CREATE INDEX "tickets_exported_idx" ON "tickets" USING btree ("exported","source","ticket_id");--> statement-breakpoint
CREATE INDEX "tickets_requester_external_id_idx" ON "tickets" USING btree ("requester_external_id");--> statement-breakpoint
CREATE INDEX "tickets_requester_email_idx" ON "tickets" USING btree ("requester_email");--> statement-breakpoint
CREATE INDEX "tickets_requester_domain_idx" ON "tickets" USING btree ("requester_domain");--> statement-breakpoint
CREATE INDEX "tickets_created_at_idx" ON "tickets" USING btree ("created_at");