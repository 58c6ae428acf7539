CREATE TABLE `posts` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`author_id` integer NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `posts_author_id_idx` ON `posts` (`author_id`);--> statement-breakpoint
CREATE VIEW `post_titles` AS select `posts`.`id`, `posts`.`title`, `users`.`name` from `posts` inner join `users` on `posts`.`author_id` = `users`.`id`;--> statement-breakpoint
INSERT INTO `posts` (`id`, `title`, `author_id`) VALUES (1, 'First post', 1), (2, 'Second post', 2), (3, 'Third post', 1);