"""One data function per page: each feeds the HTML page, its JSON twin and its CSV export.

A data function takes a DuckDB cursor and the page's parameters, and returns a plain
dictionary (Decimals stay exact; the JSON renderer writes them as strings). Tables that
can be exported are lists of dictionaries under the page's ``tables`` key.
"""
