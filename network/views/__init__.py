"""The network pages of a case: the map and its people, its versions, network meetings."""
