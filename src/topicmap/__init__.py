"""topicmap: which themes run through press coverage of China's rise in AI, across languages.

The package follows the chain of the analysis, one module (or sub-package) per step:
corpus -> paragraphs -> representations -> topics -> metrics -> figures -> report.
``pipeline`` runs the chain; ``cli`` is the command line over it.

Importing topicmap first pins the CPU kernels of OpenBLAS, numpy and numba (``kernels``), so that the
same seed gives the same topics on any x86-64 machine.
"""

from . import kernels as _kernels

_kernels.pin_cpu_kernels()

__version__ = "0.2.0"
