# selected by include (the encoding tests edit that line)
