"""Figure files: checked for the reader, drawn and rasterised for the writers.

SVG figures stay vector in the PDF (svglib turns them into reportlab
drawings); the DOCX gets a PNG rendered at print resolution from the very
same drawing, so both outputs show identical pictures. PNG and JPEG files
are used as they are (converted for the DOCX when Word cannot take them).

Figures are untrusted input: ``check`` and ``svg`` refuse what is unsafe or
too large before anything draws it; ``drawing`` makes the reportlab
drawings, ``raster`` the bitmaps, and ``cache`` keeps renderings by a hash
of every input.
"""
