"""This app's measures (mash/measures/registry.py): one module per dashboard, each registering its own
with ``registry.register`` when imported. The app's ``ready()`` imports them all."""
