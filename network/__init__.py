"""Familieværft's network app: the child's network map and network meetings (netværksmøder)."""
