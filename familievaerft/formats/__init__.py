"""Django format modules (``FORMAT_MODULE_PATH``): dates and numbers as written in Denmark."""
