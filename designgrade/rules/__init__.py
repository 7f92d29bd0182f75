"""The rule catalog, one module per pillar. Importing this package registers every rule."""

from . import (  # noqa: F401
    data,
    experimentation,
    llm,
    modeling,
    monitoring,
    objective,
    serving,
    structure,
)
