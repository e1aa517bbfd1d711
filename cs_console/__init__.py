"""cs_console: a keyboard-driven customer-service console for an express-delivery company."""

__version__ = "0.1.0"
