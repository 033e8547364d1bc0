"""`python -m fairlead ARGS`: the bundled binary, as the `fairlead` console script runs it."""

from ._binary import main

main()
