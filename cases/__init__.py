"""Familieværft's cases app: citizens, families and their one case, its deadlines and pages."""
