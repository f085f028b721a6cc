"""Familieværft's core app: plumbing every app shares; it imports no other app of the project."""
