"""Reading the user's workbook: the contract (schema), number parsing and the reader."""
