"""The sample workbook: its data as readable source, and the writer that makes the .xlsx."""
