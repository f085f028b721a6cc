"""Forms of the case pages and the list pages (a package: one module per group of pages)."""
