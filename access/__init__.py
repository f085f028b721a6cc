"""Familieværft's access app: who may see and do what with a case, the access log, refusals."""
