"""The pages of the cases app: the list pages and the tabs and actions of one case."""
