"""The limits on what one Markdown text may ask for (the reader reports
what goes past them as an error at its line)."""
MAX_COLUMNS = 30  # more than fits on a page (a column needs ~1.5 cm); guards against a typo such as colspan: 20000
MAX_NESTING = 6  # lists and boxes inside each other; markdown-it drops what is nested past its own limit (20 token levels)
MAX_HEADING = 300  # characters of a heading: it must fit a line of the contents (a few lines at most)
MAX_CAPTION = 600  # characters of a caption: it must fit a line of the list of figures or tables
MAX_PARAGRAPH = 20_000  # characters of one paragraph (~3,000 words, 6 pages): reportlab lays out a paragraph that runs over pages in time that grows with the square of its length
MAX_ROWS = 1_000  # rows of one table (~25 pages): reportlab lays a table out again for each page it runs over
MAX_ITEMS = 1_000  # items of one list, for the same reason
MAX_TEXT = 1_000_000  # characters of one Markdown file (or of what one template call writes)
