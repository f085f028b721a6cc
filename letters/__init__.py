"""Familieværft's letters app: closing status letters, from draft through review to one PDF."""
