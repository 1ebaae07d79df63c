"""Readers: content files into the document model."""
