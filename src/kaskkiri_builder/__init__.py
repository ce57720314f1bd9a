"""kaskkiri: job descriptions kept as data, built into the directive that approves them."""

__version__ = "0.1.0"
