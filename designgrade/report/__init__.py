"""Output formats: each a function from reports to text, chosen by ``--format``."""
