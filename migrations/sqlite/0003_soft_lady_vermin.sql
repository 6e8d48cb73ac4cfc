CREATE TABLE `pending_tickets` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
CREATE TABLE `unexported_tickets` (
	`source` text NOT NULL,
	`ticket_id` text NOT NULL,
	PRIMARY KEY(`source`, `ticket_id`)
);
--> statement-breakpoint
-- Hand-added: carry the flags over before their columns go.
INSERT INTO `pending_tickets` (`source`, `ticket_id`) SELECT `source`, `ticket_id` FROM `tickets` WHERE `pending` = 1;--> statement-breakpoint
INSERT INTO `unexported_tickets` (`source`, `ticket_id`) SELECT `source`, `ticket_id` FROM `tickets` WHERE `exported` = 0;--> statement-breakpoint
DROP INDEX `tickets_pending_idx`;--> statement-breakpoint
DROP INDEX `tickets_exported_idx`;--> statement-breakpoint
ALTER TABLE `tickets` DROP COLUMN `pending`;--> statement-breakpoint
ALTER TABLE `tickets` DROP COLUMN `exported`;