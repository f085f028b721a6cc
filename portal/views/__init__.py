"""The family portal's pages: the landing page, a child's plan, network map and letters."""
