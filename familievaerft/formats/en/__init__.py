"""Formats for English: the same Danish dates and numbers as in Danish."""
