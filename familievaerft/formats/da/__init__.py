"""Formats for Danish, the source language."""
