"""Tracking (查件): one provider interface, kuaidi100, the demo provider, none; the cache.

``provider.py`` holds the interface and its failures, ``lookup.py`` what the console and the
commands call (the shared cache and the carriers' numbers in front of the provider).
"""
