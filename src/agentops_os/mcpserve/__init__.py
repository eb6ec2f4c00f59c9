"""`ao mcp serve`: ao's eight tools for agents over the Model Context Protocol."""
