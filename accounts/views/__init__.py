"""The pages of signing in, two-factor and the profile (a package, so the layers check sees it)."""
