"""The municipal-scale benchmark (``make bench``): data generator, floor views and driver."""
