"""paperpipe: EU-style output papers as PDF and DOCX from Markdown, YAML and templates."""

__version__ = "0.1.0"
