"""Writers: the document model into output files. They render; they never count."""
