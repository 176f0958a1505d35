"""`make bench`: PAKAR's performance figures on this machine (see bench/README.md)."""
