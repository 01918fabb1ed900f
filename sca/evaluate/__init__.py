"""Accuracy measurement against gold files: parsing, themes, events."""
