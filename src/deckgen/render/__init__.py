"""The only package that imports python-pptx: template, shapes, charts, tables, notes, saving."""
