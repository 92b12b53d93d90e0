"""`python -m feltkonsulent.cli`."""

import sys

from feltkonsulent.cli import main

sys.exit(main())
