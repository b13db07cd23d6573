"""The shared server fixtures, for the calendar feed tests."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bbserver import data_dir, server_factory  # noqa: E402,F401  (fixtures)
