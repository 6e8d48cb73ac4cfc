CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`settings` text NOT NULL,
	`secret` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`last_sync_at` text
);
--> statement-breakpoint
CREATE TABLE `customer_identities` (
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`customer_id`, `kind`, `value`)
);
--> statement-breakpoint
CREATE INDEX `customer_identities_kind_value_idx` ON `customer_identities` (`kind`,`value`);--> statement-breakpoint
CREATE TABLE `customer_status` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`window_start` text,
	`completed_at` text,
	`window_end` text,
	`status` text NOT NULL,
	`counting_tickets` integer NOT NULL,
	`first_ticket_id` text,
	`first_ticket_reason` text,
	`computed_at` text NOT NULL,
	`exported` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_status_status_idx` ON `customer_status` (`status`);--> statement-breakpoint
CREATE INDEX `customer_status_exported_idx` ON `customer_status` (`exported`,`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `digest_posts` (
	`channel` text NOT NULL,
	`day` text NOT NULL,
	`claimed_at` text NOT NULL,
	PRIMARY KEY(`channel`, `day`)
);
--> statement-breakpoint
CREATE TABLE `dirty_customers` (
	`customer_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `helpdesk_organizations` (
	`connection_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`external_id` text,
	`name` text,
	PRIMARY KEY(`connection_id`, `organization_id`)
);
--> statement-breakpoint
CREATE TABLE `helpdesk_users` (
	`connection_id` text NOT NULL,
	`user_id` text NOT NULL,
	`external_id` text,
	`email` text,
	`role` text,
	`organization_ids` text NOT NULL,
	PRIMARY KEY(`connection_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `manual_reasons` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	`reason_id` text NOT NULL,
	`author` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
CREATE TABLE `metric_periods` (
	`period_kind` text NOT NULL,
	`period_start` text NOT NULL,
	`closed_windows` integer NOT NULL,
	`zero_tickets` integer NOT NULL,
	`had_tickets` integer NOT NULL,
	`zero_ticket_pct` real,
	PRIMARY KEY(`period_kind`, `period_start`)
);
--> statement-breakpoint
CREATE TABLE `milestones` (
	`customer_id` text NOT NULL,
	`milestone` text NOT NULL,
	`occurred_at` text NOT NULL,
	PRIMARY KEY(`customer_id`, `milestone`, `occurred_at`)
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_id` text NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text,
	`payload` text NOT NULL,
	`error` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quarantine_fingerprint_idx` ON `quarantine` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`connection_id` text NOT NULL,
	`stream` text NOT NULL,
	`cursor` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`connection_id`, `stream`)
);
--> statement-breakpoint
CREATE TABLE `ticket_links` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	`customer_id` text,
	`link_method` text NOT NULL,
	`milestone_phase` text,
	`in_window` integer NOT NULL,
	`counts_toward_metric` integer NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
CREATE INDEX `ticket_links_customer_id_idx` ON `ticket_links` (`customer_id`);--> statement-breakpoint
CREATE TABLE `ticket_reasons` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	`reason_id` text NOT NULL,
	`confidence` real NOT NULL,
	`classified_by` text NOT NULL,
	`detail` text NOT NULL,
	`classified_at` text NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
CREATE TABLE `tickets` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`status` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`tags` text NOT NULL,
	`fields` text NOT NULL,
	`requester_id` text,
	`requester_external_id` text,
	`requester_email` text,
	`requester_domain` text,
	`requester_org_ids` text NOT NULL,
	`outbound` integer NOT NULL,
	`deleted` integer NOT NULL,
	`merged` integer NOT NULL,
	`pending` integer NOT NULL,
	`exported` integer NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
CREATE INDEX `tickets_pending_idx` ON `tickets` (`pending`,`source`,`ticket_id`);--> statement-breakpoint
CREATE INDEX `tickets_exported_idx` ON `tickets` (`exported`,`source`,`ticket_id`);--> statement-breakpoint
CREATE INDEX `tickets_requester_external_id_idx` ON `tickets` (`requester_external_id`);--> statement-breakpoint
CREATE INDEX `tickets_requester_email_idx` ON `tickets` (`requester_email`);--> statement-breakpoint
CREATE INDEX `tickets_requester_domain_idx` ON `tickets` (`requester_domain`);--> statement-breakpoint
CREATE INDEX `tickets_created_at_idx` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE TABLE `zt_customer_status` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`window_start` text,
	`completed_at` text,
	`window_end` text,
	`status` text NOT NULL,
	`counting_tickets` integer NOT NULL,
	`first_ticket_id` text,
	`first_ticket_reason` text,
	`computed_at` text NOT NULL,
	`exported_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `zt_metric_periods` (
	`period_kind` text NOT NULL,
	`period_start` text NOT NULL,
	`closed_windows` integer NOT NULL,
	`zero_tickets` integer NOT NULL,
	`had_tickets` integer NOT NULL,
	`zero_ticket_pct` real,
	`exported_at` text NOT NULL,
	PRIMARY KEY(`period_kind`, `period_start`)
);
--> statement-breakpoint
CREATE TABLE `zt_reason_daily` (
	`day` text NOT NULL,
	`reason_id` text NOT NULL,
	`tickets` integer NOT NULL,
	`exported_at` text NOT NULL,
	PRIMARY KEY(`day`, `reason_id`)
);
--> statement-breakpoint
CREATE TABLE `zt_tickets` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	`customer_id` text,
	`link_method` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`status` text NOT NULL,
	`reason_id` text NOT NULL,
	`reason_confidence` real NOT NULL,
	`classified_by` text NOT NULL,
	`milestone_phase` text,
	`in_window` integer NOT NULL,
	`counts_toward_metric` integer NOT NULL,
	`exported_at` text NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
