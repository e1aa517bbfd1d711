"""The demo generator: a believable company's year of complaints, for trying the console.

A tool beside the product, not a use case of it: only the ``demo`` command imports it, and
nothing in services, storage or the UI imports it back.
"""
