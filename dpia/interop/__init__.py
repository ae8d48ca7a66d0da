"""Open formats in and out: the CNIL's PIA file, CSV."""
