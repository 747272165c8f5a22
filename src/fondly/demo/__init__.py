"""The built-in realistic sample: a seeded year of chats, and writers for export formats."""
