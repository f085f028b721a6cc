"""The network map and network meetings (netværkskort, netværksmøder): see issue 4."""
