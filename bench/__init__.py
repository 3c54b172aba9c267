"""`make bench`: medians (and min/max) of every page's main computation beside its bare-library baseline."""
