"""Familieværft's plans app: the child's plan (barnets plan / ungeplan), one per case."""
