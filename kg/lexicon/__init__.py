"""General knowledge as lexicons and rules: personal names, institutions and places, post titles."""
