"""The test suite.

Each pytest process (one per xdist worker) imports some 300 modules of the package and the
tests; their compiled, assertion-rewritten code is cached in __pycache__ (which git ignores)
even where the environment sets PYTHONDONTWRITEBYTECODE, saving seconds a process. Under more
than one xdist worker, each worker and what it starts computes on one thread: two workers'
thread pools on the same cores would spin against each other.
"""

import os
import sys

sys.dont_write_bytecode = False
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
