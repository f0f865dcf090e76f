"""junheng (均衡): text mining of Chinese local reports on balanced compulsory education.

Importing the package does nothing observable; build a ``Pipeline`` or open a ``Corpus`` to work.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
