"""The bundle's entry point: the same `main` as the `feltkonsulent` console script."""

import sys

from feltkonsulent.app import main

if __name__ == "__main__":
    sys.exit(main())
