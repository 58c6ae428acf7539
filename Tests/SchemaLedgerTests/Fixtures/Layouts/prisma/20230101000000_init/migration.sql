-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT
);

-- CreateTable
CREATE TABLE "Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- Seed data (added by hand)
INSERT INTO "User" ("id", "email", "name") VALUES (1, 'alice@prisma.io', 'Alice'), (2, 'bob@prisma.io', NULL);
INSERT INTO "Post" ("id", "title", "published", "authorId") VALUES (1, 'Hello World', true, 1), (2, 'Draft', false, 2), (3, 'Follow-up', false, 1);
